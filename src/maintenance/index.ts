import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { BuiltInTask } from './tasks.js';
import { registerBackups, type BackupsDeps, type BackupsModule } from './backups/index.js';

export type { BuiltInTask, TaskContext, TaskResult } from './tasks.js';

/**
 * Maintenance: schedules (schedules/), backups and restore drills (backups/),
 * secret rotation (secrets/) and database care and retention (care/). Each
 * part registers here; this file is the domain's only door.
 */
export interface MaintenanceDeps {
  logger: Logger;
  /** Built-in tasks other domains contribute (none yet); this domain adds its own. */
  tasks?: BuiltInTask[];
  /** Backups, verification, drills and restore (backups/). */
  backups: Omit<BackupsDeps, 'logger'>;
}

export interface MaintenanceModule {
  /** Every built-in task by key: what schedules and `nexus schedule run` can start. */
  tasks: ReadonlyMap<string, BuiltInTask>;
  backups: BackupsModule['service'];
  close(): Promise<void>;
}

export function registerMaintenance(_app: App, deps: MaintenanceDeps): MaintenanceModule {
  const tasks = new Map<string, BuiltInTask>();
  const backups = registerBackups(_app, { ...deps.backups, logger: deps.logger });
  for (const task of [...(deps.tasks ?? []), ...backups.tasks]) {
    if (tasks.has(task.key)) throw new Error(`Two built-in tasks share the key ${task.key}`);
    tasks.set(task.key, task);
  }
  return { tasks, backups: backups.service, close: async () => {} };
}
