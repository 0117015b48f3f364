import { Counter, Histogram, type Registry } from 'prom-client';
import type { EventBus } from '../../platform/events/index.js';
import { RUN_EVENT, type StepEvent } from './events.js';

/** How a step run can end. `skipped` is not here: a skipped step never ran. */
export const STEP_RUN_STATUSES = ['succeeded', 'failed', 'timed-out', 'cancelled', 'lost'] as const;
const ENDINGS = new Set<string>(STEP_RUN_STATUSES);

/** From a quick `kubectl get` to the default 300 s step timeout and past it. */
const STEP_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * An ending reported by a runner (`runner:<id>`) or by the lease sweeper
 * (`system`). A person cancelling a step that never started also publishes
 * `cancelled`, but nothing ran: counting it would make cancel-heavy runs
 * look like failing commands.
 */
function ranAndEnded(step: StepEvent): boolean {
  return ENDINGS.has(step.state) && (step.actor === 'system' || step.actor.startsWith('runner:'));
}

/**
 * `nexus_runbook_step_runs_total{status}` and
 * `nexus_runbook_step_duration_seconds{status}` (DESIGN.md §5), fed by the
 * bus's `run.step` events, so every runner (local or remote, whichever
 * replica it reports to) is counted without the queue knowing about metrics.
 *
 * With several replicas sharing Redis, every replica hears every step: use
 * `max by (status)`, not `sum`, across replicas. The bus does not say which
 * process published an event, so counting only one's own is not possible yet.
 *
 * Returns the unsubscribe function (for app close).
 */
export function installStepMetrics(bus: EventBus, registry: Registry): () => void {
  const runs = new Counter({
    name: 'nexus_runbook_step_runs_total',
    help: 'Runbook commands that ran and ended, by how they ended (succeeded, failed, timed-out, cancelled, lost)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'nexus_runbook_step_duration_seconds',
    help: 'How long runbook commands ran, by how they ended (lost steps have no duration and are not observed)',
    labelNames: ['status'] as const,
    buckets: STEP_DURATION_BUCKETS,
    registers: [registry],
  });
  // Zero series from the start, so rate() and absent() work before the first failure.
  for (const status of STEP_RUN_STATUSES) runs.inc({ status }, 0);

  return bus.subscribe((event) => {
    if (event.type !== RUN_EVENT.step) return;
    const step = event.data as StepEvent;
    if (!ranAndEnded(step)) return;
    runs.inc({ status: step.state });
    if (typeof step.durationMs === 'number') duration.observe({ status: step.state }, step.durationMs / 1000);
  });
}
