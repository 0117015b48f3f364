import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { withTimeout } from '../timeout.js';

export type Engine = 'pglite' | 'postgres';

/** Drizzle over either engine: the same query builder and dialect for both. */
export type Orm = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface QueryResultRows<T> {
  rows: T[];
}

/**
 * The one handle on storage. Stores use `orm` (drizzle); infrastructure that
 * needs plain SQL (job queue, advisory locks, health) uses `query`.
 */
export interface Database {
  readonly engine: Engine;
  readonly orm: Orm;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * A hot-path statement, prepared once per connection under `name` on
   * PostgreSQL (later calls send only the parameters). `text` must be the same
   * for every call with that name.
   */
  prepared<T = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script without parameters (PGlite needs `exec` for that). */
  exec(script: string): Promise<void>;
  /** A session that keeps one connection, for session-level advisory locks. */
  session(): Promise<DbSession>;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /** Set for PostgreSQL, so libraries with their own pool (pg-boss) can connect. */
  readonly connectionString: string | undefined;
  /** Set for PGlite, so libraries can run SQL on the single embedded instance. */
  readonly pglite: PGlite | undefined;
}

export interface DbSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Resolves when the underlying connection is lost (never for PGlite). */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Any fixed 64-bit number; it only has to differ from other advisory lock keys. */
const MIGRATION_LOCK_KEY = 7_303_451_001;

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  logger: Logger;
  /** For tests: start PGlite from a dumped data directory (a migrated template). */
  pgliteLoadDataDir?: Blob | undefined;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = path.join(options.dataDir, 'pgdata');
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    // Also one made by an older NEXUS (0755): runbook commands run as another user must not read the database files.
    await fs.chmod(dataDir, 0o700);
  }
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.pgliteLoadDataDir ? { loadDataDir: options.pgliteLoadDataDir } : {}),
  });
  const orm = drizzlePglite({ client }) as unknown as Orm;
  return {
    engine: 'pglite',
    orm,
    connectionString: undefined,
    pglite: client,
    async query<T>(text: string, params?: unknown[]) {
      const result = await client.query<T>(text, params);
      return result.rows;
    },
    // In-process: there is no wire to save, so a prepared statement buys nothing.
    async prepared<T>(_name: string, text: string, params: unknown[]) {
      return (await client.query<T>(text, params)).rows;
    },
    async exec(script) {
      await client.exec(script);
    },
    async session() {
      // One embedded instance is one connection: a session is the instance itself.
      return {
        query: async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
        lost: new Promise<Error>(() => {}),
        release: async () => {},
      };
    },
    async ping() {
      await client.query('SELECT 1');
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'nexus',
  });
  // An idle client losing its connection must not crash the process: the pool
  // drops it and the next query reconnects, which is how we recover from an outage.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'database connection lost'));
  const orm = drizzlePg({ client: pool }) as unknown as Orm;
  return {
    engine: 'postgres',
    orm,
    connectionString: databaseUrl,
    pglite: undefined,
    async query<T>(text: string, params?: unknown[]) {
      const result = await pool.query(text, params as unknown[]);
      return result.rows as T[];
    },
    async prepared<T>(name: string, text: string, params: unknown[]) {
      const result = await pool.query({ name, text, values: params });
      return result.rows as T[];
    },
    async exec(script) {
      await pool.query(script);
    },
    async session() {
      const client = await pool.connect();
      let markLost: (error: Error) => void = () => {};
      const lost = new Promise<Error>((resolve) => (markLost = resolve));
      const onError = (error: Error) => markLost(error);
      client.on('error', onError);
      client.on('end', () => markLost(new Error('connection ended')));
      let released = false;
      return {
        query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params as unknown[])).rows as T[],
        lost,
        release: async () => {
          if (released) return;
          released = true;
          client.off('error', onError);
          // Destroy rather than return to the pool: session state (locks) must not leak.
          client.release(true);
        },
      };
    },
    async ping(timeoutMs = 2000) {
      // pool.query, not a checked-out client: a client held between queries has no
      // error listener, and a connection dropping then would be an uncaught error.
      await withTimeout(pool.query('SELECT 1'), timeoutMs);
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * Applies pending migrations. Replicas starting together would race, so the
 * whole run holds a session-level advisory lock; the second one waits, then
 * finds nothing to do.
 */
export async function runMigrations(db: Database, logger: Logger): Promise<void> {
  const started = Date.now();
  if (db.engine === 'pglite') {
    await migratePglite(db.orm as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    const client = new pg.Client({ connectionString: db.connectionString, application_name: 'nexus-migrate' });
    await client.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await client.end();
    }
  }
  logger.debug({ ms: Date.now() - started, engine: db.engine }, 'migrations applied');
}
