import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { lintSource, type LintReport } from '../../src/runbooks/lint/index.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { TestPrometheus } from '../support/prometheus.js';

/** POST /api/v1/runbooks/lint, as a viewer would call it, in embedded and in server mode. */

const SEED = fs.readFileSync(path.resolve('test/fixtures/runbooks/seed-nexus-runbooks.md'), 'utf8');
const URL = '/api/v1/runbooks/lint';

describe('POST /api/v1/runbooks/lint (embedded: PGlite, no Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  const lint = (payload: unknown, token = t.tokens.viewer) =>
    t.inject({ method: 'POST', url: URL, headers: bearer(token), payload: payload as Record<string, unknown> });

  it('answers a viewer with the same report the library gives, SQL and PromQL reported unchecked', async () => {
    const res = await lint({ source: SEED });
    expect(res.statusCode).toBe(200);
    const body = json<LintReport>(res);
    expect(body).toEqual(await lintSource(SEED));
    expect(body.summary).toEqual({ errors: 58, warnings: 6, infos: 8 });
    expect(body.checks).toEqual({ sql: 'skipped', promql: 'skipped' });
    expect(body.findings[0]).toEqual({
      rule: 'never-ends',
      severity: 'error',
      line: 43,
      message: 'kubectl logs -f follows the log and never exits on its own, so the step hangs with no timeout',
      hint: expect.stringContaining('--since=10m'),
      procedureId: 'p1-critical-service-down',
      commandId: expect.any(String),
    });
  });

  it('records the lint in the audit log with its counts, never the source', async () => {
    await lint({ source: SEED });
    const res = await t.inject({ method: 'GET', url: '/api/v1/audit?action=runbook.lint&limit=1', headers: bearer(t.tokens.admin) });
    const [entry] = json<{ items: Array<{ actor: string; outcome: string; details: Record<string, unknown> }> }>(res).items;
    expect(entry).toMatchObject({ actor: 'viewer-user', outcome: 'success' });
    expect(entry!.details).toEqual({ bytes: Buffer.byteLength(SEED), errors: 58, warnings: 6, infos: 8, checks: { sql: 'skipped', promql: 'skipped' } });
    expect(JSON.stringify(entry)).not.toContain('kubectl');
  });

  it('reports a runbook the parser refuses as a parse-error finding on its line', async () => {
    const res = await lint({ source: '# T\n\n## G\n\n### P\n\n<!-- nexus: timout=5s -->\n```bash\nls\n```\n' });
    expect(res.statusCode).toBe(200);
    expect(json<LintReport>(res).findings).toEqual([
      {
        rule: 'parse-error',
        severity: 'error',
        line: 7,
        message: 'unknown annotation "timout" (known: timeout, risk, runner, expect, approval)',
        hint: expect.any(String),
      },
    ]);
  });

  it('takes a runbook bigger than the app-wide body limit (quotes double in JSON)', async () => {
    const source = `# Big\n\n${`${'"'.repeat(100)}\n\n`.repeat(5500)}`;
    expect(Buffer.byteLength(JSON.stringify({ source }))).toBeGreaterThan(t.config.bodyLimitBytes);
    const res = await lint({ source });
    expect(res.statusCode).toBe(200);
    expect(json<LintReport>(res).findings).toEqual([]);
  });

  it('refuses anonymous callers, empty sources and unknown fields', async () => {
    expect((await t.inject({ method: 'POST', url: URL, payload: { source: SEED } })).statusCode).toBe(401);
    expect((await lint({ source: '' })).statusCode).toBe(400);
    expect((await lint({ source: 'x', strict: true })).statusCode).toBe(400);
    expect((await lint({})).statusCode).toBe(400);
  });
});

describe('POST /api/v1/runbooks/lint (server mode: its PostgreSQL, PROMETHEUS_URL)', () => {
  let t: TestApp | undefined;
  let prometheus: TestPrometheus | undefined;

  beforeAll(async () => {
    prometheus = await TestPrometheus.start();
    t = await createTestApp('postgres', { env: { PROMETHEUS_URL: prometheus.url } });
    const client = new pg.Client({ connectionString: t.config.databaseUrl });
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').finally(() => client.end());
  });
  afterAll(async () => {
    await t?.close();
    await prometheus?.stop();
  });

  it("checks SQL against the server's database and PromQL against its Prometheus", async () => {
    const res = await t!.inject({ method: 'POST', url: URL, headers: bearer(t!.tokens.viewer), payload: { source: SEED } });
    const body = json<LintReport>(res);
    expect(body.checks).toEqual({ sql: 'checked', promql: 'checked' });
    expect(body.findings.filter((f) => f.rule === 'sql-invalid').map((f) => [f.line, f.hint])).toEqual([
      [139, 'mean_time was renamed mean_exec_time in PostgreSQL 13 (pg_stat_statements 1.8): use mean_exec_time'],
    ]);
    expect(body.summary).toEqual({ errors: 59, warnings: 6, infos: 8 });
  });
});

describe('PROMETHEUS_URL', () => {
  it('must be an http(s) URL', () => {
    expect(loadConfig({ PROMETHEUS_URL: 'http://prometheus:9090' }).prometheusUrl).toBe('http://prometheus:9090');
    expect(loadConfig({}).prometheusUrl).toBeUndefined();
    expect(() => loadConfig({ PROMETHEUS_URL: 'prometheus:9090' })).toThrow(ConfigError);
    expect(() => loadConfig({ PROMETHEUS_URL: 'ftp://prometheus' })).toThrow('PROMETHEUS_URL: scheme must be one of http, https, got "ftp"');
  });
});
