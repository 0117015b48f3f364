import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import { careTasks, type CareDeps } from './care/index.js';
import type { BuiltInTask } from './tasks.js';

export type { BuiltInTask, TaskContext, TaskResult } from './tasks.js';
export type { CareDeps } from './care/index.js';

/**
 * Maintenance: schedules (schedules/), backups and restore drills (backups/),
 * secret rotation (secrets/) and database care and retention (care/). Each
 * part registers here; this file is the domain's only door.
 */
export interface MaintenanceDeps {
  logger: Logger;
  /** Built-in tasks other domains contribute (none yet); this domain adds its own. */
  tasks?: BuiltInTask[];
  /** Database care and retention (care/): its tasks are added when given. */
  care?: CareDeps;
}

export interface MaintenanceModule {
  /** Every built-in task by key: what schedules and `nexus schedule run` can start. */
  tasks: ReadonlyMap<string, BuiltInTask>;
  close(): Promise<void>;
}

export function registerMaintenance(_app: App, deps: MaintenanceDeps): MaintenanceModule {
  const tasks = new Map<string, BuiltInTask>();
  for (const task of [...(deps.tasks ?? []), ...(deps.care ? careTasks(deps.care) : [])]) {
    if (tasks.has(task.key)) throw new Error(`Two built-in tasks share the key ${task.key}`);
    tasks.set(task.key, task);
  }
  return { tasks, close: async () => {} };
}
