import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addRunbook, api, getRun, until } from '../runs/support.js';

const BIN = path.resolve('bin/nexus');

const RUNBOOK = `# CLI Run Test

## Procedures

### P1 - Check Things

#### Steps

1. **Wait for marker**
   \`\`\`bash
   # Print, wait for the marker file, print again
   echo first line; while [ ! -e "$MARKER" ]; do sleep 0.05; done; echo second line
   \`\`\`

### P2 - Failing Procedure

#### Steps

1. **Fail**
   \`\`\`bash
   echo about to fail; exit 3
   \`\`\`

2. **Never**
   \`\`\`bash
   echo never runs
   \`\`\`

### Destroy Things

#### Steps

1. **Drop it**
   <!-- nexus: risk=destructive -->
   \`\`\`bash
   echo dropping
   \`\`\`

2. **Look**
   \`\`\`bash
   echo looked
   \`\`\`

### Mixed Step

#### Steps

1. **Drop, then look**
   <!-- nexus: risk=destructive -->
   \`\`\`bash
   echo dropping
   \`\`\`

   \`\`\`bash
   echo looked
   \`\`\`

### Secret Things

#### Steps

1. **Use secret**
   \`\`\`bash
   # Call the API as the pod
   echo "token is $API_TOKEN for <pod-name>"
   \`\`\`
`;

interface Cli {
  stdout(): string;
  stderr(): string;
  /** Resolves with the text once stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number>;
}

/** `./bin/nexus …` as a user's shell runs it; stdin is not a terminal (like a script's). */
function nexus(args: string[], token: string, env: Record<string, string> = {}): Cli {
  const child = spawn(BIN, args, {
    env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve(code ?? (signal ? -1 : 0));
    }),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    until(`stdout to match ${pattern}; stdout so far:\n${stdout}\nstderr:\n${stderr}`, () => pattern.exec(stdout)?.[0], timeoutMs);
  return { stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}

async function finished(cli: Cli): Promise<{ code: number; stdout: string; stderr: string }> {
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

async function runCount(): Promise<number> {
  return (await api<{ items: unknown[] }>(t, 'viewer', 'GET', '/api/v1/runs?limit=500')).body.items.length;
}

let t: TestApp;
let slug: string;
let tmp: string;

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true, builtinRunbooksDir: null } });
  slug = (await addRunbook(t, RUNBOOK, 'cli-run')).slug;
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-cli-run-'));
  // Commands run as the runner user: they look for the marker file here.
  await fs.chmod(tmp, 0o755);
});
afterAll(async () => {
  await t?.close();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('nexus runbook run', () => {
  it('names missing parameters with where the runbook uses them (exit 2), creating no run', async () => {
    const before = await runCount();
    const res = await finished(nexus(['runbook', 'run', slug, 'P1', '--all', '--follow'], t.tokens.responder));
    expect(res.code).toBe(EXIT.usage);
    expect(res.stderr).toContain('missing parameters');
    expect(res.stderr).toMatch(/MARKER\s+\(\$MARKER, line \d+: Print, wait for the marker file, print again\)/);
    expect(await runCount()).toBe(before);
  });

  it('--follow prints a read step\'s output while it runs, then its end and progress (exit 0)', async () => {
    const marker = path.join(tmp, `marker-${randomBytes(4).toString('hex')}`);
    const cli = nexus(['runbook', 'run', slug, 'P1', '--param', `MARKER=${marker}`, '--all', '--follow'], t.tokens.responder);
    await cli.waitFor(/steps\.1\.c1 \| first line\n/);
    // The command is still blocked on the marker: the line arrived live, not at the end.
    const runId = /^Run ([0-9a-f-]{36}):/m.exec(cli.stdout())![1]!;
    expect((await getRun(t, runId)).steps[0]!.state).toBe('running');
    expect(cli.stdout()).not.toContain('| second line');
    await fs.writeFile(marker, '');
    const res = await finished(cli);
    expect(res.code).toBe(EXIT.ok);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toBe(`Run ${runId}: P1 - Check Things (cli-run version 1), waiting`);
    expect(lines).toContain(`Parameters: MARKER=${marker}`);
    expect(lines).toContain('[steps.1.c1] queued');
    expect(lines.some((l) => /^\[steps\.1\.c1\] running on local:/.test(l))).toBe(true);
    expect(lines).toContain('steps.1.c1 | second line');
    expect(lines.some((l) => /^\[steps\.1\.c1\] succeeded \(exit 0, [\d.]+ m?s\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^progress: 1\/1 commands done \(1 succeeded, 0 failed\), /.test(l))).toBe(true);
    expect(lines).toContain(`run ${runId}: succeeded`);
    // Order: the first line, then the state change, then the second line.
    expect(res.stdout.indexOf('| first line')).toBeLessThan(res.stdout.indexOf('] succeeded'));
    expect(res.stdout.indexOf('] succeeded')).toBeGreaterThan(res.stdout.indexOf('| second line'));
  });

  it('exits 1 when a step fails, does not request the ones after it, and --json prints the final run', async () => {
    const res = await finished(nexus(['runbook', 'run', slug, 'p2-failing', '--all', '--follow', '--json'], t.tokens.responder));
    expect(res.code).toBe(EXIT.failure);
    const run = JSON.parse(res.stdout) as Run;
    expect(run.status).toBe('waiting');
    expect(run.steps.map((s) => [s.commandId, s.state, s.exitCode])).toEqual([
      ['p2-failing-procedure.steps.1.c1', 'failed', 3],
      ['p2-failing-procedure.steps.2.c1', 'pending', null],
    ]);
    // With --json the progress goes to stderr, so stdout stays one JSON document.
    expect(res.stderr).toContain('steps.1.c1 | about to fail');
    expect(res.stderr).toMatch(/\[steps\.1\.c1\] failed \(exit 3, [\d.]+ m?s\)/);
    expect(res.stderr).toContain('progress: 1/2 commands done (0 succeeded, 1 failed)');
    expect(res.stderr).toContain('not requested: steps.2.c1');
    expect(res.stderr).not.toContain('| never runs');
  });

  it('refuses change or destructive commands without --yes when there is no terminal (exit 2, no run)', async () => {
    const before = await runCount();
    const res = await finished(nexus(['runbook', 'run', slug, 'destroy', '--all'], t.tokens.operator));
    expect(res.code).toBe(EXIT.usage);
    expect(res.stderr).toMatch(/pass --yes to request them:\n\s+destructive\s+steps\.1\.c1\s+echo dropping/);
    expect(await runCount()).toBe(before);
  });

  it('a destructive step prints who must approve it; --no-wait-approval then exits 1', async () => {
    const res = await finished(nexus(['runbook', 'run', slug, 'destroy', '--all', '--follow', '--yes', '--no-wait-approval'], t.tokens.operator));
    expect(res.code).toBe(EXIT.failure);
    expect(res.stdout).toMatch(
      /\[steps\.1\.c1\] awaiting approval: requested by operator-user; a second person with the approver role \(operator or admin, unless NEXUS_RUN_POLICY says otherwise\), not operator-user, must approve it/,
    );
    expect(res.stdout).toContain('not requested: steps.2.c1');
    expect(res.stdout).toMatch(/stopped following: a step awaits approval/);
    expect(res.stdout).not.toContain('| dropping');
  });

  it('by default waits for the approval, then runs the step and the ones after it (exit 0)', async () => {
    const cli = nexus(['runbook', 'run', slug, 'destroy', '--all', '--follow', '--yes'], t.tokens.operator);
    await cli.waitFor(/awaiting approval/);
    const runId = /^Run ([0-9a-f-]{36}):/m.exec(cli.stdout())![1]!;
    const approved = await api(t, 'admin', 'POST', `/api/v1/runs/${runId}/steps/destroy-things.steps.1.c1/approve`);
    expect(approved.status).toBe(200);
    const res = await finished(cli);
    expect(res.code).toBe(EXIT.ok);
    expect(res.stdout).toContain('steps.1.c1 | dropping');
    expect(res.stdout).toContain('steps.2.c1 | looked');
    expect(res.stdout).toContain('progress: 2/2 commands done (2 succeeded, 0 failed)');
  });

  it('never echoes a secret: the value is redacted in the output and "[secret]" in the run', async () => {
    const secret = `s3cr3t-${randomBytes(6).toString('hex')}`;
    const res = await finished(
      nexus(['runbook', 'run', slug, 'Secret', '--secret-from-env', 'API_TOKEN', '--param', 'pod-name=web-1', '--step', 'steps.1', '--follow'], t.tokens.responder, {
        API_TOKEN: secret,
      }),
    );
    expect(res.code).toBe(EXIT.ok);
    expect(res.stdout).toContain('steps.1.c1 | token is [redacted] for web-1');
    expect(res.stdout).toContain('Parameters: API_TOKEN=[secret] POD_NAME=web-1');
    expect(res.stdout + res.stderr).not.toContain(secret);
  });

  it('without --follow requests the steps and exits 0 at once; without steps it only creates the run', async () => {
    const requested = await finished(nexus(['runbook', 'run', slug, 'p2', '--step', 'steps.1', '--json'], t.tokens.responder));
    expect(requested.code).toBe(EXIT.ok);
    const run = JSON.parse(requested.stdout) as Run;
    expect(['queued', 'running', 'failed']).toContain(run.steps[0]!.state);
    expect(requested.stderr).toContain('[steps.1.c1] queued');

    const created = await finished(nexus(['runbook', 'run', slug, 'p2'], t.tokens.responder));
    expect(created.code).toBe(EXIT.ok);
    expect(created.stdout).toMatch(/^Run [0-9a-f-]{36}: P2 - Failing Procedure \(cli-run version 1\), waiting\n/);
    expect(created.stdout).toMatch(/ {2}steps\.1\.c1\s+read\s+pending\s+echo about to fail; exit 3/);
  });

  it('requests commands one by one: a read command never overtakes a destructive one of its step that awaits approval', async () => {
    const res = await finished(nexus(['runbook', 'run', slug, 'mixed', '--step', 'steps.1', '--yes', '--json'], t.tokens.operator));
    expect(res.code).toBe(EXIT.ok);
    const run = JSON.parse(res.stdout) as Run;
    expect(run.steps.map((s) => [s.commandId, s.state])).toEqual([
      ['mixed-step.steps.1.c1', 'awaiting-approval'],
      ['mixed-step.steps.1.c2', 'pending'],
    ]);
    expect(res.stderr).toContain('[steps.1.c1] awaiting-approval');
    expect(res.stderr).toContain('not requested (they would run before the approval): steps.1.c2');
  });

  it('usage errors: an ambiguous procedure (exit 2), an unknown one (exit 5), an unknown step (exit 2)', async () => {
    const ambiguous = await finished(nexus(['runbook', 'run', slug, 'p'], t.tokens.responder));
    expect(ambiguous).toMatchObject({ code: EXIT.usage });
    expect(ambiguous.stderr).toContain('"p" matches 2 procedures');
    const unknown = await finished(nexus(['runbook', 'run', slug, 'nope'], t.tokens.responder));
    expect(unknown.code).toBe(EXIT.notFound);
    expect(unknown.stderr).toContain('p1-check-things  (P1 - Check Things)');
    const step = await finished(nexus(['runbook', 'run', slug, 'p2', '--step', 'steps.9'], t.tokens.responder));
    expect(step.code).toBe(EXIT.usage);
    expect(step.stderr).toContain('steps: steps.1, steps.2');
  });

  it('exits 7 when NEXUS cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const res = await finished(nexus(['runbook', 'run', slug, 'p2', '--all', '--follow'], t.tokens.responder, { NEXUS_URL: `http://127.0.0.1:${port}` }));
    expect(res.code).toBe(EXIT.unavailable);
    expect(res.stderr).toMatch(/cannot reach NEXUS at http:\/\/127\.0\.0\.1:\d+: connection refused/);
  });
});
