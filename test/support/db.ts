import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import pg from 'pg';
import { openDatabase, type Database, type Engine } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ADMIN_URL, pgliteTemplateFile, templateDb } from './env.js';

export const ENGINES: Engine[] = ['pglite', 'postgres'];

export interface TestDatabase {
  db: Database;
  /** Connection string of the fresh PostgreSQL database (undefined for PGlite). */
  url: string | undefined;
  /** Closes and, for PostgreSQL, drops the database. */
  dispose(): Promise<void>;
}

/** A fresh PostgreSQL database cloned from the migrated template; returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  // The time part lets a later run's global setup sweep databases of killed runs.
  const name = `nexus_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb()}`);
  } finally {
    await admin.end();
  }
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The migrated PGlite template, for starting an embedded instance with data already in place. */
export async function pgliteTemplate(): Promise<Blob> {
  return new Blob([await fs.readFile(pgliteTemplateFile())]);
}

/** A fresh, migrated database of the given engine, owned by one test file. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const logger = createLogger('silent');
  if (engine === 'postgres') {
    const { url, drop } = await createPostgresDatabase();
    const db = await openDatabase({ databaseUrl: url, logger });
    return {
      db,
      url,
      dispose: async () => {
        await db.close();
        await drop();
      },
    };
  }
  const db = await openDatabase({ logger, pgliteLoadDataDir: await pgliteTemplate() });
  return { db, url: undefined, dispose: () => db.close() };
}
