import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import { ADMIN_PASSWORD, bearer, createTestApp, json, type TestApp } from '../support/app.js';

const BIN = path.resolve('bin/nexus');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `./bin/nexus`, as a user's shell would; stdin is closed unless `input` is given. */
function nexus(args: string[], options: { token?: string; url?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      BIN,
      args,
      {
        env: { ...process.env, NEXUS_URL: options.url ?? url, NEXUS_TOKEN: options.token ?? '', NO_COLOR: '1' },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let t: TestApp;
let url: string;
/** After the fixture's own users were created, so the audit test sees only what the CLI did. */
let since: string;

async function canLogin(username: string, password: string): Promise<number> {
  const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  return res.statusCode;
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true } });
  url = t.server.url;
  since = new Date().toISOString();
});
afterAll(async () => t?.close());

describe('nexus CLI against a running server', () => {
  let token: string;
  let alice: { id: string; password: string };
  let bobId = '';

  it('--help lists the API commands and exits 0', async () => {
    const run = await nexus(['--help']);
    expect(run.code).toBe(EXIT.ok);
    for (const command of ['login', 'users', 'tokens', 'audit']) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('login --password-stdin prints an export line whose token works', async () => {
    const run = await nexus(['login', '--username', 'admin', '--password-stdin', '--token-name', 'laptop'], {
      input: `${ADMIN_PASSWORD}\n`,
    });
    expect(run.code).toBe(EXIT.ok);
    const match = /^export NEXUS_TOKEN=(nxs_[A-Za-z0-9_-]{43})\n$/.exec(run.stdout);
    expect(match).not.toBeNull();
    token = match![1]!;
    expect(run.stderr).toMatch(/^# Signed in to http:\/\/127\.0\.0\.1:\d+ as admin; API token "laptop" \(role admin, id [0-9a-f-]{36}\)/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);

    const list = await nexus(['users', 'list', '--json'], { token });
    expect(list.code).toBe(EXIT.ok);
    const { items } = JSON.parse(list.stdout) as { items: Array<{ username: string; role: string }> };
    expect(items.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['operator-user', 'operator'],
      ['responder-user', 'responder'],
      ['viewer-user', 'viewer'],
    ]);
  });

  it('users create generates a strong password once; a second create of the same name is a conflict', async () => {
    const run = await nexus(
      ['users', 'create', 'alice', '--role', 'responder', '--display-name', 'Alice Liddell', '--email', 'alice@example.com', '--json'],
      { token },
    );
    expect(run.code).toBe(EXIT.ok);
    const created = JSON.parse(run.stdout) as { user: Record<string, unknown> & { id: string }; password: string };
    expect(created.user).toMatchObject({
      username: 'alice',
      role: 'responder',
      displayName: 'Alice Liddell',
      email: 'alice@example.com',
      disabled: false,
    });
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    alice = { id: created.user.id, password: created.password };
    expect(await canLogin('alice', alice.password)).toBe(200);

    const again = await nexus(['users', 'create', 'alice', '--role', 'viewer'], { token });
    expect(again.code).toBe(EXIT.conflict);
    expect(again.stderr).toBe('nexus: A user named "alice" already exists\n');
  });

  it('a generated password is alone on stdout, so $(nexus users create …) captures exactly it', async () => {
    const created = await nexus(['users', 'create', 'bob', '--role', 'viewer'], { token });
    expect(created.code).toBe(EXIT.ok);
    expect(created.stdout).toMatch(/^[A-Za-z0-9_-]{24}\n$/);
    expect(created.stderr).toMatch(/^Created user bob \(viewer\), id [0-9a-f-]{36}\nPassword for bob \(on stdout\):\n/);
    expect(await canLogin('bob', created.stdout.trimEnd())).toBe(200);

    const reset = await nexus(['users', 'reset-password', 'bob'], { token });
    expect(reset.code).toBe(EXIT.ok);
    expect(reset.stdout).toMatch(/^[A-Za-z0-9_-]{24}\n$/);
    expect(reset.stderr).toContain('bob: password reset');
    expect(await canLogin('bob', reset.stdout.trimEnd())).toBe(200);
    expect(await canLogin('bob', created.stdout.trimEnd())).toBe(401);
    // Disabled again by an id prefix rather than the name: the same user.
    const bob = json<{ items: Array<{ id: string; username: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(t.tokens.admin) })).items.find((u) => u.username === 'bob')!;
    bobId = bob.id;
    const disabled = await nexus(['users', 'disable', bob.id.slice(0, 8), '--json'], { token });
    expect(JSON.parse(disabled.stdout)).toMatchObject({ username: 'bob', disabled: true });
  });

  it('users set-role, disable and enable act on a username, as the API then shows', async () => {
    const user = async () => json<{ role: string; disabled: boolean }>(
      await t.inject({ method: 'GET', url: `/api/v1/users/${alice.id}`, headers: bearer(t.tokens.admin) }),
    );
    const setRole = await nexus(['users', 'set-role', 'alice', 'operator'], { token });
    expect(setRole).toMatchObject({ code: EXIT.ok, stdout: 'alice: role responder -> operator\n' });
    expect(await user()).toMatchObject({ role: 'operator', disabled: false });

    expect((await nexus(['users', 'disable', 'alice'], { token })).code).toBe(EXIT.ok);
    expect(await user()).toMatchObject({ role: 'operator', disabled: true });
    expect(await canLogin('alice', alice.password)).toBe(401);

    // By id this time: both forms are accepted.
    const enable = await nexus(['users', 'enable', alice.id, '--json'], { token });
    expect(enable.code).toBe(EXIT.ok);
    expect(JSON.parse(enable.stdout)).toMatchObject({ id: alice.id, username: 'alice', role: 'operator', disabled: false });
    expect(await canLogin('alice', alice.password)).toBe(200);
  });

  it('users reset-password --password-stdin sets the password read from stdin', async () => {
    const run = await nexus(['users', 'reset-password', 'alice', '--password-stdin'], { token, input: 'a-brand-new-password-42\n' });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).not.toContain('a-brand-new-password-42');
    expect(await canLogin('alice', 'a-brand-new-password-42')).toBe(200);
    expect(await canLogin('alice', alice.password)).toBe(401);
  });

  it('users list prints an aligned table without colour when piped', async () => {
    const run = await nexus(['users', 'list'], { token });
    expect(run.code).toBe(EXIT.ok);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^USERNAME +ROLE +STATUS +DISPLAY NAME +EMAIL +CREATED +ID$/);
    expect(lines.find((line) => line.startsWith('alice '))).toMatch(
      new RegExp(`^alice +operator +active +Alice Liddell +alice@example\\.com +\\S+Z +${alice.id}$`),
    );
    // Aligned: every row's ROLE column starts where the header's does.
    const roleAt = lines[0]!.indexOf('ROLE');
    for (const line of lines.slice(1)) expect(line.slice(roleAt)).toMatch(/^(viewer|responder|operator|admin) /);
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('tokens create prints the token once; list shows it; a revoked token is refused with exit 4', async () => {
    const human = await nexus(['tokens', 'create', '--name', 'one-shot'], { token });
    expect(human.code).toBe(EXIT.ok);
    expect(human.stdout).toMatch(/^nxs_[A-Za-z0-9_-]{43}\n$/);
    expect(human.stderr).toContain('shown only this once');

    const run = await nexus(['tokens', 'create', '--name', 'ci deploy', '--role', 'viewer', '--expires-in-days', '7', '--json'], { token });
    expect(run.code).toBe(EXIT.ok);
    const created = JSON.parse(run.stdout) as { token: string; info: { id: string; expiresAt: string } };
    expect(created.info).toMatchObject({ name: 'ci deploy', role: 'viewer', revokedAt: null, prefix: created.token.slice(0, 10) });
    const days = (Date.parse(created.info.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    // The viewer token lists its owner's tokens (the admin's): the laptop one, both new ones.
    const list = await nexus(['tokens', 'list', '--json'], { token: created.token });
    expect(list.code).toBe(EXIT.ok);
    const names = (JSON.parse(list.stdout) as { items: Array<{ name: string }> }).items.map((i) => i.name);
    expect(names.sort()).toEqual(['ci deploy', 'laptop', 'one-shot']);
    const table = await nexus(['tokens', 'list', '--all'], { token });
    expect(table.stdout).toMatch(new RegExp(`^${created.info.id} +ci deploy +nxs_\\S+ +viewer +admin +active `, 'm'));

    const revoke = await nexus(['tokens', 'revoke', created.info.id.slice(0, 8)], { token });
    expect(revoke).toMatchObject({ code: EXIT.ok, stdout: `Revoked API token "ci deploy" (${created.token.slice(0, 10)}…), id ${created.info.id}\n` });
    const refused = await nexus(['tokens', 'list'], { token: created.token });
    expect(refused).toMatchObject({ code: EXIT.unauthorized, stdout: '', stderr: 'nexus: Token is invalid, expired or revoked\n' });
  });

  it('audit shows what the commands above did, filtered by action prefix, actor and outcome', async () => {
    const run = await nexus(['audit', '--action', 'user.', '--actor', 'admin', '--since', since, '--json'], { token });
    expect(run.code).toBe(EXIT.ok);
    const { items } = JSON.parse(run.stdout) as { items: Array<{ action: string; actor: string; target: string | null; outcome: string }> };
    // Newest first: create, conflicting create, set-role, disable, enable, reset-password, reversed (bob's own three left out).
    expect(items.filter((e) => e.target !== bobId).map((e) => [e.action, e.outcome, e.target])).toEqual([
      ['user.update', 'success', alice.id],
      ['user.update', 'success', alice.id],
      ['user.update', 'success', alice.id],
      ['user.update', 'success', alice.id],
      ['user.create', 'rejected', null],
      ['user.create', 'success', alice.id],
    ]);
    expect(new Set(items.map((e) => e.actor))).toEqual(new Set(['admin']));

    const table = await nexus(['audit', '--action', 'user.create', '--outcome', 'success', '--target', alice.id, '--limit', '1'], { token });
    expect(table.code).toBe(EXIT.ok);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +ACTOR +ACTION +TARGET +OUTCOME +STATUS$/);
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +admin +user\\.create +${alice.id} +success +201$`));
  });
});

describe('nexus CLI failures: one line on stderr and an exit code scripts can branch on', () => {
  const noStack = (run: Run) => {
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('a wrong token exits 4, an unreachable server 7, an unknown user 5, a viewer asking for users 4', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const [wrong, unreachable, missing, forbidden] = await Promise.all([
      nexus(['users', 'list'], { token: 'nxs_not-a-real-token' }),
      nexus(['users', 'list'], { url: down, token: 'whatever' }),
      nexus(['users', 'disable', 'nobody-by-this-name'], { token: t.tokens.admin }),
      nexus(['users', 'list'], { token: t.tokens.viewer }),
    ]);
    expect(wrong).toMatchObject({ code: EXIT.unauthorized, stdout: '', stderr: 'nexus: Token is invalid, expired or revoked\n' });
    expect(unreachable).toMatchObject({ code: EXIT.unavailable, stderr: `nexus: cannot reach NEXUS at ${down}: connection refused\n` });
    expect(missing).toMatchObject({ code: EXIT.notFound, stderr: 'nexus: no user named "nobody-by-this-name"\n' });
    expect(forbidden.code).toBe(EXIT.unauthorized);
    for (const run of [wrong, unreachable, missing, forbidden]) noStack(run);
  });

  it('bad arguments exit 2 before any request, naming the argument', async () => {
    const [role, limit, since, tokenRole] = await Promise.all([
      nexus(['users', 'set-role', 'alice', 'boss'], { token: t.tokens.admin }),
      nexus(['audit', '--limit', 'lots'], { token: t.tokens.admin }),
      nexus(['audit', '--since', '2025-02-30'], { token: t.tokens.admin }),
      nexus(['tokens', 'create', '--name', 'x', '--role', 'root'], { token: t.tokens.admin }),
    ]);
    expect(role.code).toBe(EXIT.usage);
    expect(role.stderr).toContain("invalid for argument 'role'. must be one of: viewer, responder, operator, admin");
    expect(limit.code).toBe(EXIT.usage);
    expect(limit.stderr).toContain("option '--limit <n>' argument 'lots' is invalid");
    expect(since.code).toBe(EXIT.usage);
    expect(since.stderr).toContain("option '--since <time>' argument '2025-02-30' is invalid. is not a real date");
    expect(tokenRole.code).toBe(EXIT.usage);
    expect(tokenRole.stderr).toContain("option '--role <role>' argument 'root' is invalid");
  });

  it('login without --password-stdin and without a terminal exits 2 instead of hanging', async () => {
    const run = await nexus(['login', '--username', 'admin']);
    expect(run).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(run.stderr).toBe('nexus: no password: pass --password-stdin, or run in a terminal to be prompted\nhint: see `nexus login --help`\n');
  });
});
