import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { EventBus } from '../../platform/events/index.js';
import type { App } from '../../platform/http/types.js';
import { runSingleton, type JobQueue } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import type { RunbookLibrary } from '../../runbooks/index.js';
import type { BuiltInTask } from '../tasks.js';
import { ScheduleExecutor } from './executor.js';
import { ownerNotifier, type OwnerNotify } from './notify-owner.js';
import type { RunbookRuns } from './runbook-target.js';
import { scheduleRoutes } from './routes.js';
import { Scheduler, SCHEDULE_RUN_QUEUE } from './scheduler.js';
import { ensureSeedSchedules, ensureTaskSeedSchedules } from './seed.js';
import { ScheduleService } from './service.js';
import { ScheduleStore, seedOwner, type ScheduleRow } from './store.js';

export { SCHEDULE_EVENT } from './views.js';

export interface SchedulesDeps {
  db: Database;
  jobs: JobQueue;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  tasks: ReadonlyMap<string, BuiltInTask>;
  library: Pick<RunbookLibrary, 'getVersion'>;
  runbookRuns: RunbookRuns;
  notify: OwnerNotify;
  publicUrl?: string | undefined;
  timing?: Partial<SchedulerTiming>;
}

export interface SchedulerTiming {
  /** How often the leader looks for due schedules. */
  tickMs: number;
  /** See SchedulerDeps.missedAfterMs. */
  missedAfterMs: number;
  heartbeatMs: number;
  staleAfterMs: number;
  requeueAfterMs: number;
  progressEveryMs: number;
  pollMs: number;
  /** Schedule runs one replica runs at once (a run waiting for an approval holds one). */
  concurrency: number;
}

export const SCHEDULER_TIMING: SchedulerTiming = {
  tickMs: 15_000,
  missedAfterMs: 5 * 60_000,
  heartbeatMs: 10_000,
  staleAfterMs: 90_000,
  requeueAfterMs: 2 * 60_000,
  progressEveryMs: 500,
  pollMs: 1000,
  concurrency: 4,
};

export interface SchedulesModule {
  service: ScheduleService;
  /** One pass over due schedules, on any replica (tests drive it with their clock). */
  tick: Scheduler['tick'];
  sweep: Scheduler['sweep'];
  /** The seed's maintenance tasks and the built-in tasks' rhythms as disabled schedules, once (server start, after the built-in runbooks). */
  ensureSeeds(): Promise<ScheduleRow[]>;
  close(): Promise<void>;
}

export async function registerSchedules(app: App, deps: SchedulesDeps): Promise<SchedulesModule> {
  const timing = { ...SCHEDULER_TIMING, ...deps.timing };
  const logger = deps.logger.child({ component: 'schedules' });
  const store = new ScheduleStore(deps.db.orm);
  const notifier = ownerNotifier({ store, notify: deps.notify, logger, publicUrl: deps.publicUrl });
  const service = new ScheduleService({ store, tasks: deps.tasks, library: deps.library, jobs: deps.jobs, bus: deps.bus, clock: deps.clock });
  const scheduler = new Scheduler({ store, jobs: deps.jobs, notifier, bus: deps.bus, logger, clock: deps.clock, ...timing });
  const executor = new ScheduleExecutor({ store, tasks: deps.tasks, runbookRuns: deps.runbookRuns, notifier, bus: deps.bus, logger, clock: deps.clock, ...timing });
  scheduleRoutes(app, service);

  // No retries by the queue: a run that started and was cut off is failed by the sweep and
  // reported, never silently run twice (a half-done maintenance task may not be safe to repeat).
  await deps.jobs.define(SCHEDULE_RUN_QUEUE, { retryLimit: 0, leaseSeconds: 12 * 3600 });
  await deps.jobs.work<{ runId: string }>(SCHEDULE_RUN_QUEUE, async (job) => executor.execute(job.data.runId), { concurrency: timing.concurrency });

  const loop = runSingleton(
    deps.db,
    'maintenance.scheduler',
    async (signal) => {
      while (!signal.aborted) {
        await scheduler.tick().catch((error: unknown) => logger.warn({ err: error }, 'scheduler tick failed'));
        await scheduler.sweep().catch((error: unknown) => logger.warn({ err: error }, 'schedule sweep failed'));
        await delay(timing.tickMs, undefined, { signal }).catch(() => {});
      }
    },
    { logger },
  );

  return {
    service,
    tick: () => scheduler.tick(),
    sweep: () => scheduler.sweep(),
    ensureSeeds: async () => {
      const ownerId = await seedOwner(deps.db.orm);
      return [
        ...(await ensureSeedSchedules({ store, library: deps.library, ownerId, logger })),
        ...(await ensureTaskSeedSchedules({ store, tasks: deps.tasks, ownerId })),
      ];
    },
    async close() {
      await loop.stop();
      await executor.close();
    },
  };
}
