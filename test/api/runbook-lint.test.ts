import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { lintSource, type LintReport } from '../../src/runbooks/lint/index.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { ADMIN_URL } from '../support/env.js';
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

/**
 * Issue 14, defect 7: in server mode SQL was checked against NEXUS's own
 * database, so a viewer linting `SELECT password_hashh FROM users` was told
 * "did you mean password_hash". Now SQL is checked only against
 * NEXUS_LINT_SQL_URL, and callers below operator learn only syntax errors.
 */
const PROBES = [
  'SELECT password_hash FROM users;',
  'SELECT password_hashh FROM users;',
  'SELECT token_hsh FROM api_tokens;',
  'SELECT customer_emial FROM orders;',
];
const probeRunbook = (statements: string[]) =>
  `# Probe\n\n### Probe\n\n1. **Look**\n\n${statements.map((sql) => `   \`\`\`bash\n   psql -c "${sql}"\n   \`\`\`\n`).join('\n')}`;
const sqlFindings = (report: LintReport) => report.findings.filter((f) => f.rule === 'sql-invalid').map((f) => `${f.message} | ${f.hint}`);

/** A database that is not NEXUS's: one table of its own, none of NEXUS's. */
async function runbookDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `nexus_lintsrc_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`).finally(() => admin.end());
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE orders (id int, customer_email text); CREATE EXTENSION IF NOT EXISTS pg_stat_statements').finally(() => client.end());
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
    },
  };
}

describe('POST /api/v1/runbooks/lint (server mode, no NEXUS_LINT_SQL_URL)', () => {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await createTestApp('postgres', { start: { builtinRunbooksDir: null } });
  });
  afterAll(async () => t?.close());

  it("never checks SQL against NEXUS's own database: a viewer probing its schema learns nothing", async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const res = await t!.inject({ method: 'POST', url: URL, headers: bearer(t!.tokens[role]), payload: { source: probeRunbook(PROBES) } });
      const body = json<LintReport>(res);
      expect(body.checks.sql).toBe('skipped');
      expect(sqlFindings(body)).toEqual([]);
      expect(JSON.stringify(body)).not.toMatch(/password_hash"|token_hash|did you mean|does not exist/);
    }
  });
});

describe('POST /api/v1/runbooks/lint (server mode: NEXUS_LINT_SQL_URL, PROMETHEUS_URL)', () => {
  let t: TestApp | undefined;
  let prometheus: TestPrometheus | undefined;
  let target: { url: string; drop: () => Promise<void> } | undefined;

  beforeAll(async () => {
    [prometheus, target] = await Promise.all([TestPrometheus.start(), runbookDatabase()]);
    t = await createTestApp('postgres', { env: { PROMETHEUS_URL: prometheus.url, NEXUS_LINT_SQL_URL: target.url }, start: { builtinRunbooksDir: null } });
  });
  afterAll(async () => {
    await t?.close();
    await prometheus?.stop();
    await target?.drop();
  });

  const lintAs = async (role: 'viewer' | 'responder' | 'operator', source: string) =>
    json<LintReport>(await t!.inject({ method: 'POST', url: URL, headers: bearer(t!.tokens[role]), payload: { source } }));

  it("gives an operator the live check from the configured database, not NEXUS's", async () => {
    const body = await lintAs('operator', probeRunbook(PROBES));
    expect(body.checks.sql).toBe('checked');
    expect(sqlFindings(body)).toEqual([
      'PostgreSQL rejects this SQL: relation "users" does not exist (at "users") | run it with psql against the target database to see the full error (SQLSTATE 42P01)',
      'PostgreSQL rejects this SQL: relation "users" does not exist (at "users") | run it with psql against the target database to see the full error (SQLSTATE 42P01)',
      'PostgreSQL rejects this SQL: relation "api_tokens" does not exist (at "api_tokens") | run it with psql against the target database to see the full error (SQLSTATE 42P01)',
      'PostgreSQL rejects this SQL: column "customer_emial" does not exist (at "customer_emial FROM orders") | did you mean "customer_email"?',
    ]);
  });

  it('gives viewers and responders syntax errors only, never what exists in that database', async () => {
    for (const role of ['viewer', 'responder'] as const) {
      const body = await lintAs(role, probeRunbook([...PROBES, 'SELEC 1;']));
      expect(body.checks.sql).toBe('syntax-only');
      expect(sqlFindings(body)).toEqual([
        'PostgreSQL rejects this SQL: syntax error at or near "SELEC" (at "SELEC 1") | run it with psql against the target database to see the full error (SQLSTATE 42601)',
      ]);
      expect(JSON.stringify(body)).not.toMatch(/customer_email|does not exist|did you mean/);
    }
  });

  it('tells a viewer nothing through errors PostgreSQL raises after looking a table up (INSERT column counts)', async () => {
    // `orders (customer_email)` exists there, `nosuch (x)` does not: a different answer would say which.
    const probes = ['INSERT INTO orders (customer_email) VALUES (1, 2);', 'INSERT INTO nosuch (x) VALUES (1, 2);', 'INSERT INTO orders VALUES (1, 2, 3);'];
    for (const role of ['viewer', 'responder'] as const) {
      const body = await lintAs(role, probeRunbook([...probes, 'SELEC 1;']));
      expect(body.checks.sql).toBe('syntax-only');
      expect(sqlFindings(body)).toEqual([
        'PostgreSQL rejects this SQL: syntax error at or near "SELEC" (at "SELEC 1") | run it with psql against the target database to see the full error (SQLSTATE 42601)',
      ]);
      expect(JSON.stringify(body)).not.toMatch(/more expressions than target columns/);
    }
    // An operator, who may know, is told.
    expect(sqlFindings(await lintAs('operator', probeRunbook(probes.slice(0, 1))))[0]).toMatch(/INSERT has more expressions than target columns/);
  });

  it("checks the seed's PromQL against PROMETHEUS_URL", async () => {
    const body = await lintAs('viewer', SEED);
    expect(body.checks.promql).toBe('checked');
    expect(body.findings.filter((f) => f.rule === 'promql-invalid')).toEqual([]);
  });
});

describe('NEXUS_LINT_SQL_URL', () => {
  it("must not be NEXUS's own database", () => {
    const own = 'postgres://nexus:pw@db.internal:5432/nexus';
    expect(() => loadConfig({ DATABASE_URL: own, NEXUS_LINT_SQL_URL: 'postgresql://reader:other@DB.internal/nexus' })).toThrow(
      "NEXUS_LINT_SQL_URL: points at NEXUS's own database (DATABASE_URL)",
    );
    expect(loadConfig({ DATABASE_URL: own, NEXUS_LINT_SQL_URL: 'postgres://reader@db.internal/shop' }).runbooks.lintSqlUrl).toBe('postgres://reader@db.internal/shop');
    expect(() => loadConfig({ NEXUS_LINT_SQL_URL: 'mysql://x/y' })).toThrow('NEXUS_LINT_SQL_URL: scheme must be one of postgres, postgresql');
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
