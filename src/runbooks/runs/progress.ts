import type { Logger } from '../../platform/logger.js';
import type { RunEvents } from './events.js';
import type { RunStatus } from './schema.js';
import type { RunStore } from './store.js';

/**
 * A run's status follows from its steps and checks: running while anything
 * is queued or running; closed, once nothing runs, if its incident was
 * resolved meanwhile; waiting while a person has something to do (a
 * pending or awaiting step, an unticked check); then failed if any command
 * did not succeed, else succeeded. Cancelled is set explicitly and final.
 * Failed is not final either: retrying a step makes the run run again.
 */
export function deriveStatus(states: readonly string[], uncheckedChecks: number, closed = false): RunStatus {
  if (states.some((s) => s === 'queued' || s === 'running')) return 'running';
  if (closed) return 'closed';
  if (states.some((s) => s === 'pending' || s === 'awaiting-approval') || uncheckedChecks > 0) return 'waiting';
  if (states.some((s) => s === 'failed' || s === 'timed-out' || s === 'lost' || s === 'cancelled')) return 'failed';
  return 'succeeded';
}

export class RunProgress {
  constructor(
    private readonly store: RunStore,
    private readonly events: RunEvents,
    private readonly logger: Logger,
  ) {}

  /** Call after any step or check changed; publishes `run.finished` when the run reaches an end. */
  async refresh(runId: string): Promise<void> {
    const [run, steps, checks] = await Promise.all([this.store.runRow(runId), this.store.steps(runId), this.store.checks(runId)]);
    const status = deriveStatus(
      steps.map((s) => s.state),
      checks.filter((c) => c.checkedAt === null).length,
      (run?.closedReason ?? null) !== null,
    );
    const finished = status === 'succeeded' || status === 'failed' || status === 'closed';
    const row = await this.store.setStatus(runId, status, finished);
    if (!row || !finished) return;
    this.events.finished(row);
    // A succeeded or closed run needs its secrets no more; a failed one keeps them for a retry.
    if (status !== 'failed') await this.store.deleteSecrets(runId);
    this.logger.info({ runId, status }, 'run finished');
  }
}
