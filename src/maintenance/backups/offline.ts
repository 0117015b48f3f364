import type { BackupsConfig } from '../../platform/config.js';
import { systemClock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { MaintenanceMode } from '../../platform/maintenance-mode/index.js';
import { createBackupService, type Progress, type VerifyReport } from './index.js';

export interface OfflineRestore {
  /** A migrated database (empty after a loss, or damaged) that no NEXUS is serving. */
  db: Database;
  config: BackupsConfig;
  dataDir: string;
  logger: Logger;
  version: string;
  idOrLatest: string;
  /** Who ran it, for the logs and the maintenance switch: no user can sign in to a lost database. */
  actor: string;
  progress: Progress;
}

/**
 * The seed's Database Corruption procedure scales the backend to 0 before it
 * restores, and a lost database has no users to authenticate a request: this
 * restore runs in the CLI's own process against the database directly, with
 * the same verify-first, maintenance-on, compare-after steps as the API's.
 */
export async function restoreOffline(options: OfflineRestore): Promise<VerifyReport> {
  const maintenance = new MaintenanceMode(options.db, options.logger);
  const { service } = createBackupService({
    db: options.db,
    config: options.config,
    dataDir: options.dataDir,
    maintenance,
    clock: systemClock,
    logger: options.logger,
    version: options.version,
  });
  return service.restore(options.idOrLatest, options.actor, options.progress);
}
