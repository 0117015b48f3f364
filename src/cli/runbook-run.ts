import { createInterface } from 'node:readline/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { commandsOf, type Procedure } from '../runbooks/model.js';
import { classifyRisk } from '../runbooks/risk.js';
import { integerIn, parseUuid } from './args.js';
import type { CreateRunRequest, NexusClient, RunStepView, RunView, ServerEvent } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT, cell } from './output.js';

/**
 * `nexus runbook run <runbook> <procedure>`: start a run of one procedure,
 * request its steps in order and, with --follow, watch them over SSE until
 * they end. The server decides everything that matters (parameters, risk,
 * policy, approvals); the CLI checks what it can first so a typo costs no
 * run, and reports what the server did.
 */

interface RunOptions {
  param: Record<string, string>;
  secret: Record<string, string>;
  secretFromEnv: string[];
  incident?: string;
  version?: number;
  step: string[];
  all?: boolean;
  follow?: boolean;
  waitApproval: boolean;
  yes?: boolean;
  json?: boolean;
}

// The server's ParamName (runs/schema.ts), and what `<affected-pod>` is written as.
const PARAM = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ANGLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const FAILED = new Set(['failed', 'timed-out', 'cancelled', 'lost']);
const DONE = new Set(['succeeded', 'skipped']);
/** Besides the live events, the run is re-read this often: a missed event (a replica without Redis) cannot hang the CLI. */
const RESYNC_MS = 5000;
/** How long a broken event stream may stay broken before the CLI gives up (exit 7). */
const RECONNECT_BUDGET_MS = 30_000;
/** A command printing without newlines is still shown, in pieces of this size. */
const MAX_PARTIAL_LINE = 4096;

function collectPair(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected NAME=value');
  const name = value.slice(0, at);
  if (!PARAM.test(name) && !ANGLE_NAME.test(name)) throw new InvalidArgumentError(`${JSON.stringify(name)} is not a parameter name`);
  return { ...previous, [name]: value.slice(at + 1) };
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const lower = (text: string) => text.toLowerCase();

/** By id, else by title, else by a unique prefix of either ("P1", "p1-critical"), all case-insensitive. */
export function resolveProcedure(procedures: Procedure[], ref: string): Procedure {
  const want = lower(ref.trim());
  const exact = procedures.filter((p) => lower(p.id) === want || lower(p.title) === want);
  const found = exact.length > 0 ? exact : procedures.filter((p) => lower(p.id).startsWith(want) || lower(p.title).startsWith(want));
  const list = (ps: Procedure[]) => ps.map((p) => `  ${p.id}  (${cell(p.title)})`).join('\n');
  if (found.length === 1) return found[0]!;
  if (found.length === 0) throw new CliError(`no procedure ${JSON.stringify(ref)} in this runbook; it has:\n${list(procedures)}`, EXIT.notFound);
  throw new CliError(`${JSON.stringify(ref)} matches ${found.length} procedures; name one:\n${list(found)}`, EXIT.usage);
}

/** Short labels: a command id without its procedure's prefix (`immediate-actions.1.c1`). */
function shortId(procedure: Procedure, id: string): string {
  return id.startsWith(`${procedure.id}.`) ? id.slice(procedure.id.length + 1) : id;
}

/**
 * The commands to request, in procedure order: all of them for --all, else
 * those of each --step (a step id means all of its commands; full ids or
 * without the procedure prefix). Commands, not steps, are requested one by
 * one: a step's later read command must not be queued, and so run, before
 * an earlier destructive one of the same step that waits for approval.
 */
export function resolveCommands(procedure: Procedure, options: Pick<RunOptions, 'step' | 'all'>): string[] {
  const commands = commandsOf(procedure);
  if (options.all) return commands.map(({ command }) => command.id);
  const wanted = new Set<string>();
  for (const given of options.step) {
    const names = [given, `${procedure.id}.${given}`];
    const matches = commands.filter(({ step, command }) => names.includes(command.id) || names.includes(step.id));
    if (matches.length === 0) {
      const known = [...new Set(commands.map((c) => shortId(procedure, c.step.id)))].join(', ');
      throw new CliError(`no step or command ${JSON.stringify(given)} in ${procedure.id}; steps: ${known || 'none'}`, EXIT.usage);
    }
    for (const { command } of matches) wanted.add(command.id);
  }
  return commands.map(({ command }) => command.id).filter((id) => wanted.has(id));
}

/** `<affected-pod>` may be given as `affected-pod=…` or `AFFECTED_POD=…`. */
function canonicalNames(procedure: Procedure, values: Record<string, string>): Record<string, string> {
  const byRaw = new Map<string, string>();
  for (const { command } of commandsOf(procedure)) for (const p of command.placeholders) byRaw.set(p.raw.replace(/^<|>$/g, ''), p.param);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const param = PARAM.test(name) ? name : byRaw.get(name);
    if (!param) throw new CliError(`${JSON.stringify(name)} is not a parameter of ${procedure.id}`, EXIT.usage);
    out[param] = value;
  }
  return out;
}

function secretValues(procedure: Procedure, options: RunOptions): Record<string, string> {
  const secrets = canonicalNames(procedure, options.secret);
  for (const name of options.secretFromEnv) {
    const value = process.env[name];
    if (value === undefined || value === '') throw new CliError(`--secret-from-env ${name}: the variable is not set`, EXIT.usage);
    Object.assign(secrets, canonicalNames(procedure, { [name]: value }));
  }
  return secrets;
}

/** Names the missing parameters with where the runbook uses them, before any run exists. */
async function assertParameters(procedure: Procedure, given: Record<string, string>): Promise<void> {
  // Loaded here: the same rule the server applies (params.ts), not a copy of it.
  const { parametersOf } = await import('../runbooks/runs/params.js');
  const missing = parametersOf(procedure).required.filter((name) => given[name] === undefined);
  if (missing.length === 0) return;
  const lines = missing.map((name) => {
    const use = commandsOf(procedure).find(({ command }) => command.placeholders.some((p) => p.param === name));
    const raw = use?.command.placeholders.find((p) => p.param === name)?.raw ?? name;
    const what = use ? `${raw}, line ${use.command.line}${use.command.description ? `: ${cell(use.command.description)}` : `: ${cell(use.command.text.split('\n')[0])}`}` : raw;
    return `  ${name}  (${what})`;
  });
  throw new CliError(`missing parameters (give each with --param NAME=value or --secret NAME=value):\n${lines.join('\n')}`, EXIT.usage);
}

/** Builds the request body; the values of secrets go only into it, never to the terminal. */
async function runBody(detail: { runbook: { id: string }; version: { version: number } }, procedure: Procedure, options: RunOptions): Promise<CreateRunRequest> {
  const parameters = canonicalNames(procedure, options.param);
  const secrets = secretValues(procedure, options);
  const both = Object.keys(secrets).filter((name) => name in parameters);
  if (both.length > 0) throw new CliError(`given both as --param and as a secret: ${both.join(', ')}`, EXIT.usage);
  const all = { ...parameters, ...secrets };
  await assertParameters(procedure, all);
  return {
    runbook: detail.runbook.id,
    // Pinned: the procedure was resolved against this version; a re-import meanwhile must not change what runs.
    version: detail.version.version,
    procedure: procedure.id,
    ...(options.incident ? { incidentId: options.incident } : {}),
    ...(Object.keys(all).length > 0 ? { parameters: all } : {}),
    ...(Object.keys(secrets).length > 0 ? { secretParameters: Object.keys(secrets) } : {}),
  };
}

/**
 * Change and destructive commands are confirmed before the run is created:
 * at a terminal by a y/N question, in a script by --yes. The server's policy
 * and approvals still apply; this only stops a mistyped `--all`.
 */
async function confirmRisky(ctx: CliContext, procedure: Procedure, commandIds: string[], options: RunOptions): Promise<void> {
  if (options.yes) return;
  const wanted = new Set(commandIds);
  const risky = commandsOf(procedure)
    .filter(({ command }) => wanted.has(command.id))
    .map(({ command }) => ({ command, risk: classifyRisk(command.text, command.annotations).risk }))
    .filter(({ risk }) => risk !== 'read');
  if (risky.length === 0) return;
  const list = risky.map(({ command, risk }) => `  ${risk.padEnd(11)} ${shortId(procedure, command.id)}  ${cell(command.text.split('\n')[0])}`).join('\n');
  if (!ctx.stdin.isTTY) {
    throw new CliError(`these commands change or destroy things; pass --yes to request them:\n${list}`, EXIT.usage);
  }
  ctx.prompt.write(`These commands change or destroy things:\n${list}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('Request them? [y/N] ');
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('not confirmed; no run was created', EXIT.failure);
  } finally {
    rl.close();
  }
}

const seconds = (ms: number | null) => (ms === null ? '?' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

// Output comes from the commands: never let it move the cursor or recolour the terminal. Tabs stay.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** What a state change tells a person. */
function stateLine(step: StepNews, runId: string): string {
  switch (step.state) {
    case 'queued':
      return 'queued';
    case 'awaiting-approval': {
      const by = step.actor ? cell(step.actor) : 'the requester';
      return (
        `awaiting approval: requested by ${by}; a second person with the approver role ` +
        `(operator or admin, unless NEXUS_RUN_POLICY says otherwise), not ${by}, must approve it ` +
        `in the console or with POST /api/v1/runs/${runId}/steps/${step.commandId}/approve`
      );
    }
    case 'running':
      return `running on ${cell(step.runnerId)}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`;
    case 'succeeded':
      return `succeeded (exit ${step.exitCode ?? '?'}, ${seconds(step.durationMs)})`;
    case 'pending':
      return `back to pending${step.error ? `: ${cell(step.error)}` : ''}`;
    default: {
      const exit = step.exitCode === null ? '' : `exit ${step.exitCode}, `;
      // "exit code 3" says nothing the parenthesis does not; other errors (expect not met, timeout) do.
      const error = step.error && !/^exit code \d+$/.test(step.error) ? `: ${cell(step.error)}` : '';
      return `${step.state} (${exit}${seconds(step.durationMs)})${error}`;
    }
  }
}

/** The fields of a `run.step` event (or of a step read from the API) that the follower uses. */
interface StepNews {
  commandId: string;
  state: string;
  attempt: number;
  exitCode: number | null;
  durationMs: number | null;
  error: string | null;
  runnerId: string | null;
  /** Who caused the change; unknown when the state was read from the API rather than an event. */
  actor?: string;
}

type Outcome = 'succeeded' | 'failed' | 'awaiting-approval';

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
    private readonly procedure: Procedure,
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
    this.emit(`${this.label(commandId)} | ${line.replace(CONTROL, '?')}`);
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

interface Requested {
  outcome: Outcome;
  notRequested: string[];
}

/** Requests command after command, each once the one before has succeeded: like `set -e`, and like a person clicking through. */
async function requestFollowing(client: NexusClient, run: RunView, commandIds: string[], follower: RunFollower): Promise<Requested> {
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

async function follow(ctx: CliContext, client: NexusClient, run: RunView, procedure: Procedure, commandIds: string[], options: RunOptions): Promise<Requested> {
  const emit = options.json ? ctx.out.note : ctx.out.print;
  const total = commandIds.length;
  const follower = new RunFollower(run.id, run.steps, procedure, total, emit, options.waitApproval);
  const stop = new AbortController();
  // Opened before the first request, so not even the first `queued` can be missed.
  const first = await client.openEvents('run.', { signal: stop.signal });
  const background = Promise.all([pumpEvents(client, first, follower, run.id, stop.signal), resyncLoop(client, follower, run.id, stop.signal)]);
  background.catch((error: unknown) => follower.fail(error));
  try {
    return await requestFollowing(client, run, commandIds, follower);
  } finally {
    stop.abort();
    await background.catch(() => {});
  }
}

/** Without --follow: request in order, but stop after one that waits for approval (later ones would overtake it). */
async function requestOnly(ctx: CliContext, client: NexusClient, run: RunView, procedure: Procedure, commandIds: string[], options: RunOptions): Promise<void> {
  const emit = options.json ? ctx.out.note : ctx.out.print;
  for (const [i, commandId] of commandIds.entries()) {
    const { steps } = await client.requestStep(run.id, commandId);
    for (const step of steps) emit(`[${shortId(procedure, step.commandId)}] ${step.state}`);
    if (steps.some((s) => s.state === 'awaiting-approval')) {
      const rest = commandIds.slice(i + 1).map((k) => shortId(procedure, k));
      if (rest.length > 0) emit(`not requested (they would run before the approval): ${rest.join(', ')}`);
      return;
    }
  }
}

function printRun(emit: (line: string) => void, run: RunView, procedure: Procedure): void {
  const params = Object.entries(run.parameters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${cell(v)}`);
  emit(`Run ${run.id}: ${cell(run.procedureTitle)} (${cell(run.runbook.slug)} version ${run.version}), ${run.status}`);
  if (params.length > 0) emit(`Parameters: ${params.join(' ')}`);
  for (const step of run.steps) {
    emit(`  ${shortId(procedure, step.commandId).padEnd(28)} ${step.risk.padEnd(11)} ${step.state.padEnd(17)} ${cell(step.command.split('\n')[0])}`);
  }
}

function finalSummary(emit: (line: string) => void, run: RunView, procedure: Procedure, result: Requested): void {
  const open = run.checks.filter((c) => !c.checked);
  if (result.notRequested.length > 0) emit(`not requested: ${result.notRequested.map((k) => shortId(procedure, k)).join(', ')}`);
  if (result.outcome === 'awaiting-approval') emit(`stopped following: a step awaits approval (the run ${run.id} goes on once it is approved)`);
  if (open.length > 0) emit(`manual checks to tick: ${open.map((c) => cell(c.text)).join('; ')}`);
  emit(`run ${run.id}: ${run.status}`);
}

async function runProcedure(ctx: CliContext, runbookRef: string, procedureRef: string, options: RunOptions): Promise<void> {
  if (options.all && options.step.length > 0) throw new CliError('give --step or --all, not both', EXIT.usage);
  const stepsWanted = options.all || options.step.length > 0;
  if (options.follow && !stepsWanted) throw new CliError('--follow needs --step or --all (it follows the steps it requests)', EXIT.usage);
  const client = ctx.client();
  const detail = await client.getRunbook(runbookRef, options.version);
  const procedure = resolveProcedure(detail.parsed.procedures, procedureRef);
  const commandIds = stepsWanted ? resolveCommands(procedure, options) : [];
  if (options.all && commandIds.length === 0) throw new CliError(`${procedure.id} has no commands to run`, EXIT.usage);
  const body = await runBody(detail, procedure, options);
  await confirmRisky(ctx, procedure, commandIds, options);
  const run = await client.createRun(body);
  const emit = options.json ? ctx.out.note : ctx.out.print;
  printRun(emit, run, procedure);
  if (!options.follow) {
    await requestOnly(ctx, client, run, procedure, commandIds, options);
    if (options.json) ctx.out.json(await client.getRun(run.id));
    return;
  }
  const result = await follow(ctx, client, run, procedure, commandIds, options);
  const final = await client.getRun(run.id);
  finalSummary(emit, final, procedure, result);
  if (options.json) ctx.out.json(final);
  if (result.outcome !== 'succeeded') process.exitCode = EXIT.failure;
}

/** A repeatable option whose empty start value is not shown as "(default: {})" in --help. */
function repeatable<T>(flags: string, description: string, parse: (value: string, previous: T) => T, start: T): Option {
  return new Option(flags, description).argParser(parse).default(start, 'none');
}

/** Adds `run` to the `nexus runbook` group. */
export function registerRunbookRun(runbookGroup: Command, ctx: CliContext): void {
  runbookGroup
    .command('run')
    .argument('<runbook>', 'a runbook slug or id')
    .argument('<procedure>', 'a procedure id, title, or a unique prefix of either ("P1")')
    .description('Start a run of a procedure; request its steps (--step, --all) and follow their output live (--follow)')
    .addOption(repeatable('--param <NAME=value>', 'a parameter (repeatable); NAME as the variable (AFFECTED_POD) or as written (affected-pod)', collectPair, {}))
    .addOption(repeatable('--secret <NAME=value>', 'a secret parameter: redacted everywhere, never stored in clear (repeatable)', collectPair, {}))
    .addOption(repeatable('--secret-from-env <NAME>', 'a secret parameter read from this environment variable, so it is not in argv (repeatable)', collectList, []))
    .option('--incident <id>', 'link the run to this incident', parseUuid)
    .option('--version <n>', 'this runbook version instead of the latest', integerIn(1, 2_147_483_647))
    .addOption(repeatable('--step <id>', 'request this step or command (repeatable; short ids like immediate-actions.1 work)', collectList, []))
    .option('--all', 'request every step of the procedure, in order')
    .option('--follow', 'stream output and state changes until the requested steps end; exit 1 if one did not succeed')
    .option('--no-wait-approval', 'with --follow: stop (exit 1) when a step awaits approval instead of waiting for it')
    .option('--yes', 'do not ask before requesting change or destructive commands (required without a terminal)')
    .option('--json', 'print the run (at the end, with --follow) as JSON on stdout; progress goes to stderr')
    .action((runbook: string, procedure: string, options: RunOptions) => runProcedure(ctx, runbook, procedure, options));
}
