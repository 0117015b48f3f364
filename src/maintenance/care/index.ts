import type { Registry } from 'prom-client';
import type { AuditService } from '../../platform/audit/service.js';
import type { Clock } from '../../platform/clock.js';
import type { CareConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import type { BuiltInTask } from '../tasks.js';
import { databaseSizeTask, longRunningQueriesTask, slowQueriesTask, vacuumAnalyzeTask } from './database-tasks.js';
import { createCareMetrics } from './metrics.js';
import { retentionPruneTask } from './retention.js';

export { redactQueryText } from './query-text.js';

export interface CareDeps {
  db: Database;
  audit: Pick<AuditService, 'record'>;
  registry: Registry;
  clock: Clock;
  config: CareConfig;
}

/**
 * Database care and retention: the built-in tasks `db.vacuum-analyze`,
 * `db.size`, `db.long-running-queries`, `db.slow-queries` and
 * `retention.prune`. Their figures go to the task result and, as gauges and
 * counters, to the app's metrics registry.
 */
export function careTasks(deps: CareDeps): BuiltInTask[] {
  const metrics = createCareMetrics(deps.registry);
  const database = { db: deps.db, metrics, longQuerySeconds: deps.config.longQuerySeconds };
  return [
    vacuumAnalyzeTask(database),
    databaseSizeTask(database),
    longRunningQueriesTask(database),
    slowQueriesTask(database),
    retentionPruneTask({ db: deps.db, audit: deps.audit, clock: deps.clock, metrics, config: deps.config.retention }),
  ];
}
