import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import { createTestApp, type TestApp } from '../support/app.js';

const BIN = path.resolve('bin/nexus');
const SEED = path.resolve('test/fixtures/runbooks/seed-nexus-runbooks.md');
const DRAIN = path.resolve('test/fixtures/runbooks/annotated.md');

let t: TestApp;

/** Runs the real `./bin/nexus` against the test server, as a user's shell would. */
function nexus(args: string[], token: string, input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      BIN,
      args,
      { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true, builtinRunbooksDir: null } });
});
afterAll(async () => t?.close());

describe('nexus runbook', () => {
  it('import --strict imports nothing and exits 1 when the lint finds errors, naming the first of them', async () => {
    const strict = await nexus(['runbook', 'import', SEED, '--strict'], t.tokens.operator);
    expect(strict).toMatchObject({ code: EXIT.failure, stdout: '' });
    const lines = strict.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^lint: \d+ errors, \d+ warnings, \d+ infos$/);
    // The worst first: five errors, each with its line and rule, then where to see the rest.
    expect(lines.slice(1, 6).every((line) => /^ {2}line \d+ {2}error {2}[a-z-]+ {2}\S/.test(line))).toBe(true);
    expect(lines[6]).toMatch(new RegExp(`^  … \\d+ more: nexus runbook lint ${SEED}$`));
    expect(lines.at(-1)).toMatch(/^nexus: not imported: lint found \d+ errors \(--strict\)$/);
    const library = await nexus(['runbook', 'list', '--json'], t.tokens.viewer);
    expect((JSON.parse(library.stdout) as { items: unknown[] }).items).toEqual([]);
  });

  it('import prints the lint summary on stderr and the new version on stdout; again, that nothing changed', async () => {
    const first = await nexus(['runbook', 'import', SEED], t.tokens.operator);
    expect(first.code).toBe(EXIT.ok);
    expect(first.stderr.split('\n')[0]).toMatch(/^lint: \d+ errors, \d+ warnings, \d+ infos$/);
    expect(first.stdout).toBe('Imported nexus-platform-runbooks version 1 (11 procedures, 51 steps, 103 commands, 7 checks, 4 contacts)\n');
    const again = await nexus(['runbook', 'import', SEED], t.tokens.operator);
    expect(again.stdout).toBe('nexus-platform-runbooks is unchanged: version 1 already has this text\n');
  });

  it('import reads stdin with "-", takes --slug, and prints JSON with --json; --strict passes a runbook with only warnings', async () => {
    const run = await nexus(['runbook', 'import', '-', '--slug', 'node-drain', '--strict', '--json'], t.tokens.operator, await fs.readFile(DRAIN, 'utf8'));
    expect(run).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      runbook: { slug: 'node-drain', title: 'Drain a Kubernetes Node', latestVersion: 1 },
      version: { version: 1, importedBy: 'operator-user' },
      created: true,
      stats: { procedures: 1, commands: 5, checks: 3, contacts: 2 },
      lint: { summary: { errors: 0 } },
    });
  });

  it('list shows the library as a table, or JSON', async () => {
    const table = await nexus(['runbook', 'list'], t.tokens.viewer);
    expect(table.code).toBe(EXIT.ok);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SLUG\s+TITLE\s+VERSION\s+BUILTIN\s+UPDATED\s+ID$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['nexus-platform-runbooks', 'NEXUS Platform - Runbooks', '1', 'no'],
      ['node-drain', 'Drain a Kubernetes Node', '1', 'no'],
    ]);
    const asJson = JSON.parse((await nexus(['runbook', 'list', '--json'], t.tokens.viewer)).stdout) as { items: Array<{ slug: string }> };
    expect(asJson.items.map((r) => r.slug)).toEqual(['nexus-platform-runbooks', 'node-drain']);
  });

  it('show prints procedures with priority and SLA, phases, steps, and commands at their lines', async () => {
    const run = await nexus(['runbook', 'show', 'nexus-platform-runbooks'], t.tokens.viewer);
    expect(run.code).toBe(EXIT.ok);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe('NEXUS Platform - Runbooks  (nexus-platform-runbooks, version 1 of 1)');
    expect(out[1]).toMatch(/^Imported by operator-user at \d{4}-\d\d-\d\dT[\d:]+Z; 11 procedures, 51 steps, 103 commands, 7 checks, 4 contacts$/);
    expect(out).toContain('P1 - Critical Service Down  [P1 · Critical · respond 15 min · resolve 60 min]  (line 17, id p1-critical-service-down)');
    expect(out).toContain('  Symptoms: Service returns 5xx errors; Health checks failing; High error rate in monitoring');
    expect(out).toContain('  Immediate Actions  (line 29)');
    expect(out).toContain('    1. Acknowledge Alert  (line 31)');
    expect(out).toContain('         35  kubectl get pods -n nexus-platform    # Check service status');
    expect(out).toContain('        561  kubectl delete pod <affected-pod> -n nexus-platform    # Isolate affected pods');
    expect(out).toContain('    [ ] Backup current state  (line 263)');
    expect(out.slice(-6)).toEqual([
      'Contacts',
      '  On-Call Engineer: +1-555-0123 (phone)',
      '  Escalation Manager: +1-555-0124 (phone)',
      '  Security Team: security@nexusplatform.com (email)',
      '  Slack: #nexus-platform-alerts (slack)',
      '',
    ]);
  });

  it('show prints a multi-line command on its lines and --json gives the parsed model', async () => {
    const text = await nexus(['runbook', 'show', 'node-drain', '--version', '1'], t.tokens.viewer);
    expect(text.stdout).toContain(
      ['        24  kubectl drain <node-name> \\    # Evict everything but DaemonSets', '              --ignore-daemonsets \\'].join('\n'),
    );
    const run = await nexus(['runbook', 'show', 'node-drain', '--json'], t.tokens.viewer);
    const detail = JSON.parse(run.stdout) as { parsed: { procedures: Array<{ id: string }> }; source: string };
    expect(detail.parsed.procedures.map((p) => p.id)).toEqual(['drain-a-node']);
    expect(detail.source).toContain('# Drain a Kubernetes Node');
  });

  it('fails with the documented exit codes', async () => {
    const denied = await nexus(['runbook', 'import', SEED, '--slug', 'mine'], t.tokens.viewer);
    expect(denied.code).toBe(EXIT.unauthorized);
    const missing = await nexus(['runbook', 'show', 'nope'], t.tokens.viewer);
    expect(missing).toMatchObject({ code: EXIT.notFound, stderr: 'nexus: runbook "nope" does not exist\n' });
    const noVersion = await nexus(['runbook', 'show', 'node-drain', '--version', '7'], t.tokens.viewer);
    expect(noVersion.code).toBe(EXIT.notFound);
    const noFile = await nexus(['runbook', 'import', '/nonexistent/runbook.md'], t.tokens.operator);
    expect(noFile).toMatchObject({ code: EXIT.usage, stderr: 'nexus: cannot read /nonexistent/runbook.md: ENOENT\nhint: see `nexus runbook import --help`\n' });
    const badSlug = await nexus(['runbook', 'import', SEED, '--slug', 'Bad Slug'], t.tokens.operator);
    expect(badSlug.code).toBe(EXIT.usage);
    const bad = await nexus(['runbook', 'import', '-'], t.tokens.operator, '# Bad\n\n### P\n\n```bash\n# nexus: risk=maybe\nls\n```\n');
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr.split('\n').slice(-3)).toEqual([
      '  line 6  error  parse-error  annotation risk=maybe must be one of read, change, destructive',
      'nexus: The runbook cannot be imported: line 6: annotation risk=maybe must be one of read, change, destructive',
      '',
    ]);
  });

  it('--help lists the runbook commands', async () => {
    const run = await nexus(['runbook', '--help'], '');
    expect(run.code).toBe(EXIT.ok);
    for (const command of ['import', 'list', 'show']) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });
});
