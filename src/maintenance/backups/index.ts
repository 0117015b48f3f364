import { Gauge, type Registry } from 'prom-client';
import type { BackupsConfig } from '../../platform/config.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { App } from '../../platform/http/types.js';
import type { Logger } from '../../platform/logger.js';
import type { MaintenanceMode } from '../../platform/maintenance-mode/index.js';
import type { BuiltInTask } from '../tasks.js';
import { pgliteEngine } from './pglite-engine.js';
import { postgresEngine } from './postgres-engine.js';
import { backupRoutes } from './routes.js';
import { BackupService, defaultWorkDir } from './service.js';
import { BackupStore } from './store.js';
import { backupTasks } from './tasks.js';
export type { Progress, VerifyReport } from './service.js';
import { targetFor } from './targets.js';

export interface BackupsDeps {
  db: Database;
  config: BackupsConfig;
  dataDir: string;
  maintenance: MaintenanceMode;
  registry: Registry;
  clock: Clock;
  logger: Logger;
  version: string;
}

export interface BackupsModule {
  service: BackupService;
  tasks: BuiltInTask[];
}

/** The service alone, for a server's routes and tasks or for `nexus backup restore --offline` with no server running. */
export function createBackupService(deps: Omit<BackupsDeps, 'registry'>): { service: BackupService; store: BackupStore } {
  const engine = deps.db.engine === 'postgres' ? postgresEngine(deps.db.connectionString!) : pgliteEngine(deps.db.pglite!);
  const store = new BackupStore(deps.db);
  const service = new BackupService({
    db: deps.db,
    engine,
    target: targetFor(deps.config),
    store,
    maintenance: deps.maintenance,
    config: deps.config,
    workDir: defaultWorkDir(deps.dataDir),
    clock: deps.clock,
    logger: deps.logger,
    version: deps.version,
  });
  return { service, store };
}

export function registerBackups(app: App, deps: BackupsDeps): BackupsModule {
  const { service, store } = createBackupService(deps);
  // Read from the catalog at each scrape: the figures survive restarts and agree across replicas.
  new Gauge({
    name: 'nexus_backup_last_verified_timestamp_seconds',
    help: 'When the newest successful backup verification (or restore drill) finished, Unix seconds; 0 if none ever did',
    registers: [deps.registry],
    async collect() {
      const at = await store.lastVerifiedAt().catch(() => null);
      this.set(at ? at.getTime() / 1000 : 0);
    },
  });
  new Gauge({
    name: 'nexus_restore_drill_duration_seconds',
    help: 'How long the latest restore drill took to restore the newest backup into a scratch database',
    registers: [deps.registry],
    async collect() {
      const seconds = await store.lastDrillSeconds().catch(() => null);
      if (seconds !== null) this.set(seconds);
    },
  });
  backupRoutes(app, service, deps.maintenance);
  return { service, tasks: backupTasks(service) };
}
