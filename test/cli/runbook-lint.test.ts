import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { LintReport } from '../../src/runbooks/lint/index.js';
import { createPostgresDatabase } from '../support/db.js';
import { TestPrometheus } from '../support/prometheus.js';

/** `./bin/nexus runbook lint`, run as a person or a CI job would: no server anywhere. */

const BIN = path.resolve('bin/nexus');
const SEED = 'test/fixtures/runbooks/seed-nexus-runbooks.md';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function nexus(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      BIN,
      args,
      // No NEXUS_URL that works: lint must not need a server.
      { env: { ...process.env, NEXUS_URL: 'http://127.0.0.1:9', NEXUS_TOKEN: '', NO_COLOR: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-lint-cli-'));
});
afterAll(async () => fs.rm(tmp, { recursive: true, force: true }));

describe('nexus runbook lint', () => {
  it('prints findings like a compiler and exits 1 on the seed runbook', async () => {
    const run = await nexus(['runbook', 'lint', SEED]);
    expect(run.code).toBe(EXIT.failure);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `${SEED}:43  error  never-ends  kubectl logs -f follows the log and never exits on its own, so the step hangs with no timeout`,
      '    hint: read a bounded window instead: --since=10m or --tail=200 without -f; or keep -f and add `# nexus: timeout=60s` above the command',
    ]);
    expect(lines).toContain(
      `${SEED}:129  error  curl-url-unquoted  curl URL http://prometheus:9090/api/v1/query?query=rate(http_reque...: the shell reads the unquoted ? ( { } [ ] ) as glob, brace or syntax characters; curl expands { } [ ] in a URL as its own glob ([5m] is "bad range in URL")`,
    );
    expect(lines.filter((l) => l.startsWith(`${SEED}:`) && !l.includes(': 58 errors'))).toHaveLength(72);
    expect(lines.at(-1)).toBe(`${SEED}: 58 errors, 6 warnings, 8 infos`);
    expect(run.stderr).toBe(
      'note: SQL was not checked against a database (pass --database-url)\nnote: PromQL was not checked against Prometheus (pass --prometheus-url)\n',
    );
  });

  it('--json prints {findings, summary, checks}', async () => {
    const run = await nexus(['runbook', 'lint', SEED, '--json']);
    expect(run.code).toBe(EXIT.failure);
    const report = JSON.parse(run.stdout) as LintReport;
    expect(report.summary).toEqual({ errors: 58, warnings: 6, infos: 8 });
    expect(report.findings).toHaveLength(72);
    expect(report.findings[0]).toMatchObject({ rule: 'never-ends', severity: 'error', line: 43 });
    expect(report.checks).toEqual({ sql: 'skipped', promql: 'skipped' });
  });

  it('exits 0 on the built-in runbook, and on warnings alone', async () => {
    const clean = await nexus(['runbook', 'lint', 'runbooks/nexus-platform.md']);
    expect([clean.code, clean.stdout]).toEqual([EXIT.ok, 'runbooks/nexus-platform.md: 0 errors, 0 warnings, 0 infos\n']);
    const warnings = await nexus(['runbook', 'lint', '-'], '# T\n\n## G\n\n### P\n\n1. **List**\n\n   ```bash\n   aws s3 ls "s3://$S3_BUCKET/"\n   ```\n');
    expect(warnings.code).toBe(EXIT.ok);
    expect(warnings.stdout).toContain('<stdin>:10  warning  unresolved-placeholder  $S3_BUCKET is never assigned');
  });

  it('exits 2 on a missing file or a bad option, before linting anything', async () => {
    const missing = await nexus(['runbook', 'lint', path.join(tmp, 'missing.md')]);
    expect(missing).toEqual({ code: EXIT.usage, stdout: '', stderr: `nexus: cannot read ${path.join(tmp, 'missing.md')}: ENOENT\nhint: see \`nexus runbook lint --help\`\n` });
    const badUrl = await nexus(['runbook', 'lint', SEED, '--database-url', 'http://db']);
    expect(badUrl.code).toBe(EXIT.usage);
    expect(badUrl.stderr).toContain("option '--database-url <url>' argument 'http://db' is invalid. must be a postgres or postgresql URL");
    expect((await nexus(['runbook', 'lint'])).code).toBe(EXIT.usage);
  });
});

describe('nexus runbook lint against live servers', () => {
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let prometheus: TestPrometheus | undefined;

  beforeAll(async () => {
    [database, prometheus] = await Promise.all([createPostgresDatabase(), TestPrometheus.start()]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').finally(() => client.end());
  });
  afterAll(async () => {
    await prometheus?.stop();
    await database?.drop();
  });

  it('--database-url and --prometheus-url add the SQL check and silence the notes', async () => {
    const run = await nexus(['runbook', 'lint', SEED, '--database-url', database!.url, '--prometheus-url', prometheus!.url]);
    expect(run.code).toBe(EXIT.failure);
    expect(run.stdout).toContain(
      `${SEED}:139  error  sql-invalid  PostgreSQL rejects this SQL: column "mean_time" does not exist (at "mean_time FROM pg_stat_stateme…")\n` +
        '    hint: mean_time was renamed mean_exec_time in PostgreSQL 13 (pg_stat_statements 1.8): use mean_exec_time\n',
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`${SEED}: 59 errors, 6 warnings, 8 infos`);
    expect(run.stderr).toBe('');
  });
});
