import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import pg from 'pg';
import { openDatabase, runMigrations } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ADMIN_URL, TMP_DIR, pgliteTemplateFile, templateDb } from './env.js';

/** Templates older than this belong to runs that were killed; they are swept. */
const STALE_MS = 3 * 3600_000;

async function sweepStaleTemplates(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'nexus\\_tpl\\_%' OR datname LIKE 'nexus\\_t\\_%'",
  );
  for (const { datname } of rows) {
    const stamp = Number.parseInt(datname.split('_').at(-2) ?? '', 36);
    if (Number.isFinite(stamp) && Date.now() - stamp > STALE_MS) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    }
  }
}

/**
 * Runs once per `vitest run`: migrates one PostgreSQL template database and
 * one PGlite data directory, named for this run. Each test file then clones
 * them, which costs milliseconds instead of seconds.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.NEXUS_TEST_RUN_ID ??= `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const TEMPLATE_DB = templateDb();
  const PGLITE_TEMPLATE_FILE = pgliteTemplateFile();
  const logger = createLogger('warn');
  await fs.mkdir(TMP_DIR, { recursive: true });

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await sweepStaleTemplates(admin);
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const pgDb = await openDatabase({ databaseUrl: ADMIN_URL.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`), logger });
  await runMigrations(pgDb, logger);
  await pgDb.close();

  const lite = await openDatabase({ logger });
  await runMigrations(lite, logger);
  const dump = await lite.pglite!.dumpDataDir('none');
  await fs.writeFile(PGLITE_TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await lite.close();

  return async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`).catch(() => {});
    await c.end();
    await fs.rm(PGLITE_TEMPLATE_FILE, { force: true });
  };
}
