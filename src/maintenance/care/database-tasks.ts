import { performance } from 'node:perf_hooks';
import type { Database } from '../../platform/db/index.js';
import type { BuiltInTask, TaskContext, TaskResult } from '../tasks.js';
import { LARGEST_TABLES, type CareMetrics } from './metrics.js';
import { redactQueryText } from './query-text.js';

export interface DatabaseTaskDeps {
  db: Database;
  metrics: CareMetrics;
  /** Threshold of db.long-running-queries. */
  longQuerySeconds: number;
}

/** How many long-running sessions and slow statements a result lists (the metrics count them all). */
const LISTED = 20;
const SLOWEST = 10;

const EMBEDDED_SESSIONS_NOTE =
  'Embedded PGlite has exactly one session, NEXUS itself, and runs one statement at a time: no other session can hold a long query there.';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function cancelled(context: TaskContext, done: string): TaskResult | undefined {
  return context.signal.aborted ? { ok: false, summary: `Cancelled after ${done}` } : undefined;
}

export function vacuumAnalyzeTask(deps: DatabaseTaskDeps): BuiltInTask {
  return {
    key: 'db.vacuum-analyze',
    title: 'Vacuum and analyse the database',
    description: 'VACUUM (ANALYZE) every table of the NEXUS database, one table at a time, so dead rows are reclaimed and plans use fresh statistics.',
    async run(context) {
      const started = performance.now();
      const tables = await deps.db.query<{ name: string }>(
        `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables ORDER BY schemaname, relname`,
      );
      let done = 0;
      // One table per statement: a cancel takes effect between tables, and no statement holds
      // its (non-blocking) SHARE UPDATE EXCLUSIVE lock on more than one table at a time.
      for (const { name } of tables) {
        const stop = cancelled(context, `${done} of ${tables.length} tables`);
        if (stop) return { ...stop, details: { tables: done, durationSeconds: (performance.now() - started) / 1000 } };
        context.progress(done / Math.max(tables.length, 1), `VACUUM (ANALYZE) ${name}`);
        await deps.db.exec(`VACUUM (ANALYZE) ${name}`);
        done += 1;
      }
      const ms = performance.now() - started;
      const durationSeconds = Number((ms / 1000).toFixed(3));
      deps.metrics.vacuumDuration.set(durationSeconds);
      deps.metrics.vacuumLast.set(Date.now() / 1000);
      context.progress(1, `vacuumed ${done} tables`);
      return {
        ok: true,
        summary: `Vacuumed and analysed ${done} tables in ${seconds(ms)}`,
        details: { engine: deps.db.engine, tables: done, durationSeconds },
      };
    },
  };
}

export function databaseSizeTask(deps: DatabaseTaskDeps): BuiltInTask {
  return {
    key: 'db.size',
    title: 'Database size',
    description: `Size of the NEXUS database and of its ${LARGEST_TABLES} largest tables (indexes and TOAST included).`,
    async run() {
      const [database] = await deps.db.query<{ bytes: string }>('SELECT pg_database_size(current_database())::text AS bytes');
      const tables = await deps.db.query<{ name: string; bytes: string; rows: string }>(
        `SELECT schemaname || '.' || relname AS name, pg_total_relation_size(relid)::text AS bytes, n_live_tup::text AS rows
           FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC, relname LIMIT $1`,
        [LARGEST_TABLES],
      );
      const bytes = Number(database?.bytes ?? 0);
      const largest = tables.map((t) => ({ table: t.name, bytes: Number(t.bytes), rowsEstimate: Number(t.rows) }));
      deps.metrics.databaseSize.set(bytes);
      // A table that left the top ten must not keep its old figure.
      deps.metrics.tableSize.reset();
      for (const t of largest) deps.metrics.tableSize.set({ table: t.table }, t.bytes);
      const top = largest[0];
      return {
        ok: true,
        summary: `Database is ${mebibytes(bytes)}${top ? `; largest table ${top.table} (${mebibytes(top.bytes)})` : ''}`,
        details: { engine: deps.db.engine, bytes, largestTables: largest },
      };
    },
  };
}

interface ActivityRow {
  pid: number;
  user: string | null;
  application: string | null;
  state: string;
  seconds: number;
  wait_event_type: string | null;
  query: string | null;
  total: string;
}

export function longRunningQueriesTask(deps: DatabaseTaskDeps): BuiltInTask {
  return {
    key: 'db.long-running-queries',
    title: 'Long-running queries',
    description: `Statements and open transactions of other sessions in the NEXUS database running longer than ${deps.longQuerySeconds} s.`,
    async run() {
      // Only NEXUS's own database (another database's sessions are none of its business), never this
      // session, and never idle connections (NEXUS's pool and pg-boss keep some open by design). An idle
      // transaction counts from its start: it holds locks and stops VACUUM however quiet it looks.
      const rows = await deps.db.query<ActivityRow>(
        `SELECT pid, usename AS user, application_name AS application, state, wait_event_type,
                EXTRACT(EPOCH FROM now() - since)::float8 AS seconds, left(query, 4096) AS query,
                count(*) OVER ()::text AS total
           FROM (SELECT *, CASE WHEN state = 'active' THEN query_start ELSE COALESCE(xact_start, query_start) END AS since
                   FROM pg_stat_activity) a
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            AND state IS NOT NULL AND state <> 'idle' AND since < now() - make_interval(secs => $1)
          ORDER BY since LIMIT $2`,
        [deps.longQuerySeconds, LISTED],
      );
      const total = Number(rows[0]?.total ?? 0);
      const sessions = rows.map((r) => ({
        pid: r.pid,
        user: r.user,
        application: r.application,
        state: r.state,
        waitEventType: r.wait_event_type,
        seconds: Number(Number(r.seconds).toFixed(1)),
        // Other sessions' SQL may carry passwords and keys: only a short, literal-free form leaves.
        query: r.query === null ? null : redactQueryText(r.query),
      }));
      deps.metrics.longRunning.set(total);
      deps.metrics.longestQuery.set(sessions[0]?.seconds ?? 0);
      const details: Record<string, unknown> = { engine: deps.db.engine, thresholdSeconds: deps.longQuerySeconds, count: total, sessions };
      if (deps.db.engine === 'pglite') details.note = EMBEDDED_SESSIONS_NOTE;
      return {
        ok: true,
        summary:
          total === 0
            ? `No query has run longer than ${deps.longQuerySeconds} s`
            : `${total} ${total === 1 ? 'session has' : 'sessions have'} run longer than ${deps.longQuerySeconds} s (longest ${sessions[0]!.seconds} s)`,
        details,
      };
    },
  };
}

interface StatementRow {
  queryid: string | null;
  calls: string;
  mean_ms: number;
  total_ms: number;
  rows: string;
  query: string | null;
}

export type StatementsProbe = { available: true; schema: string } | { available: false; note: string };

/** Whether pg_stat_statements can answer here, and why not when it cannot. */
export async function probeStatements(db: Database): Promise<StatementsProbe> {
  if (db.engine === 'pglite') {
    return { available: false, note: 'Embedded PGlite does not ship the pg_stat_statements extension; slow queries can only be listed on PostgreSQL.' };
  }
  const [ext] = await db.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  if (!ext) {
    return {
      available: false,
      note: "pg_stat_statements is not installed in this database: add it to PostgreSQL's shared_preload_libraries, restart PostgreSQL, then run CREATE EXTENSION pg_stat_statements in the NEXUS database.",
    };
  }
  return { available: true, schema: ext.schema };
}

export function slowQueriesTask(deps: DatabaseTaskDeps): BuiltInTask {
  return {
    key: 'db.slow-queries',
    title: 'Slow queries',
    description: `The ${SLOWEST} statements with the highest mean execution time, from pg_stat_statements when the extension is there.`,
    async run() {
      const probe = await probeStatements(deps.db);
      if (!probe.available) return notThere(deps, probe.note);
      let rows: StatementRow[];
      try {
        rows = await deps.db.query<StatementRow>(
          `SELECT s.queryid::text AS queryid, s.calls::text AS calls, s.mean_exec_time AS mean_ms, s.total_exec_time AS total_ms,
                  s.rows::text AS rows, left(s.query, 4096) AS query
             FROM ${quoteIdentifier(probe.schema)}.pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = current_database()
            ORDER BY s.mean_exec_time DESC LIMIT $1`,
          [SLOWEST],
        );
      } catch (error) {
        // 55000: created in the database but not preloaded by the server, so the view cannot answer.
        if ((error as { code?: string }).code === '55000') {
          return notThere(deps, "pg_stat_statements is installed in this database but not loaded by the server: add it to PostgreSQL's shared_preload_libraries and restart PostgreSQL.");
        }
        throw error;
      }
      const statements = rows.map((r) => ({
        queryId: r.queryid,
        calls: Number(r.calls),
        meanMs: Number(Number(r.mean_ms).toFixed(3)),
        totalMs: Number(Number(r.total_ms).toFixed(3)),
        rows: Number(r.rows),
        query: r.query === null ? null : redactQueryText(r.query),
      }));
      deps.metrics.statementsAvailable.set(1);
      deps.metrics.slowestMean.set((statements[0]?.meanMs ?? 0) / 1000);
      const top = statements[0];
      return {
        ok: true,
        summary: top ? `Slowest statement averages ${top.meanMs.toFixed(1)} ms over ${top.calls} calls` : 'pg_stat_statements has no statements for this database yet',
        details: { engine: deps.db.engine, available: true, statements },
      };
    },
  };
}

function notThere(deps: DatabaseTaskDeps, note: string): TaskResult {
  deps.metrics.statementsAvailable.set(0);
  deps.metrics.slowestMean.set(0);
  // Not a failure: the database is fine, the evidence is just not collected there.
  return { ok: true, summary: 'Slow queries unavailable: pg_stat_statements is not there', details: { engine: deps.db.engine, available: false, note } };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
