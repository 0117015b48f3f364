import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, runMigrations } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ADMIN_URL, PGLITE_TEMPLATE_FILE, TEMPLATE_DB, TMP_DIR } from './env.js';

/**
 * Runs once per `vitest run`: migrates one PostgreSQL template database and
 * one PGlite data directory. Each test file then clones them, which costs
 * milliseconds instead of seconds and keeps PGlite's memory per worker.
 */
export default async function setup(): Promise<void> {
  const logger = createLogger('warn');
  await fs.mkdir(TMP_DIR, { recursive: true });

  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const templateUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`);
  const pgDb = await openDatabase({ databaseUrl: templateUrl, logger });
  await runMigrations(pgDb, logger);
  await pgDb.close();

  const lite = await openDatabase({ logger });
  await runMigrations(lite, logger);
  const dump = await lite.pglite!.dumpDataDir('none');
  await fs.writeFile(PGLITE_TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  await fs.writeFile(path.join(TMP_DIR, 'ready'), new Date().toISOString());
}
