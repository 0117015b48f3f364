import type { AuditService } from '../../platform/audit/service.js';
import type { EventBus } from '../../platform/events/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Placeholder } from '../model.js';
import { RUN_EVENT, type RunEvents } from './events.js';
import type { RunProgress } from './progress.js';
import type { QueueStore } from './queue-store.js';
import { SECRET_MARK } from './params.js';
import { isFollowStyle, isReservedEnvName, rewritePlaceholders } from './script.js';
import type { RunRow, RunStore, StepPatch, StepRow } from './store.js';
import { missingMessage, type SecretVault } from './vault.js';

/** Everything a runner needs to execute one step; also the body of the remote lease response. */
export interface StepLease {
  leaseId: string;
  stepId: string;
  runId: string;
  incidentId: string | null;
  commandId: string;
  attempt: number;
  /** The command with placeholders turned into environment references. */
  script: string;
  env: Record<string, string>;
  /** Values the runner must redact from output (its own configured secrets come on top). */
  secrets: string[];
  assigns: string[];
  timeoutSeconds: number;
  followStyle: boolean;
  expect: string | null;
  leaseSeconds: number;
}

export interface LeaseRef {
  stepId: string;
  leaseId: string;
}

export type CompletionOutcome = 'exited' | 'timed-out' | 'stopped-at-timeout' | 'cancelled' | 'failed-to-start' | 'abandoned';

/** Facts from the runner; the server decides the state (expect, follow-style, exit codes). */
export interface CompletionReport {
  outcome: CompletionOutcome;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  expectMet: boolean | null;
  error: string | null;
  variables: Record<string, string>;
}

export interface StepQueueDeps {
  store: RunStore;
  queueStore: QueueStore;
  vault: SecretVault;
  events: RunEvents;
  progress: RunProgress;
  audit: AuditService;
  bus: EventBus;
  logger: Logger;
  leaseSeconds: number;
  outputLimitBytes: number;
}

export function finalState(report: CompletionReport, row: Pick<StepRow, 'expect' | 'timeoutSeconds'>): { state: string; error: string | null } {
  switch (report.outcome) {
    case 'cancelled':
      return { state: 'cancelled', error: report.error ?? 'cancelled; the process group was killed' };
    case 'timed-out':
      return { state: 'timed-out', error: `no result within its ${row.timeoutSeconds} s timeout; the process group was killed` };
    case 'stopped-at-timeout':
      return { state: 'succeeded', error: null };
    case 'failed-to-start':
      return { state: 'failed', error: report.error ?? 'the command could not be started' };
    case 'abandoned':
      return { state: 'lost', error: report.error ?? 'the runner stopped before the command finished' };
    case 'exited':
      if (report.exitCode !== 0) {
        return { state: 'failed', error: report.exitCode === null ? `killed by ${report.signal ?? 'a signal'}` : `exit code ${report.exitCode}` };
      }
      if (report.expectMet === false) return { state: 'failed', error: `exit code 0, but the output does not contain ${JSON.stringify(row.expect)}` };
      return { state: 'succeeded', error: null };
  }
}

/**
 * The variables a runner reported that later steps may receive: only names
 * the step's command declares it assigns (the parser's `assigns`), never a
 * reserved name (PATH, LD_*, BASH_*, …) nor one of the run's secret
 * parameters. A runner, even an enrolled one, cannot plant `NODE_OPTIONS`
 * or overwrite a secret for the next step.
 */
export function declaredVariables(
  reported: Record<string, string>,
  step: Pick<StepRow, 'assigns'>,
  run: Pick<RunRow, 'parameters'>,
): { kept: Record<string, string>; dropped: string[] } {
  const declared = new Set(step.assigns as string[]);
  const parameters = run.parameters as Record<string, string>;
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(reported)) {
    if (declared.has(name) && !isReservedEnvName(name) && parameters[name] !== SECRET_MARK) kept[name] = value;
    else dropped.push(name);
  }
  return { kept, dropped };
}

/**
 * `run_steps` as a queue, for runners in this process and (over HTTP)
 * elsewhere: lease, heartbeat, output, complete; and the sweeper that turns
 * expired leases into `lost`. ADR 0004 explains why this is not pg-boss.
 */
export class StepQueue {
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: StepQueueDeps) {
    // Any replica queueing a step wakes every waiting runner here (the bus crosses replicas).
    this.unsubscribe = deps.bus.subscribe((event) => {
      if (event.type === RUN_EVENT.step && (event.data as { state?: string }).state === 'queued') this.wakeAll();
    });
  }

  close(): void {
    this.unsubscribe();
    this.wakeAll();
  }

  /** Long-poll: a lease as soon as a step this runner can serve is queued, or null after `waitMs`. */
  async leaseStep(runnerId: string, labels: Record<string, string>, options: { waitMs?: number; signal?: AbortSignal; leaseSeconds?: number } = {}) {
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      // Listen before looking, so a step queued while we look is not missed.
      const waiter = this.waiter(options.signal);
      try {
        const lease = await this.tryLease(runnerId, labels, options.leaseSeconds ?? this.deps.leaseSeconds);
        if (lease) return lease;
        const remaining = deadline - Date.now();
        if (remaining <= 0 || options.signal?.aborted) return null;
        await waiter.wait(remaining);
      } finally {
        waiter.dispose();
      }
    }
  }

  async heartbeat(ref: LeaseRef, leaseSeconds = this.deps.leaseSeconds): Promise<{ held: boolean; cancelRequested: boolean }> {
    const result = await this.deps.queueStore.heartbeat(ref.stepId, ref.leaseId, leaseSeconds);
    return result ? { held: true, cancelRequested: result.cancelRequested } : { held: false, cancelRequested: false };
  }

  /** Live output to SSE clients at once; storage is appendOutput's job, in batches. */
  publishOutput(lease: StepLease, stream: 'stdout' | 'stderr', chunk: string, offset: number): void {
    const { runId, incidentId, stepId: id, commandId, attempt } = lease;
    this.deps.events.output({ runId, incidentId, id, commandId, attempt, stream, chunk, offset });
  }

  /** false: the lease is gone and the runner should stop. */
  async appendOutput(ref: LeaseRef, text: string): Promise<boolean> {
    if (text === '') return true;
    const head = Math.floor(this.deps.outputLimitBytes / 2);
    const bytes = await this.deps.queueStore.append(ref.stepId, ref.leaseId, text, { head, tail: this.deps.outputLimitBytes - head });
    return bytes !== null;
  }

  /**
   * `droppedVariables`: reported variables the step does not declare it
   * assigns, or may never set (reserved names, the run's secret
   * parameters); they are not kept, and the step's audit entry names them.
   */
  async completeStep(
    runnerId: string,
    ref: LeaseRef,
    report: CompletionReport,
  ): Promise<{ accepted: boolean; state: string | null; droppedVariables: string[] }> {
    const before = await this.deps.store.step(ref.stepId);
    if (!before || before.leaseId !== ref.leaseId) return { accepted: false, state: before?.state ?? null, droppedVariables: [] };
    const { state, error } = finalState(report, before);
    const patch: StepPatch = { state, error, exitCode: report.exitCode, durationMs: Math.max(0, Math.round(report.durationMs)) };
    const row = await this.deps.queueStore.complete(ref.stepId, ref.leaseId, patch);
    if (!row) return { accepted: false, state: null, droppedVariables: [] };
    const run = await this.deps.store.runRow(row.runId);
    const { kept, dropped } = run ? declaredVariables(report.variables, row, run) : { kept: {}, dropped: Object.keys(report.variables) };
    if (dropped.length) this.deps.logger.warn({ runId: row.runId, commandId: row.commandId, runnerId, dropped }, 'runner reported variables the step may not set; dropped');
    if (run && state === 'succeeded') await this.deps.vault.storeVariables(run, kept);
    await this.finish(run, row, `runner:${runnerId}`, dropped);
    return { accepted: true, state, droppedVariables: dropped };
  }

  /**
   * The lease as its runner got it, rebuilt from the row: for a server
   * replica that did not hand it out itself (remote runners speak HTTP, and
   * any replica may answer). `held: false` with the step's state otherwise.
   */
  async leaseOf(ref: LeaseRef): Promise<{ held: true; lease: StepLease; runnerId: string } | { held: false; state: string | null }> {
    const row = await this.deps.store.step(ref.stepId);
    if (!row || row.state !== 'running' || row.leaseId !== ref.leaseId) return { held: false, state: row?.state ?? null };
    const run = await this.deps.store.runRow(row.runId);
    const environment = run ? await this.deps.vault.environment(run, row) : null;
    // Without the secrets there is nothing to redact against: better refuse than pass output through.
    if (!run || !environment || 'missing' in environment) return { held: false, state: row.state };
    return { held: true, lease: this.toLease(row, run, environment, this.deps.leaseSeconds), runnerId: row.runnerId ?? '?' };
  }

  /** Undoes a lease whose runner went away before receiving it; the step is queued again (and runners woken). */
  async release(ref: LeaseRef): Promise<boolean> {
    const row = await this.deps.queueStore.release(ref.stepId, ref.leaseId);
    if (!row) return false;
    const run = await this.deps.store.runRow(row.runId);
    if (run) this.deps.events.step(run, row, 'system');
    if (row.state === 'cancelled') await this.deps.progress.refresh(row.runId);
    return true;
  }

  /** The sweeper's work: leases past their expiry become `lost` (or `cancelled` if asked). */
  async expireLeases(): Promise<number> {
    const rows = await this.deps.queueStore.expire();
    for (const row of rows) {
      this.deps.logger.warn({ runId: row.runId, commandId: row.commandId, runnerId: row.runnerId }, 'step lease expired');
      await this.finish(await this.deps.store.runRow(row.runId), row, 'system');
    }
    return rows.length;
  }

  /** Audit first, like the HTTP recorder: whoever sees the event can rely on the audit row. */
  private async finish(run: RunRow | null, row: StepRow, actor: string, droppedVariables: string[] = []): Promise<void> {
    const ref = { id: row.runId, incidentId: run?.incidentId ?? null };
    await this.deps.audit.record({
      actor,
      action: row.state === 'lost' ? 'run.step_lost' : 'run.step_complete',
      target: row.runId,
      outcome: row.state === 'succeeded' ? 'success' : 'error',
      details: {
        commandId: row.commandId,
        stepId: row.id,
        state: row.state,
        exitCode: row.exitCode,
        durationMs: row.durationMs,
        attempt: row.attempt,
        // Names only: values may be secret.
        ...(droppedVariables.length ? { droppedVariables } : {}),
      },
    });
    this.deps.events.step(ref, row, actor);
    if (row.state !== 'succeeded') {
      for (const held of await this.deps.queueStore.holdBehind(row)) this.deps.events.step(ref, held, 'system');
    }
    await this.deps.progress.refresh(row.runId);
  }

  private async tryLease(runnerId: string, labels: Record<string, string>, leaseSeconds: number): Promise<StepLease | null> {
    for (;;) {
      const row = await this.deps.queueStore.lease(runnerId, labels, leaseSeconds);
      if (!row) return null;
      const run = await this.deps.store.runRow(row.runId);
      const environment = run ? await this.deps.vault.environment(run, row) : { missing: [] };
      if (run && !('missing' in environment)) {
        this.deps.events.step(run, row, `runner:${runnerId}`);
        return this.toLease(row, run, environment, leaseSeconds);
      }
      // Not runnable after all (a secret no key opens): fail it, say how to fix it, look further.
      const error = run ? missingMessage(run.id, 'missing' in environment ? environment.missing : []) : 'the run is gone';
      const failed = await this.deps.queueStore.complete(row.id, row.leaseId!, { state: 'failed', error });
      if (failed) await this.finish(run, failed, 'system');
    }
  }

  private toLease(row: StepRow, run: RunRow, environment: { env: Record<string, string>; secrets: string[] }, leaseSeconds: number): StepLease {
    return {
      leaseId: row.leaseId!,
      stepId: row.id,
      runId: run.id,
      incidentId: run.incidentId,
      commandId: row.commandId,
      attempt: row.attempt,
      script: rewritePlaceholders(row.command, row.placeholders as Placeholder[]),
      env: environment.env,
      secrets: environment.secrets,
      assigns: row.assigns as string[],
      timeoutSeconds: row.timeoutSeconds,
      followStyle: isFollowStyle(row.command),
      expect: row.expect,
      leaseSeconds,
    };
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private waiter(signal?: AbortSignal) {
    let woken = false;
    let resolve: (() => void) | undefined;
    const wake = () => {
      woken = true;
      resolve?.();
    };
    this.waiters.add(wake);
    signal?.addEventListener('abort', wake, { once: true });
    return {
      wait: (ms: number) =>
        woken
          ? Promise.resolve()
          : new Promise<void>((done) => {
              const timer = setTimeout(done, ms);
              resolve = () => {
                clearTimeout(timer);
                done();
              };
            }),
      dispose: () => {
        this.waiters.delete(wake);
        signal?.removeEventListener('abort', wake);
      },
    };
  }
}
