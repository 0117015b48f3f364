import { setTimeout as delay } from 'node:timers/promises';
import type { NexusClient, RunStepView, RunView, ServerEvent } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT } from './output.js';
import type { RunOptions } from './runbook-run-options.js';
import { outputLine, seconds, shortId, stateLine, type ProcedureRef, type StepNews } from './runbook-run-print.js';

/**
 * `--follow`: request the commands one after another and watch the run over
 * SSE (with periodic re-reads) until each has ended, printing output and
 * state changes as they come.
 */

const FAILED = new Set(['failed', 'timed-out', 'cancelled', 'lost']);
const DONE = new Set(['succeeded', 'skipped']);
/** Besides the live events, the run is re-read this often: a missed event (a replica without Redis) cannot hang the CLI. */
const RESYNC_MS = 5000;
/** How long a broken event stream may stay broken before the CLI gives up (exit 7). */
const RECONNECT_BUDGET_MS = 30_000;
/** A command printing without newlines is still shown, in pieces of this size. */
const MAX_PARTIAL_LINE = 4096;

export type Outcome = 'succeeded' | 'failed' | 'awaiting-approval';

interface Waiter {
  commands: string[];
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

const ended = (state: string) => FAILED.has(state) || DONE.has(state);

/**
 * Follows one run: prints its steps' output (by line, prefixed with the
 * command) and state changes as events arrive, and tells the caller when
 * the commands it waits for have ended. A state read from the API (the
 * answer to a request, a periodic re-read) is applied only when no event
 * about that command arrived after the read began: it may be older.
 */
class RunFollower {
  private readonly states = new Map<string, { state: string; attempt: number }>();
  private readonly lastEventAt = new Map<string, number>();
  private readonly requested = new Set<string>();
  private readonly partial = new Map<string, string>();
  private waiter: Waiter | null = null;
  private failure: unknown = null;
  private finished = 0;
  private succeeded = 0;
  private readonly started = Date.now();

  constructor(
    private readonly runId: string,
    steps: RunStepView[],
    private readonly procedure: ProcedureRef,
    private readonly total: number,
    private readonly emit: (line: string) => void,
    private readonly waitApproval: boolean,
  ) {
    for (const step of steps) this.states.set(step.commandId, { state: step.state, attempt: step.attempt });
  }

  onEvent(event: ServerEvent): void {
    const payload = event.data as { type?: string; data?: { runId?: string; commandId?: string } } | null;
    const data = payload?.data;
    if (data?.runId !== this.runId || typeof data.commandId !== 'string') return;
    if (payload?.type === 'run.step') {
      this.lastEventAt.set(data.commandId, performance.now());
      this.onStep(data as StepNews);
    } else if (payload?.type === 'run.output') this.onOutput(data as { commandId: string; chunk: string });
  }

  /** Steps as the API showed them in an answer to a request that began at `readAt` (performance.now()). */
  apply(steps: RunStepView[], readAt: number, actor?: string): void {
    for (const step of steps) if ((this.lastEventAt.get(step.commandId) ?? -1) < readAt) this.onStep({ ...step, ...(actor ? { actor } : {}) });
  }

  /** Resolves when every command of `commands` succeeded (or was skipped), one did not, or one awaits approval and we do not wait. */
  waitFor(commands: string[]): Promise<Outcome> {
    if (this.failure !== null) return Promise.reject(this.failure);
    for (const id of commands) this.requested.add(id);
    return new Promise((resolve, reject) => {
      this.waiter = { commands, resolve, reject };
      this.check();
    });
  }

  fail(error: unknown): void {
    this.failure = error;
    this.waiter?.reject(error);
    this.waiter = null;
  }

  private label(commandId: string): string {
    return shortId(this.procedure, commandId);
  }

  private onStep(step: StepNews): void {
    const before = this.states.get(step.commandId);
    if (before?.state === step.state && before.attempt === step.attempt) return;
    this.states.set(step.commandId, { state: step.state, attempt: step.attempt });
    if (ended(step.state)) this.flush(step.commandId);
    this.emit(`[${this.label(step.commandId)}] ${stateLine(step, this.runId)}`);
    if (this.requested.has(step.commandId) && ended(step.state)) {
      this.finished++;
      if (DONE.has(step.state)) this.succeeded++;
      const failed = this.finished - this.succeeded;
      this.emit(`progress: ${this.finished}/${this.total} commands done (${this.succeeded} succeeded, ${failed} failed), ${seconds(Date.now() - this.started)}`);
    }
    this.check();
  }

  /** Complete lines at once; a partial line waits for its newline or its command's end. */
  private onOutput(output: { commandId: string; chunk: string }): void {
    const text = (this.partial.get(output.commandId) ?? '') + output.chunk.replace(/\r\n?/g, '\n');
    const lines = text.split('\n');
    let rest = lines.pop() ?? '';
    for (const line of lines) this.emitOutput(output.commandId, line);
    for (; rest.length > MAX_PARTIAL_LINE; rest = rest.slice(MAX_PARTIAL_LINE)) this.emitOutput(output.commandId, rest.slice(0, MAX_PARTIAL_LINE));
    this.partial.set(output.commandId, rest);
  }

  private emitOutput(commandId: string, line: string): void {
    this.emit(outputLine(this.label(commandId), line));
  }

  private flush(commandId: string): void {
    const rest = this.partial.get(commandId);
    if (rest) this.emitOutput(commandId, rest);
    this.partial.delete(commandId);
  }

  private check(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const states = waiter.commands.map((id) => this.states.get(id)?.state ?? 'pending');
    let outcome: Outcome | null = null;
    // `pending` after the request means rejected, or held back behind a failure: it will not run by itself.
    if (states.some((s) => FAILED.has(s) || s === 'pending')) outcome = 'failed';
    else if (states.every((s) => DONE.has(s))) outcome = 'succeeded';
    else if (!this.waitApproval && states.includes('awaiting-approval')) outcome = 'awaiting-approval';
    if (outcome === null) return;
    this.waiter = null;
    waiter.resolve(outcome);
  }
}

/** Re-reads the run and applies what no event has overtaken. */
async function resync(client: NexusClient, follower: RunFollower, runId: string): Promise<void> {
  const readAt = performance.now();
  follower.apply((await client.getRun(runId)).steps, readAt);
}

/** Keeps the event stream open: reconnects with Last-Event-ID (and re-reads the run) until `signal` aborts. */
async function pumpEvents(
  client: NexusClient,
  first: AsyncGenerator<ServerEvent>,
  follower: RunFollower,
  runId: string,
  signal: AbortSignal,
): Promise<void> {
  let stream: AsyncGenerator<ServerEvent> | null = first;
  let lastEventId: string | undefined;
  let brokenSince: number | null = null;
  while (!signal.aborted) {
    try {
      stream ??= await client.openEvents('run.', { signal, ...(lastEventId ? { lastEventId } : {}) });
      if (brokenSince !== null) await resync(client, follower, runId);
      brokenSince = null;
      for await (const event of stream) {
        if (event.id) lastEventId = event.id;
        // `reset`: events were dropped somewhere; the run as stored is the truth.
        if (event.event === 'reset') await resync(client, follower, runId);
        else follower.onEvent(event);
      }
    } catch (error) {
      if (signal.aborted) return;
      // A refused token or a vanished run will not get better by retrying.
      if (error instanceof CliError && error.exitCode !== EXIT.unavailable) throw error;
      brokenSince ??= Date.now();
      if (Date.now() - brokenSince > RECONNECT_BUDGET_MS) {
        throw error instanceof CliError ? error : new CliError(`lost the event stream: ${(error as Error).message}`, EXIT.unavailable);
      }
    }
    stream = null;
    brokenSince ??= Date.now();
    await delay(500, undefined, { signal }).catch(() => {});
  }
}

/** Re-reads the run now and then, so a missed event costs seconds, not a hang. */
async function resyncLoop(client: NexusClient, follower: RunFollower, runId: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    await delay(RESYNC_MS, undefined, { signal }).catch(() => {});
    // A failed read is the event stream's to report: it has the reconnect budget.
    if (!signal.aborted) await resync(client, follower, runId).catch(() => {});
  }
}

export interface Requested {
  outcome: Outcome;
  notRequested: string[];
}

/**
 * Requests command after command, each once the one before has succeeded:
 * like `set -e`, and like a person clicking through. `inFlight` (already
 * requested: queued, running, awaiting approval) must succeed first.
 */
async function requestFollowing(client: NexusClient, run: RunView, commandIds: string[], inFlight: string[], follower: RunFollower): Promise<Requested> {
  if (inFlight.length > 0) {
    const outcome = await follower.waitFor(inFlight);
    if (outcome !== 'succeeded') return { outcome, notRequested: commandIds };
  }
  // The requester an approver must differ from: whoever this token belongs to.
  const me = (await client.me()).user.username;
  for (const [i, commandId] of commandIds.entries()) {
    const sentAt = performance.now();
    const { steps } = await client.requestStep(run.id, commandId);
    follower.apply(steps, sentAt, me);
    const outcome = await follower.waitFor([commandId]);
    if (outcome !== 'succeeded') return { outcome, notRequested: commandIds.slice(i + 1) };
  }
  return { outcome: 'succeeded', notRequested: [] };
}

export async function follow(
  ctx: CliContext,
  client: NexusClient,
  run: RunView,
  procedure: ProcedureRef,
  commandIds: string[],
  options: Pick<RunOptions, 'json' | 'waitApproval'>,
  inFlight: string[] = [],
): Promise<Requested> {
  const emit = options.json ? ctx.out.note : ctx.out.print;
  const total = inFlight.length + commandIds.length;
  const follower = new RunFollower(run.id, run.steps, procedure, total, emit, options.waitApproval);
  const stop = new AbortController();
  // Opened before the first request, so not even the first `queued` can be missed.
  const first = await client.openEvents('run.', { signal: stop.signal });
  const background = Promise.all([pumpEvents(client, first, follower, run.id, stop.signal), resyncLoop(client, follower, run.id, stop.signal)]);
  background.catch((error: unknown) => follower.fail(error));
  try {
    return await requestFollowing(client, run, commandIds, inFlight, follower);
  } finally {
    stop.abort();
    await background.catch(() => {});
  }
}
