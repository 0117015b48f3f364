import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { BuiltInTask } from './tasks.js';
import { registerSecrets, type SecretsDeps } from './secrets/index.js';

export type { BuiltInTask, TaskContext, TaskResult } from './tasks.js';
export { MAX_GRACE_SECONDS, Rotation, RotateBody } from './secrets/schema.js';

/**
 * Maintenance: schedules (schedules/), backups and restore drills (backups/),
 * secret rotation (secrets/) and database care and retention (care/). Each
 * part registers here; this file is the domain's only door.
 */
export interface MaintenanceDeps {
  logger: Logger;
  /** Built-in tasks other domains contribute (none yet); this domain adds its own. */
  tasks?: BuiltInTask[];
  /** Secret rotation (secrets/); without it, no rotation routes. */
  secrets?: SecretsDeps;
}

export interface MaintenanceModule {
  /** Every built-in task by key: what schedules and `nexus schedule run` can start. */
  tasks: ReadonlyMap<string, BuiltInTask>;
  close(): Promise<void>;
}

export function registerMaintenance(app: App, deps: MaintenanceDeps): MaintenanceModule {
  if (deps.secrets) registerSecrets(app, { ...deps.secrets, logger: deps.logger });
  const tasks = new Map<string, BuiltInTask>();
  for (const task of deps.tasks ?? []) {
    if (tasks.has(task.key)) throw new Error(`Two built-in tasks share the key ${task.key}`);
    tasks.set(task.key, task);
  }
  return { tasks, close: async () => {} };
}
