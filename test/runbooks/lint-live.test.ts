import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintReport, lintRunbook, type Finding } from '../../src/runbooks/lint/index.js';
import { parseRunbook } from '../../src/runbooks/parser/index.js';
import { createPostgresDatabase } from '../support/db.js';
import { TestPrometheus } from '../support/prometheus.js';
import { runbookOf } from '../support/runbook-model.js';

/**
 * sql-invalid and promql-invalid against the machine's real PostgreSQL 15
 * and a real Prometheus: the checks only mean something against the servers
 * that will answer the commands.
 */

const SEED = parseRunbook(fs.readFileSync(path.resolve('test/fixtures/runbooks/seed-nexus-runbooks.md'), 'utf8'));
const BUILTIN = parseRunbook(fs.readFileSync(path.resolve('runbooks/nexus-platform.md'), 'utf8'));

const psql = (sql: string) => `kubectl exec deployment/nexus-postgres -n nexus-platform -- psql -U postgres -d nexus_platform -c "${sql}"`;
const promCurl = (expr: string) => `curl -s -G 'http://prometheus:9090/api/v1/query' --data-urlencode 'query=${expr}'`;
const only = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let database: { url: string; drop: () => Promise<void> };
let bare: { url: string; drop: () => Promise<void> };
let prometheus: TestPrometheus | undefined;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  [database, bare, prometheus] = await Promise.all([createPostgresDatabase(), createPostgresDatabase(), TestPrometheus.start()]);
  // PREPARE-style analysis only needs the view to exist, not shared_preload_libraries.
  await query(database.url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await query(database.url, 'CREATE TABLE lint_sentinel (id int); INSERT INTO lint_sentinel VALUES (1)');
});
afterAll(async () => {
  await prometheus?.stop();
  await database?.drop();
  await bare?.drop();
});

describe('sql-invalid against a live PostgreSQL 15', () => {
  it("finds the seed's pg_stat_statements.mean_time and names its new name", async () => {
    const report = await lintReport(SEED, { databaseUrl: database.url });
    expect(report.checks.sql).toBe('checked');
    expect(only(report.findings, 'sql-invalid')).toEqual([
      {
        rule: 'sql-invalid',
        severity: 'error',
        line: 139,
        message: 'PostgreSQL rejects this SQL: column "mean_time" does not exist (at "mean_time FROM pg_stat_stateme…")',
        hint: 'mean_time was renamed mean_exec_time in PostgreSQL 13 (pg_stat_statements 1.8): use mean_exec_time',
        procedureId: 'p2-high-error-rate',
        commandId: expect.any(String),
      },
    ]);
    expect(report.summary).toEqual({ errors: 59, warnings: 6, infos: 8 });
  });

  it('suggests a similar column from the catalog when no known rename fits', async () => {
    const findings = await lintRunbook(runbookOf([psql('SELECT pid, query_strt FROM pg_stat_activity;')]), { databaseUrl: database.url });
    expect(only(findings, 'sql-invalid').map((f) => [f.severity, f.message, f.hint])).toEqual([
      ['error', 'PostgreSQL rejects this SQL: column "query_strt" does not exist (at "query_strt FROM pg_stat_activi…")', 'did you mean "query_start"?'],
    ]);
  });

  it('syntax-checks utility statements without running them, and runs nothing it checks', async () => {
    const findings = await lintRunbook(
      runbookOf([
        psql('VACUM ANALYZE;'),
        psql('VACUUM ANALYZE;'),
        psql('DROP TABLE lint_sentinel;'),
        psql('DELETE FROM lint_sentinel; INSERT INTO lint_sentinel VALUES (2)'),
        psql('SELECT 1; DROP TABLE lint_sentinel'),
        psql('SELECT \\$1::int'),
        psql("SELECT pg_size_pretty(pg_database_size('nexus_platform'));"),
      ]),
      { databaseUrl: database.url },
    );
    expect(only(findings, 'sql-invalid').map((f) => [f.line, f.severity, f.message])).toEqual([
      [10, 'error', 'PostgreSQL rejects this SQL: syntax error at or near "VACUM" (at "VACUM ANALYZE")'],
    ]);
    expect(await query(database.url, 'SELECT id FROM lint_sentinel')).toEqual([{ id: 1 }]);
  });

  it('tells a caller without the role to query the database only what the SQL parser rejects, never what exists there', async () => {
    const statements = [
      psql('SELECT pid, query_strt FROM pg_stat_activity;'),
      psql('SELECT secret FROM lint_sentinel;'),
      psql('SELECT id FROM no_such_table;'),
      psql('SELEC 1;'),
    ];
    const full = await lintReport(runbookOf(statements), { databaseUrl: database.url });
    expect(only(full.findings, 'sql-invalid').map((f) => f.line)).toEqual([10, 11, 12, 13]);
    expect(full.findings.some((f) => f.hint === 'did you mean "query_start"?')).toBe(true);

    const syntax = await lintReport(runbookOf(statements), { databaseUrl: database.url, sqlDetail: 'syntax' });
    expect(syntax.checks.sql).toBe('syntax-only');
    expect(only(syntax.findings, 'sql-invalid').map((f) => [f.line, f.severity, f.message])).toEqual([
      [13, 'error', 'PostgreSQL rejects this SQL: syntax error at or near "SELEC" (at "SELEC 1")'],
    ]);
    expect(JSON.stringify(syntax)).not.toMatch(/query_start|lint_sentinel|does not exist|did you mean/);
  });

  it('says the SQL was not checked when the extension it reads is not installed there', async () => {
    const findings = await lintRunbook(runbookOf([psql('SELECT query, mean_exec_time FROM pg_stat_statements;')]), { databaseUrl: bare.url });
    expect(only(findings, 'sql-invalid').map((f) => [f.severity, f.message, f.hint])).toEqual([
      [
        'info',
        'SQL could not be checked: relation "pg_stat_statements" does not exist (at "pg_stat_statements")',
        'CREATE EXTENSION pg_stat_statements in the database lint checks against',
      ],
    ]);
  });

  it('reports an unreachable database once, without its password, and checks nothing', async () => {
    const url = `postgres://nexus:s3cret-password@127.0.0.1:${await closedPort()}/nexus_platform`;
    const report = await lintReport(runbookOf([psql('SELECT 1;'), psql('SELECT 2;')]), { databaseUrl: url, timeoutMs: 2000 });
    expect(report.checks.sql).toBe('failed');
    expect(report.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([['live-check-failed', 'warning', 10]]);
    expect(report.findings[0]!.message).toMatch(/^could not reach PostgreSQL at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(JSON.stringify(report)).not.toContain('s3cret');
  });
});

describe('promql-invalid against a live Prometheus', () => {
  it('accepts every query of the seed and the built-in runbook (they parse; the seed only quotes them wrong)', async () => {
    const seed = await lintReport(SEED, { prometheusUrl: prometheus!.url });
    expect(seed.checks.promql).toBe('checked');
    expect(only(seed.findings, 'promql-invalid')).toEqual([]);
  });

  it('reports what the Prometheus parser rejects', async () => {
    const findings = await lintRunbook(
      runbookOf([
        promCurl('rate(http_requests_total[5m]'),
        promCurl('rate(http_requests_total)'),
        promCurl('sum(rate(http_requests_total{status=~"5.."}[5m]))'),
        'curl -s http://prometheus:9090/api/v1/query?query=rate(http_requests_total{status=~"5.."}[5m)',
      ]),
      { prometheusUrl: prometheus!.url },
    );
    expect(only(findings, 'promql-invalid').map((f) => [f.line, f.severity, f.message])).toEqual([
      [10, 'error', 'Prometheus rejects the query rate(http_requests_total[5m]: 1:29: parse error: unclosed left parenthesis'],
      [11, 'error', 'Prometheus rejects the query rate(http_requests_total): 1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
      [13, 'error', expect.stringMatching(/^Prometheus rejects the query rate\(http_requests_total\{status=~"5\.\."\}\[5m\): .*parse error/)],
    ]);
  });

  it('reports an unreachable Prometheus once', async () => {
    const report = await lintReport(runbookOf([promCurl('up'), promCurl('up == 0')]), { prometheusUrl: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2000 });
    expect(report.checks.promql).toBe('failed');
    expect(report.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([['live-check-failed', 'warning', 10]]);
  });
});

describe('the built-in runbook against both live servers', () => {
  it('has no findings at all, and both live checks ran', async () => {
    const report = await lintReport(BUILTIN, { databaseUrl: database.url, prometheusUrl: prometheus!.url });
    expect(report.checks).toEqual({ sql: 'checked', promql: 'checked' });
    expect(report.findings).toEqual([]);
  });
});
