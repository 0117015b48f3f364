import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events/index.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import { dueBetween, nextDue } from './cron.js';
import { SCHEDULER_ACTOR } from './executor.js';
import type { OwnerNotifier } from './notify-owner.js';
import type { MissedPolicy } from './schema.js';
import type { NewScheduleRun, ScheduleRow, ScheduleRunRow, ScheduleStore } from './store.js';
import { publishRun } from './views.js';

export const SCHEDULE_RUN_QUEUE = 'maintenance.schedule-run';

export interface SchedulerDeps {
  store: ScheduleStore;
  jobs: Pick<JobQueue, 'send'>;
  notifier: OwnerNotifier;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** A due time this late when first seen was missed (NEXUS was down), not merely reached by a slow tick. */
  missedAfterMs: number;
  /** A running run without a heartbeat for this long lost its process. */
  staleAfterMs: number;
  /** A queued run this old may have lost its job (sent after the insert committed); it is sent again. */
  requeueAfterMs: number;
}

/**
 * Turns due times into runs. Any replica may tick; what makes a due time run
 * once is in the database: the schedule's `next_due_at` moves only if it
 * still holds the value this tick read, in the same transaction that
 * inserts the run, and a run per (schedule, due time) is unique.
 * See docs/adr/0010-schedules-without-pg-boss-cron.md.
 */
export class Scheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  /** One pass: every due schedule becomes a run (or a missed record); returns what it created. */
  async tick(): Promise<ScheduleRunRow[]> {
    const now = this.deps.clock();
    const created: ScheduleRunRow[] = [];
    for (const schedule of await this.deps.store.due(now)) {
      try {
        created.push(...(await this.fire(schedule, now)));
      } catch (error) {
        this.deps.logger.error({ err: error, scheduleId: schedule.id }, 'could not start a due schedule; the next tick tries again');
      }
    }
    for (const run of created) {
      publishRun(this.deps.bus, run);
      if (run.status === 'queued') await this.send(run);
    }
    return created;
  }

  /** Runs whose process died are failed (and their owners told); queued runs whose job went missing are sent again. */
  async sweep(): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock();
    for (const run of await store.staleRunning(new Date(now.getTime() - this.deps.staleAfterMs))) {
      const seen = run.heartbeatAt?.toISOString() ?? 'never';
      const failed = await store.finish(run.id, {
        status: 'failed',
        finishedAt: now,
        summary: `Interrupted: the NEXUS running it stopped (last heartbeat ${seen}); it is not retried on its own`,
      });
      if (!failed) continue;
      publishRun(this.deps.bus, failed);
      const schedule = await store.get(failed.scheduleId);
      if (schedule) await this.deps.notifier.failed(schedule, failed);
    }
    for (const run of await store.staleQueued(new Date(now.getTime() - this.deps.requeueAfterMs))) await this.send(run);
  }

  private async send(run: ScheduleRunRow): Promise<void> {
    // Sent after the run row committed; a send lost in between is repaired by sweep(), and a job sent twice is claimed once.
    await this.deps.jobs.send(SCHEDULE_RUN_QUEUE, { runId: run.id }).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, runId: run.id }, 'could not queue a schedule run; the sweep sends it again');
    });
  }

  private async fire(schedule: ScheduleRow, now: Date): Promise<ScheduleRunRow[]> {
    const from = schedule.nextDueAt!;
    const next = nextDue(schedule.cron, schedule.timeZone, now);
    const due = dueBetween(schedule.cron, schedule.timeZone, from, now);
    const rows = due.latest ? plannedRuns(schedule, due as PlannedDue, now, this.deps.missedAfterMs) : [];
    return this.deps.store.transaction(async (tx) => {
      if (!(await tx.advance(schedule.id, from, next))) return [];
      const inserted: ScheduleRunRow[] = [];
      for (const row of rows) {
        const run = await tx.insertRun(row);
        if (run) inserted.push(run);
      }
      return inserted;
    });
  }
}

interface PlannedDue {
  latest: Date;
  earliest: Date;
  count: number;
  capped?: boolean;
}

/**
 * The newest due time runs if it is recent. Older ones (and a newest one
 * that is not recent) were missed: `run-once` runs once for them now,
 * unless the on-time run already does; `skip` records them as missed.
 */
export function plannedRuns(schedule: Pick<ScheduleRow, 'id' | 'missedPolicy'>, due: PlannedDue, now: Date, missedAfterMs: number): NewScheduleRun[] {
  const onTime = now.getTime() - due.latest.getTime() <= missedAfterMs;
  const missedCount = onTime ? due.count - 1 : due.count;
  const missed = missedCount > 0 ? { missedCount, firstMissedAt: due.earliest.toISOString(), ...(due.capped ? { missedCountIsAtLeast: true } : {}) } : null;
  const base = { scheduleId: schedule.id, requestedBy: SCHEDULER_ACTOR, createdAt: now };
  const rows: NewScheduleRun[] = [];
  if (missed && (schedule.missedPolicy as MissedPolicy) === 'skip') {
    const span = missedCount === 1 ? `the due time ${due.earliest.toISOString()}` : `${due.capped ? 'at least ' : ''}${missedCount} due times from ${due.earliest.toISOString()}`;
    rows.push({
      ...base,
      trigger: 'missed',
      status: 'missed',
      dueAt: onTime ? due.earliest : due.latest,
      finishedAt: now,
      summary: `Missed ${span}: NEXUS was not running; skipped as this schedule asks`,
      details: missed,
    });
  }
  if (onTime) rows.push({ ...base, trigger: 'due', status: 'queued', dueAt: due.latest, details: missed });
  else if (missed && schedule.missedPolicy === 'run-once') rows.push({ ...base, trigger: 'catch-up', status: 'queued', dueAt: due.latest, details: missed });
  return rows;
}
