import { setTimeout as delay } from 'node:timers/promises';
import type { CompletionReport, LeaseRef, StepLease } from '../runbooks/index.js';
import { RunnerApiError, type RunnerApi } from './agent-http.js';
import { OutputSender } from './agent-output.js';
import { execute, type Execution } from './exec.js';
import type { Sandbox } from './sandbox.js';
import { DEFAULT_LEASE_WAIT_MS, MAX_VARIABLE_CHARS } from './schema.js';
import { execSpecFor, FENCE_SHARE, followStopNotice, keepLease, runWorkDir, type LeaseKeeper } from './step.js';

export interface AgentOptions {
  api: RunnerApi;
  /** Tells this process apart from others sharing the runner's credential (its pid): steps show `<name>:<instance>`. */
  instance: string;
  /** The runner's name and labels as NEXUS assigned them at enrolment (for the log; the server leases by its own copy). */
  name: string;
  labels: Record<string, string>;
  concurrency: number;
  /** PATH, HOME, LANG and the NEXUS_RUNNER_ENV names of this machine. */
  baseEnv: Record<string, string>;
  /** This machine's own secrets (NEXUS_REDACT_ENV), redacted on top of each run's. */
  redact: string[];
  workRoot: string;
  /** Where and as whom commands run (sandbox.ts, resolved once at start). */
  sandbox: Sandbox;
  /** One line per event worth a person's attention (a step started or ended, NEXUS lost or back). */
  log(line: string): void;
  waitMs?: number;
  backoff?: { minMs: number; maxMs: number };
  /** After a stop, how long to keep trying to tell NEXUS what became of the steps in flight. */
  stopGraceMs?: number;
}

/** Why the agent ended: asked to (SIGTERM), or NEXUS refused it in a way retrying cannot fix. */
export type AgentEnd = { reason: 'stopped' } | { reason: 'refused'; status: number | null; message: string };

interface Active {
  execution: Execution;
  /** Set when this agent stopped the command itself: the step is reported abandoned (lost). */
  abandoned: string | null;
}

const FLUSH_MS = 25;
const FLUSH_BYTES = 64 * 1024;
const MAX_PENDING_BYTES = 4 * 1024 * 1024;
const DEFAULT_BACKOFF = { minMs: 250, maxMs: 10_000 };

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `nexus runner`: N slots, each long-polling NEXUS for a step its enrolled
 * labels satisfy, running it exactly as the local runner does (exec.ts), with
 * heartbeats, batched output and a completion report over HTTP. NEXUS
 * unreachable: retry with backoff (a running command goes on; its lease
 * has slack). Credential refused: stop everything and say so.
 */
export class RunnerAgent {
  private readonly active = new Map<string, Active>();
  private readonly stopping = new AbortController();
  private stopDeadline = Infinity;
  private end: AgentEnd | null = null;
  private unreachableSince: number | null = null;
  private readonly runnerId: string;

  constructor(private readonly options: AgentOptions) {
    this.runnerId = `${options.name}:${options.instance}`;
  }

  async run(): Promise<AgentEnd> {
    const { concurrency, labels } = this.options;
    const shown =
      Object.entries(labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || 'none';
    this.options.log(`runner ${this.runnerId} serving labels ${shown} (assigned at enrolment) with ${concurrency} slot(s)`);
    await Promise.all(Array.from({ length: concurrency }, () => this.slot()));
    return this.end ?? { reason: 'stopped' };
  }

  /** Stops leasing; commands in flight are killed and reported abandoned (their steps become lost at once). */
  stop(why: string): void {
    if (this.stopping.signal.aborted) return;
    this.stopDeadline = Date.now() + (this.options.stopGraceMs ?? 10_000);
    this.stopping.abort();
    if (this.active.size > 0) this.options.log(`stopping (${why}): ${this.active.size} command(s) in flight will be reported lost`);
    for (const entry of this.active.values()) {
      entry.abandoned ??= `runner ${this.runnerId} was stopped (${why}) while the command ran`;
      entry.execution.cancel();
    }
  }

  private async slot(): Promise<void> {
    const { api, instance } = this.options;
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const lease = await api.lease({ instance, waitMs: this.options.waitMs ?? DEFAULT_LEASE_WAIT_MS }, this.stopping.signal);
        this.reachable();
        attempt = 0;
        if (lease) await this.runStep(lease);
      } catch (error) {
        if (this.stopping.signal.aborted || !this.survivable(error)) break;
        await delay(this.backoff(attempt++), undefined, { signal: this.stopping.signal }).catch(() => {});
      }
    }
  }

  private async runStep(lease: StepLease): Promise<void> {
    const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
    if (this.stopping.signal.aborted) {
      // The stop came while this lease was on its way: not started, and the error says so (a retry is safe).
      const error = `runner ${this.runnerId} was stopping when it received the command and did not start it`;
      return this.report(lease, { outcome: 'abandoned', exitCode: null, signal: null, durationMs: 0, expectMet: null, error, variables: {} });
    }
    this.options.log(`${lease.commandId} started (run ${lease.runId}, attempt ${lease.attempt})`);
    let cwd: string;
    try {
      cwd = await runWorkDir(this.options, lease.runId);
    } catch (error) {
      const report: CompletionReport = { outcome: 'failed-to-start', exitCode: null, signal: null, durationMs: 0, expectMet: null, error: `no working directory: ${(error as Error).message}`, variables: {} };
      return this.report(lease, report);
    }
    let keeper: LeaseKeeper | null = null;
    // Output of a command this runner had to stop for want of a lease is not retried: NEXUS will refuse it.
    const retry = (error: unknown, n: number) => (keeper?.fenced() ? Promise.resolve(false) : this.retryWait(error, n));
    const sender = new OutputSender((chunks) => this.options.api.output(ref, chunks), retry, {
      flushMs: FLUSH_MS,
      flushBytes: FLUSH_BYTES,
      maxPendingBytes: MAX_PENDING_BYTES,
    });
    const execution = execute(execSpecFor(lease, this.options, cwd), (stream, text) => sender.push(stream, text));
    const entry: Active = { execution, abandoned: null };
    this.active.set(lease.stepId, entry);
    keeper = keepLease(lease, execution, (r) => this.beat(r));
    try {
      const result = await execution.result;
      // Ended: a stop from now on has nothing to kill here (the report may still be under way).
      this.active.delete(lease.stepId);
      if (keeper.fenced()) {
        // NEXUS marks the step lost when the lease runs out; its output and result cannot be delivered.
        const after = seconds(lease.leaseSeconds * 1000 * FENCE_SHARE);
        this.options.log(`${lease.commandId} stopped: NEXUS did not confirm the lease in time (${after} without a renewal); a retry will not run beside it`);
        return;
      }
      if (result.outcome === 'stopped-at-timeout') sender.push('stdout', followStopNotice(lease));
      await sender.close();
      if (keeper.lost() || sender.leaseLost) {
        this.options.log(`${lease.commandId} dropped: NEXUS no longer holds this runner's lease (lost, cancelled or retried)`);
        return;
      }
      const abandoned = entry.abandoned ?? keeper.fenced();
      await this.report(lease, abandoned ? { ...result, outcome: 'abandoned', error: abandoned } : result);
    } finally {
      keeper.stop();
      this.active.delete(lease.stepId);
    }
  }

  /** Retries while NEXUS is unreachable (the heartbeats keep the lease meanwhile), until refused or given up. */
  private async report(lease: StepLease, report: CompletionReport): Promise<void> {
    const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
    const sendable = { ...report, variables: this.sendableVariables(lease, report.variables) };
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await this.options.api.complete(ref, sendable);
        this.reachable();
        if (!answer.accepted) {
          // Also when an earlier attempt got through and only its answer was lost: the state says which.
          const now = answer.state === null ? (answer.message ?? 'the lease is gone') : `the step is already ${answer.state}`;
          this.options.log(`${lease.commandId} result not taken: ${now}`);
          return;
        }
        const exit = report.exitCode === null ? (report.signal ?? report.outcome) : `exit ${report.exitCode}`;
        this.options.log(`${lease.commandId} ${answer.state} (${exit}, ${seconds(report.durationMs)})`);
        return;
      } catch (error) {
        if (!(await this.retryWait(error, attempt))) {
          this.options.log(`${lease.commandId} result not delivered: ${(error as Error).message}`);
          return;
        }
      }
    }
  }

  private async beat(ref: LeaseRef): Promise<{ held: boolean; cancelRequested: boolean } | null> {
    try {
      const answer = await this.options.api.heartbeat(ref);
      this.reachable();
      return answer;
    } catch (error) {
      this.survivable(error);
      return null;
    }
  }

  /** For output batches and completions: back off and try again, unless refused or past the stop grace. */
  private async retryWait(error: unknown, attempt: number): Promise<boolean> {
    if (!this.survivable(error) || Date.now() >= this.stopDeadline) return false;
    await delay(Math.min(this.backoff(attempt), Math.max(0, this.stopDeadline - Date.now())));
    return Date.now() < this.stopDeadline;
  }

  /** false: NEXUS refused this agent for good (revoked token, protocol mismatch); everything stops. */
  private survivable(error: unknown): boolean {
    if (error instanceof RunnerApiError && error.kind !== 'unavailable') {
      if (!this.end) {
        this.end = { reason: 'refused', status: error.status, message: error.message };
        this.stopDeadline = Date.now();
        this.stop('refused by NEXUS');
      }
      return false;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof RunnerApiError)) {
      // Not NEXUS's doing (a full disk, a bug): worth a line each time, then carry on like an outage.
      this.options.log(`runner error: ${message}`);
      return true;
    }
    if (this.unreachableSince === null) {
      this.unreachableSince = Date.now();
      this.options.log(`NEXUS unreachable: ${message}; retrying with backoff`);
    }
    return true;
  }

  private reachable(): void {
    if (this.unreachableSince === null) return;
    this.options.log(`NEXUS reachable again after ${seconds(Date.now() - this.unreachableSince)}`);
    this.unreachableSince = null;
  }

  private backoff(attempt: number): number {
    const { minMs, maxMs } = this.options.backoff ?? DEFAULT_BACKOFF;
    const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
    // Jitter: agents that lost NEXUS together should not all come back in the same millisecond.
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** A value NEXUS would refuse (too large) would lose the whole result; drop it and say so. */
  private sendableVariables(lease: StepLease, variables: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) {
      if (value.length <= MAX_VARIABLE_CHARS) out[name] = value;
      else this.options.log(`${lease.commandId}: variable ${name} is larger than ${MAX_VARIABLE_CHARS} characters; not kept`);
    }
    return out;
  }
}
