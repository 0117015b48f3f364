import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Role } from '../../src/platform/auth/roles.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addRunbook, getRun } from '../runs/support.js';

const BIN = path.resolve('bin/nexus');

const RUNBOOK = `# CLI Run Actions

## Procedures

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

### Quiet

#### Steps

1. **Say hi**
   \`\`\`bash
   echo hi
   \`\`\`
`;

let t: TestApp;
let slug: string;

/** The real `./bin/nexus`; stdin is not a terminal, as in a script. */
function nexus(args: string[], role: Role): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      BIN,
      args,
      { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: t.tokens[role], NO_COLOR: '1' }, timeout: 25_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** A run of Destroy Things whose destructive first command awaits approval, requested by the operator. */
async function awaitingRun(): Promise<Run> {
  const res = await nexus(['runbook', 'run', slug, 'destroy', '--all', '--yes', '--json'], 'operator');
  expect(res.code).toBe(EXIT.ok);
  const run = JSON.parse(res.stdout) as Run;
  expect(run.steps.map((s) => s.state)).toEqual(['awaiting-approval', 'pending']);
  return run;
}

const short = (id: string) => id.slice(0, 8);

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true, builtinRunbooksDir: null } });
  slug = (await addRunbook(t, RUNBOOK, 'cli-run-actions')).slug;
});
afterAll(async () => t?.close());

describe('nexus run', () => {
  it('approve asks for --yes without a terminal, refuses the requester, and lets a second person approve by run id prefix', async () => {
    const run = await awaitingRun();
    const blocked = await nexus(['run', 'continue', short(run.id)], 'operator');
    expect(blocked.code).toBe(EXIT.conflict);
    expect(blocked.stderr).toContain('steps.1.c1 awaits approval; the commands after it would run before it');

    const unconfirmed = await nexus(['run', 'approve', short(run.id)], 'admin');
    expect(unconfirmed.code).toBe(EXIT.usage);
    expect(unconfirmed.stderr).toMatch(/^nexus: these commands change or destroy things; pass --yes to approve them:\n {2}destructive {1,}steps\.1\.c1 {2}echo dropping\nhint: see `nexus run approve --help`\n$/);

    const ownApproval = await nexus(['run', 'approve', short(run.id), '--yes'], 'operator');
    expect(ownApproval.code).toBe(EXIT.unauthorized);

    const approved = await nexus(['run', 'approve', short(run.id), 'steps.1.c1', '--yes'], 'admin');
    expect(approved).toMatchObject({ code: EXIT.ok, stdout: '[steps.1.c1] queued\n' });
    const after = await getRun(t, run.id);
    expect(after.steps[0]!.approvedBy).toBe(t.userIds.admin);

    const nothing = await nexus(['run', 'approve', run.id, '--yes'], 'admin');
    expect(nothing.code).toBe(EXIT.conflict);
    expect(nothing.stderr).toBe(`nexus: nothing in run ${run.id} to approve: no command is awaiting-approval\n`);
  });

  it('continue --follow waits for what is in flight, then requests and streams the rest (exit 0)', async () => {
    const run = await awaitingRun();
    await nexus(['run', 'approve', run.id, '--yes'], 'admin');
    const res = await nexus(['run', 'continue', short(run.id), '--follow', '--yes'], 'operator');
    expect(res.code).toBe(EXIT.ok);
    expect(res.stdout).toContain('steps.2.c1 | looked');
    expect(res.stdout).toMatch(/progress: \d\/\d commands done \(\d succeeded, 0 failed\)/);
    expect(res.stdout).toContain(`run ${run.id}: succeeded`);
    expect((await getRun(t, run.id)).steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded']);

    const again = await nexus(['run', 'continue', run.id], 'operator');
    expect(again).toMatchObject({ code: EXIT.ok, stdout: `Nothing to request: run ${run.id} has no pending commands (succeeded)\n` });
  });

  it('reject sends the command back to pending with the reason; show and list print the run', async () => {
    const run = await awaitingRun();
    const rejected = await nexus(['run', 'reject', short(run.id), '--reason', 'not during the sale'], 'admin');
    expect(rejected).toMatchObject({ code: EXIT.ok, stdout: '[steps.1.c1] pending\n' });
    expect((await getRun(t, run.id)).steps[0]).toMatchObject({ state: 'pending', error: 'rejected by admin: not during the sale' });

    const show = await nexus(['run', 'show', short(run.id)], 'viewer');
    expect(show.code).toBe(EXIT.ok);
    expect(show.stdout.split('\n')[0]).toBe(`Run ${run.id}: Destroy Things (cli-run-actions version 1), waiting`);
    expect(show.stdout).toContain('steps.1.c1: rejected by admin: not during the sale');
    const list = await nexus(['run', 'list', '--json'], 'viewer');
    expect((JSON.parse(list.stdout) as { items: Array<{ id: string }> }).items.map((r) => r.id)).toContain(run.id);
  });

  it('cancel stops one step, or the whole run', async () => {
    const run = await awaitingRun();
    const step = await nexus(['run', 'cancel', short(run.id), 'steps.1'], 'responder');
    expect(step).toMatchObject({ code: EXIT.ok, stdout: '[steps.1.c1] cancelled\n' });
    const whole = await nexus(['run', 'cancel', short(run.id)], 'responder');
    expect(whole).toMatchObject({ code: EXIT.ok, stdout: `Run ${run.id} is cancelled\n` });
    expect((await getRun(t, run.id)).steps.map((s) => s.state)).toEqual(['cancelled', 'cancelled']);
    const twice = await nexus(['run', 'cancel', run.id], 'responder');
    expect(twice.code).toBe(EXIT.conflict);
  });

  it('usage errors name the problem and a hint; an unknown prefix is exit 5; a viewer cannot act', async () => {
    const run = await awaitingRun();
    const badStep = await nexus(['run', 'cancel', run.id, 'steps.9'], 'responder');
    expect(badStep).toMatchObject({
      code: EXIT.usage,
      stderr: `nexus: no step or command "steps.9" in run ${run.id}; its steps: steps.1, steps.2\nhint: see \`nexus run cancel --help\`\n`,
    });
    const shortPrefix = await nexus(['run', 'show', 'abc'], 'viewer');
    expect(shortPrefix.code).toBe(EXIT.usage);
    expect(shortPrefix.stderr).toContain('must be a run id, or a unique prefix of one (at least 4 hex digits)');
    const taken = (JSON.parse((await nexus(['run', 'list', '--json'], 'viewer')).stdout) as { items: Array<{ id: string }> }).items.map((r) => r.id);
    const unknown = ['0000', 'ffff', '1234'].find((prefix) => !taken.some((id) => id.startsWith(prefix)))!;
    const none = await nexus(['run', 'show', unknown], 'viewer');
    expect(none).toMatchObject({ code: EXIT.notFound, stderr: `nexus: no run id starts with ${unknown}\n` });
    expect((await nexus(['run', 'cancel', run.id], 'viewer')).code).toBe(EXIT.unauthorized);
  });
});
