import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import { createTestApp, type TestApp } from '../support/app.js';

const BIN = path.resolve('bin/nexus');

/** Runs the real `./bin/nexus`, as an admin's shell would. */
function nexus(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(BIN, args, { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1' }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end('');
  });
}

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true }, env: { NEXUS_LOCAL_RUNNER: 'false' } });
});
afterAll(async () => t?.close());

describe('nexus runners (admin)', () => {
  it('enrol prints the one-time token alone on stdout; list shows the runner pending, then active; revoke stops it', async () => {
    const enrol = await nexus(['runners', 'enrol', '--name', 'cli-1', '--label', 'runner=k8s', '--label', 'zone=a', '--expires-in-minutes', '30'], t.tokens.admin);
    expect(enrol.code).toBe(EXIT.ok);
    expect(enrol.stdout).toMatch(/^nxe_[A-Za-z0-9_-]{43}\n$/);
    expect(enrol.stderr).toContain('Enrolment for runner "cli-1" (labels runner=k8s,zone=a)');
    expect(enrol.stderr).toContain('--enrolment-token <token> --credential-file');

    const pending = await nexus(['runners', 'list', '--json'], t.tokens.admin);
    const [runner] = (JSON.parse(pending.stdout) as { items: Array<{ id: string; name: string; state: string; labels: Record<string, string> }> }).items;
    expect(runner).toMatchObject({ name: 'cli-1', state: 'pending', labels: { runner: 'k8s', zone: 'a' } });

    const res = await t.inject({ method: 'POST', url: '/api/v1/runners/enrol', payload: { enrolmentToken: enrol.stdout.trim() } });
    const credential = (res.json() as { credential: string }).credential;
    const table = await nexus(['runners', 'list'], t.tokens.admin);
    expect(table.stdout).toMatch(new RegExp(`^${runner!.id} +cli-1 +runner=k8s,zone=a +active +${credential.slice(0, 10)} `, 'm'));

    const revoke = await nexus(['runners', 'revoke', runner!.id], t.tokens.admin);
    expect(revoke).toMatchObject({ code: EXIT.ok, stdout: `Revoked runner "cli-1", id ${runner!.id}: its credential no longer works\n` });
    const self = await t.inject({ method: 'GET', url: '/api/v1/runners/me', headers: { authorization: `Bearer ${credential}` } });
    expect(self.statusCode).toBe(401);
  });

  it('an operator cannot enrol a runner (exit 4); bad labels exit 2 before any request', async () => {
    const refused = await nexus(['runners', 'enrol', '--name', 'sneaky', '--label', 'runner=k8s'], t.tokens.operator);
    expect(refused.code).toBe(EXIT.unauthorized);
    expect(refused.stderr).toBe('nexus: This needs the admin role or higher; you are operator\n');
    const bad = await nexus(['runners', 'enrol', '--name', 'x', '--label', 'no-equals'], t.tokens.admin);
    expect(bad.code).toBe(EXIT.usage);
  });

  it('`nexus runner` refuses the old --token/--label flags and needs a credential file', async () => {
    const old = await nexus(['runner', '--token', 'nxs_x', '--label', 'runner=k8s'], t.tokens.admin);
    expect(old.code).toBe(EXIT.usage);
    expect(old.stderr).toContain("unknown option '--token'");
    const none = await nexus(['runner'], t.tokens.admin);
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toContain('--credential-file is required');
  });
});
