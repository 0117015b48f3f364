import type { EventBus } from '../../platform/events/index.js';
import type { RunCheck, RunSummary } from './schema.js';
import type { RunRow, StepRow } from './store.js';
import { outputExcerpt } from './views.js';

/**
 * What runs tell the rest of NEXUS. The incident timeline subscribes to
 * these (DESIGN.md §3: news travels as events), so each carries the run,
 * the incident and the command it is about; consoles render them live.
 * Everything here is already redacted and safe for viewers.
 */
export const RUN_EVENT = {
  created: 'run.created',
  step: 'run.step',
  output: 'run.output',
  finished: 'run.finished',
  check: 'run.check',
} as const;

export const TERMINAL_STATES = new Set(['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'lost']);

export interface RunRef {
  id: string;
  incidentId: string | null;
}

export interface StepEvent {
  runId: string;
  incidentId: string | null;
  id: string;
  commandId: string;
  stepId: string;
  seq: number;
  title: string;
  command: string;
  risk: string;
  state: string;
  attempt: number;
  exitCode: number | null;
  durationMs: number | null;
  error: string | null;
  runnerId: string | null;
  /** Who caused the change: a username, `runner:<id>` or `system`. */
  actor: string;
  cancelRequested: boolean;
  outputBytes: number;
  /** Set once the step has finished. */
  outputExcerpt?: string;
}

export interface OutputEvent {
  runId: string;
  incidentId: string | null;
  id: string;
  commandId: string;
  attempt: number;
  stream: 'stdout' | 'stderr';
  chunk: string;
  /** Byte offset of the chunk in everything the command wrote (stdout and stderr together). */
  offset: number;
}

export class RunEvents {
  constructor(private readonly bus: EventBus) {}

  created(run: RunSummary, actor: string): void {
    this.bus.publish(RUN_EVENT.created, { ...run, runId: run.id, actor });
  }

  step(run: RunRef, row: StepRow, actor: string): void {
    const data: StepEvent = {
      runId: run.id,
      incidentId: run.incidentId,
      id: row.id,
      commandId: row.commandId,
      stepId: row.stepId,
      seq: row.seq,
      title: row.title,
      command: row.command,
      risk: row.risk,
      state: row.state,
      attempt: row.attempt,
      exitCode: row.exitCode,
      durationMs: row.durationMs,
      error: row.error,
      runnerId: row.runnerId,
      actor,
      cancelRequested: row.state === 'running' && row.cancelRequestedAt !== null,
      outputBytes: row.outputBytes,
      ...(TERMINAL_STATES.has(row.state) ? { outputExcerpt: outputExcerpt(row) } : {}),
    };
    this.bus.publish(RUN_EVENT.step, data);
  }

  output(data: OutputEvent): void {
    this.bus.publish(RUN_EVENT.output, data, { minRole: 'viewer' });
  }

  finished(run: RunRow): void {
    this.bus.publish(RUN_EVENT.finished, {
      runId: run.id,
      incidentId: run.incidentId,
      status: run.status,
      finishedAt: run.finishedAt?.toISOString() ?? null,
    });
  }

  check(run: RunRef, check: RunCheck, actor: string): void {
    this.bus.publish(RUN_EVENT.check, { runId: run.id, incidentId: run.incidentId, ...check, actor });
  }
}
