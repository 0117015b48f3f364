import os from 'node:os';
import type { EventBus } from '../platform/events/index.js';
import type { Logger } from '../platform/logger.js';
import { RUN_EVENT, type CompletionReport, type StepLease, type StepQueue } from '../runbooks/index.js';
import { execute, type Execution } from './exec.js';
import { OutputPump } from './output.js';
import type { Sandbox } from './sandbox.js';
import { execSpecFor, followStopNotice, keepLease, runWorkDir } from './step.js';

export interface LocalRunnerOptions {
  queue: StepQueue;
  bus: EventBus;
  logger: Logger;
  id?: string;
  labels: Record<string, string>;
  concurrency: number;
  /** PATH, HOME, LANG (and configured pass-through names): what every command starts from. */
  baseEnv: Record<string, string>;
  /** Configured secrets (NEXUS_REDACT_ENV and NEXUS's own), redacted on top of each run's. */
  redact: string[];
  /** NEXUS's secrets that change while it runs (notification channel URLs and keys), read for each command. */
  liveSecrets?: () => Promise<readonly string[]>;
  /** Each run gets a working directory here, shared by its steps (a dump one step makes, the next uploads). */
  workRoot: string;
  /** Where and as whom commands run (sandbox.ts, resolved once at start). */
  sandbox: Sandbox;
  outputLimitBytes: number;
  /** How long one long-poll waits before asking again; the wake-up on a queued step is immediate. */
  pollMs?: number;
}

interface Active {
  execution: Execution;
  cancelledByUs: boolean;
}

const FLUSH_MS = 200;
const FLUSH_BYTES = 64 * 1024;

/**
 * The in-process runner of `nexus serve`: N slots, each long-polling the
 * queue. A step queued anywhere wakes the slots at once (the queue listens
 * on the bus), so dispatch takes a query, not a polling interval.
 */
export class LocalRunner {
  readonly id: string;
  private readonly active = new Map<string, Active>();
  private readonly stopping = new AbortController();
  private slots: Promise<void>[] = [];
  private unsubscribe: () => void = () => {};

  constructor(private readonly options: LocalRunnerOptions) {
    this.id = options.id ?? `local:${os.hostname()}:${process.pid}`;
  }

  start(): void {
    // A cancel may be asked on another replica; it arrives here as an event, before any heartbeat.
    this.unsubscribe = this.options.bus.subscribe((event) => {
      if (event.type !== RUN_EVENT.step) return;
      const data = event.data as { id?: string; cancelRequested?: boolean };
      if (data.cancelRequested && data.id) this.active.get(data.id)?.execution.cancel();
    });
    for (let i = 0; i < this.options.concurrency; i++) this.slots.push(this.slot());
  }

  /** Kills what runs (those steps become lost: their outcome is unknown) and waits for the slots. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.unsubscribe();
    for (const entry of this.active.values()) {
      entry.cancelledByUs = true;
      entry.execution.cancel();
    }
    await Promise.all(this.slots);
  }

  private async slot(): Promise<void> {
    const { queue, labels, logger } = this.options;
    while (!this.stopping.signal.aborted) {
      try {
        const lease = await queue.leaseStep(this.id, labels, { waitMs: this.options.pollMs ?? 30_000, signal: this.stopping.signal });
        if (lease) await this.run(lease);
      } catch (error) {
        // The database may be down; the lease (if any) expires and the sweeper marks the step lost.
        logger.error({ err: error, runner: this.id }, 'local runner: step handling failed');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async run(lease: StepLease): Promise<void> {
    const { queue, logger } = this.options;
    const ref = { stepId: lease.stepId, leaseId: lease.leaseId };
    const cwd = await runWorkDir(this.options, lease.runId);
    const pump = new OutputPump(
      ref,
      { publish: (stream, chunk, offset) => queue.publishOutput(lease, stream, chunk, offset), append: (r, text) => queue.appendOutput(r, text) },
      { flushMs: FLUSH_MS, flushBytes: FLUSH_BYTES, liveLimitBytes: this.options.outputLimitBytes * 4 },
    );
    const live = (await this.options.liveSecrets?.()) ?? [];
    const setup = live.length > 0 ? { ...this.options, redact: [...this.options.redact, ...live] } : this.options;
    const execution = execute(execSpecFor(lease, setup, cwd), (stream, text) => pump.push(stream, text));
    const entry: Active = { execution, cancelledByUs: false };
    this.active.set(lease.stepId, entry);
    logger.debug({ runId: lease.runId, commandId: lease.commandId, pid: execution.pid }, 'local runner: started');
    const heartbeat = keepLease(lease, execution, (ref, seconds) => queue.heartbeat(ref, seconds));
    try {
      const result = await execution.result;
      if (result.outcome === 'stopped-at-timeout') pump.push('stdout', followStopNotice(lease));
      await pump.close();
      if (heartbeat.lost() || pump.leaseLost) return;
      const fenced = heartbeat.fenced();
      const report: CompletionReport = entry.cancelledByUs
        ? { ...result, outcome: 'abandoned', error: `runner ${this.id} stopped (NEXUS shutting down) while the command ran` }
        : fenced
          ? { ...result, outcome: 'abandoned', error: fenced }
          : result;
      await queue.completeStep(this.id, ref, report);
    } finally {
      heartbeat.stop();
      this.active.delete(lease.stepId);
    }
  }
}
