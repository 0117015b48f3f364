import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Registry } from 'prom-client';
import { slowQueriesTask } from '../../src/maintenance/care/database-tasks.js';
import { createCareMetrics } from '../../src/maintenance/care/metrics.js';
import { openDatabase, type Database } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { ADMIN_URL } from '../support/env.js';
import { count, runTask, task } from './care-support.js';
import { privatePostgresUnavailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

const SECRET = 'hunter2-very-secret-password';

function metric(body: string, name: string): number {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body);
  if (!match) throw new Error(`${name} not on /metrics`);
  return Number(match[1]);
}

describe.each(ENGINES)('database care tasks on %s', (engine) => {
  let t: TestApp;
  let db: Database;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_DB_LONG_QUERY_SECONDS: '1' } });
    db = t.server.db;
  });
  afterAll(async () => t?.close());

  it('vacuums and analyses every table, one at a time, with the figures', async () => {
    const tables = await count(db, 'SELECT count(*) AS n FROM pg_stat_user_tables');
    const { result, progress } = await runTask(task(t, 'db.vacuum-analyze'));
    expect(result.ok).toBe(true);
    expect(result.details).toMatchObject({ engine, tables });
    expect(progress.filter((p) => p.message.startsWith('VACUUM (ANALYZE) '))).toHaveLength(tables);
    // ANALYZE ran: every table has statistics from it now.
    expect(await count(db, 'SELECT count(*) AS n FROM pg_stat_user_tables WHERE last_analyze IS NULL AND last_autoanalyze IS NULL')).toBe(0);
    const body = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metric(body, 'nexus_database_vacuum_duration_seconds')).toBe(result.details?.durationSeconds);
  });

  it('stops vacuuming between tables when cancelled', async () => {
    const controller = new AbortController();
    const { result } = await runTask(task(t, 'db.vacuum-analyze'), { signal: controller.signal, onProgress: () => controller.abort() });
    expect(result).toMatchObject({ ok: false, summary: expect.stringMatching(/^Cancelled after 1 of \d+ tables/) });
  });

  it('reports the database size and the largest tables, and exports them', async () => {
    await db.query(`INSERT INTO audit_log (actor, action, outcome, details) SELECT 'bulk', 'bulk.fill', 'success', jsonb_build_object('pad', repeat('x', 2000) || g) FROM generate_series(1, 3000) g`);
    const { result } = await runTask(task(t, 'db.size'));
    const details = result.details as { bytes: number; largestTables: Array<{ table: string; bytes: number }> };
    expect(details.bytes).toBeGreaterThan(details.largestTables[0]!.bytes);
    expect(details.largestTables[0]!.table).toBe('public.audit_log');
    expect(details.largestTables.length).toBeLessThanOrEqual(10);
    const sizes = details.largestTables.map((x) => x.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const body = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metric(body, 'nexus_database_size_bytes')).toBe(details.bytes);
    expect(body).toContain(`nexus_database_table_size_bytes{table="public.audit_log",subset="stable"} ${details.largestTables[0]!.bytes}`);
  });

  if (engine === 'pglite') {
    it('says that embedded PGlite has no other session to hold a long query, and no pg_stat_statements', async () => {
      const long = await runTask(task(t, 'db.long-running-queries'));
      expect(long.result.details).toMatchObject({ count: 0, sessions: [], note: expect.stringContaining('one session') });
      const slow = await runTask(task(t, 'db.slow-queries'));
      expect(slow.result).toMatchObject({ ok: true, details: { available: false, note: expect.stringContaining('PGlite does not ship') } });
      const body = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metric(body, 'nexus_database_pg_stat_statements_available')).toBe(0);
    });
    return;
  }

  describe('long-running queries on the real server', () => {
    const blockers: pg.Client[] = [];

    async function blocker(url: string, application: string): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: url, application_name: application });
      await client.connect();
      blockers.push(client);
      return client;
    }

    afterAll(async () => {
      for (const client of blockers) await client.end().catch(() => {});
    });

    it('lists other sessions past the threshold with their SQL redacted, never idle connections or other databases', async () => {
      const url = db.connectionString!;
      // An open transaction that ran a statement with a password in it, then went quiet.
      const idleInTransaction = await blocker(url, 'care-test-idle-tx');
      await idleInTransaction.query('BEGIN');
      await idleInTransaction.query(`SELECT '${SECRET}' AS password`);
      // A statement still running; and the same in another database, which is none of NEXUS's business.
      const active = await blocker(url, 'care-test-active');
      const sleeping = active.query(`SELECT pg_sleep(120), '${SECRET}'`).catch(() => {});
      const elsewhere = await blocker(ADMIN_URL, 'care-test-other-db');
      const elsewhereSleeping = elsewhere.query(`SELECT pg_sleep(120), '${SECRET}'`).catch(() => {});
      // Wait for the condition (both older than the 1 s threshold), not for a fixed time.
      for (;;) {
        const ready = await count(
          db,
          `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE 'care-test-%' AND COALESCE(xact_start, query_start) < now() - interval '1.5 seconds'`,
        );
        if (ready === 3) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }

      const { result } = await runTask(task(t, 'db.long-running-queries'));
      const details = result.details as { count: number; sessions: Array<{ application: string; state: string; query: string }> };
      expect(details.sessions.map((s) => [s.application, s.state]).sort()).toEqual([
        ['care-test-active', 'active'],
        ['care-test-idle-tx', 'idle in transaction'],
      ]);
      expect(details.count).toBe(2);
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(details.sessions.find((s) => s.application === 'care-test-active')?.query).toBe("SELECT pg_sleep(120), '…'");
      expect(result.summary).toMatch(/^2 sessions have run longer than 1 s/);
      const body = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metric(body, 'nexus_database_long_running_queries')).toBe(2);
      expect(metric(body, 'nexus_database_longest_query_seconds')).toBeGreaterThan(1);

      await db.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name IN ('care-test-active', 'care-test-other-db')`);
      await Promise.all([sleeping, elsewhereSleeping]);
    });
  });

  it('says how to get slow queries when pg_stat_statements is not installed (this machine’s server)', async () => {
    const { result } = await runTask(task(t, 'db.slow-queries'));
    expect(result).toMatchObject({ ok: true, details: { available: false, note: expect.stringContaining('shared_preload_libraries') } });
    expect(result.details?.note).toMatch(/not installed in this database/);
  });

  it('says the server must preload it when the extension exists but the server does not load it', async () => {
    const [{ preload } = { preload: '' }] = await db.query<{ preload: string }>('SELECT current_setting($1) AS preload', ['shared_preload_libraries']);
    expect(preload).not.toContain('pg_stat_statements');
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { result } = await runTask(task(t, 'db.slow-queries'));
    expect(result.details).toMatchObject({ available: false, note: expect.stringContaining('installed in this database but not loaded') });
    await db.query('DROP EXTENSION pg_stat_statements');
  });
});

const unavailable = privatePostgresUnavailable();

describe.skipIf(unavailable !== null)('db.slow-queries with pg_stat_statements loaded (a private PostgreSQL cluster)', () => {
  let server: PrivatePostgres;
  let db: Database;

  beforeAll(async () => {
    server = await startPrivatePostgres({ shared_preload_libraries: 'pg_stat_statements' });
    db = await openDatabase({ databaseUrl: server.url, logger: createLogger('silent') });
    await db.query('CREATE EXTENSION pg_stat_statements');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  it('lists statements by mean execution time, their text redacted, and exports the slowest mean', async () => {
    await db.query('SELECT pg_stat_statements_reset()');
    for (let i = 0; i < 2; i += 1) await db.query('SELECT pg_sleep(0.2)');
    await db.query('CREATE ROLE care_victim');
    await db.query(`ALTER ROLE care_victim PASSWORD '${SECRET}'`);
    const registry = new Registry();
    const metrics = createCareMetrics(registry);
    const { result } = await runTask(slowQueriesTask({ db, metrics, longQuerySeconds: 60 }));
    const statements = (result.details as { available: boolean; statements: Array<{ query: string; calls: number; meanMs: number }> }).statements;
    expect(result.details?.available).toBe(true);
    expect(statements[0]).toMatchObject({ calls: 2, query: expect.stringContaining('pg_sleep') });
    expect(statements[0]!.meanMs).toBeGreaterThanOrEqual(200);
    // The password statement is among those listed, and its literal is not.
    expect(statements.some((s) => s.query.startsWith('ALTER ROLE care_victim PASSWORD'))).toBe(true);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect((await registry.getSingleMetric('nexus_database_pg_stat_statements_available')!.get()).values[0]?.value).toBe(1);
    expect((await registry.getSingleMetric('nexus_database_slowest_statement_mean_seconds')!.get()).values[0]?.value).toBe(statements[0]!.meanMs / 1000);
  });
});
