import { loadConfig } from '../platform/config.js';
import { openDatabase, runMigrations } from '../platform/db/index.js';
import { createLogger } from '../platform/logger.js';
import { createStartupTimer } from '../platform/startup.js';
import { startServer } from '../server.js';

/** `nexus serve`: runs until SIGINT/SIGTERM, then drains and closes cleanly. */
export async function serve(): Promise<void> {
  // Everything this command needs is imported by now: the time since the process began is loading the code.
  const startup = createStartupTimer({ fromProcessStart: true });
  startup.phase('code');
  const config = loadConfig();
  const server = await startServer(config, { startup });
  const mode = config.databaseUrl ? 'server mode (PostgreSQL)' : `embedded mode (PGlite in ${config.dataDir})`;
  let banner = `NEXUS listening on ${server.url} — ${mode}${config.redisUrl ? ' with Redis' : ''}\n`;
  if (server.bootstrap?.password) {
    banner +=
      `\nFirst start: created user "admin" with one-time password:\n\n    ${server.bootstrap.password}\n\n` +
      'It is not stored anywhere else and will not be shown again.\n\n';
  }
  // One write: a reader of stdout sees the address and the password together.
  process.stdout.write(banner);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    // A drain that hangs (a stuck connection) must not keep a stopped replica alive.
    setTimeout(() => {
      server.app.log.error('graceful shutdown took over 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    server
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** `nexus migrate`: applies pending migrations and exits. */
export async function migrate(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    await runMigrations(db, logger);
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    process.stdout.write(`Migrations up to date (${row?.n ?? 0} applied) on ${db.engine}\n`);
  } finally {
    await db.close();
  }
}
