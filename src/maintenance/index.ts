import type { AuditService } from '../platform/audit/service.js';
import { namesFrom } from '../platform/audit/targets.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { JobQueue } from '../platform/jobs/index.js';
import type { Logger } from '../platform/logger.js';
import type { NotifyModule } from '../notify/index.js';
import type { RunbookLibrary, RunsModule } from '../runbooks/index.js';
import { careTasks, type CareDeps } from './care/index.js';
import { registerSchedules, type SchedulerTiming, type SchedulesModule } from './schedules/index.js';
import { schedules as schedulesTable } from './schedules/tables.js';
import type { BuiltInTask } from './tasks.js';
import { registerSecrets, type SecretsDeps } from './secrets/index.js';
import { registerBackups, type BackupsDeps, type BackupsModule } from './backups/index.js';
export { restoreOffline, type OfflineRestore } from './backups/offline.js';
export type { VerifyReport } from './backups/index.js';

export type { BuiltInTask, TaskContext, TaskResult } from './tasks.js';
export { SCHEDULE_EVENT } from './schedules/index.js';
export type { SchedulerTiming } from './schedules/index.js';
export type { Schedule, ScheduleRun } from './schedules/schema.js';
export type { CareDeps } from './care/index.js';
export { MAX_GRACE_SECONDS, Rotation, RotateBody } from './secrets/schema.js';

/**
 * Maintenance: schedules (schedules/), backups and restore drills (backups/),
 * secret rotation (secrets/) and database care and retention (care/). Each
 * part registers here; this file is the domain's only door.
 */
export interface MaintenanceDeps {
  db: Database;
  /** The audit log names schedules by their names. */
  audit: Pick<AuditService, 'nameTargets'>;
  jobs: JobQueue;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** Built-in tasks other parts and domains contribute; this domain adds its own. */
  tasks?: BuiltInTask[];
  /** Schedules start procedures through the runbooks domain's runs, as a person would. */
  runbooks: Pick<RunbookLibrary, 'getVersion'>;
  runs: Pick<RunsModule, 'runs' | 'actions'>;
  /** A failed scheduled run notifies its owner through this. */
  notify: Pick<NotifyModule, 'notify' | 'directory'>;
  publicUrl?: string | undefined;
  /** Tests shorten or lengthen the scheduler's intervals. */
  schedulerTiming?: Partial<SchedulerTiming>;
  /** Database care and retention (care/): its tasks are added when given. */
  care?: CareDeps;
  /** Secret rotation (secrets/); without it, no rotation routes. */
  secrets?: SecretsDeps;
  /** Backups, verification, drills and restore (backups/). */
  backups: Omit<BackupsDeps, 'logger'>;
}

export interface MaintenanceModule {
  /** Every built-in task by key: what schedules and `nexus schedule run` can start. */
  tasks: ReadonlyMap<string, BuiltInTask>;
  schedules: SchedulesModule;
  backups: BackupsModule['service'];
  close(): Promise<void>;
}

export async function registerMaintenance(app: App, deps: MaintenanceDeps): Promise<MaintenanceModule> {
  if (deps.secrets) registerSecrets(app, { ...deps.secrets, logger: deps.logger });
  const tasks = new Map<string, BuiltInTask>();
  const backups = registerBackups(app, { ...deps.backups, logger: deps.logger });
  for (const task of [...(deps.tasks ?? []), ...(deps.care ? careTasks(deps.care) : []), ...backups.tasks]) {
    if (tasks.has(task.key)) throw new Error(`Two built-in tasks share the key ${task.key}`);
    tasks.set(task.key, task);
  }
  deps.audit.nameTargets('schedule', namesFrom(deps.db.orm, schedulesTable.id, schedulesTable.name));
  const schedules = await registerSchedules(app, {
    db: deps.db,
    jobs: deps.jobs,
    bus: deps.bus,
    logger: deps.logger,
    clock: deps.clock,
    tasks,
    library: deps.runbooks,
    runbookRuns: deps.runs,
    notify: deps.notify,
    publicUrl: deps.publicUrl,
    ...(deps.schedulerTiming ? { timing: deps.schedulerTiming } : {}),
  });
  return { tasks, schedules, backups: backups.service, close: () => schedules.close() };
}
