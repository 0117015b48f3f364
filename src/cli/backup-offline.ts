import { restoreOffline, type VerifyReport } from '../maintenance/index.js';
import { loadConfig } from '../platform/config.js';
import { openDatabase, runMigrations } from '../platform/db/index.js';
import { createLogger } from '../platform/logger.js';
import { VERSION } from '../platform/version.js';

/**
 * `nexus backup restore --offline`: no server, no sign-in. The database named
 * by DATABASE_URL (or the embedded one in NEXUS_DATA_DIR) is migrated, then
 * replaced by the backup; every NEXUS on it must be stopped first (the seed
 * scales the backend to 0), since the embedded engine allows one process only.
 */
export async function restoreBackupOffline(idOrLatest: string, note: (line: string) => void): Promise<VerifyReport> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    await runMigrations(db, logger);
    let last = '';
    return await restoreOffline({
      db,
      config: config.backups,
      dataDir: config.dataDir,
      logger,
      version: VERSION,
      idOrLatest,
      actor: `nexus backup restore --offline (${process.env.USER ?? 'unknown user'})`,
      progress: (fraction, message) => {
        const line = fraction === null ? message : `${message} (${Math.round(fraction * 100)} %)`;
        if (line !== last) note(line);
        last = line;
      },
    });
  } finally {
    await db.close();
  }
}
