import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SessionTokens, signingKeysFromSecrets } from '../../src/platform/auth/jwt.js';
import { ENGINES } from '../support/db.js';
import { ADMIN_PASSWORD, TEST_JWT_KEY, bearer, createTestApp, json, login, type TestApp } from '../support/app.js';

describe.each(ENGINES)('sign-in, sessions and API tokens on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const me = (token: string) => t.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });

  it('login returns a JWT and the user, never the password hash', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const body = json<{ token: string; user: Record<string, unknown>; expiresAt: string }>(res);
    expect(body.token.split('.')).toHaveLength(3);
    expect(body.user).toMatchObject({ username: 'admin', role: 'admin', disabled: false });
    expect(res.body).not.toMatch(/argon2|passwordHash|password_hash/);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
  });

  it('a wrong password and an unknown user get the same 401', async () => {
    const wrong = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'nope-nope-nope' } });
    const unknown = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ghost', password: 'nope-nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(json(wrong)).toEqual(json(unknown));
  });

  it('GET /api/v1/me names the caller and how they authenticated', async () => {
    const res = await me(t.tokens.operator);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ user: { username: 'operator-user', role: 'operator' }, via: 'session', role: 'operator' });
  });

  it('a token signed with the previous key still works; one signed with an unknown key does not', async () => {
    const oldKey = 'the-key-we-are-rotating-away-from-0123456789';
    const fromOld = await new SessionTokens(signingKeysFromSecrets(oldKey), 3600).issue(t.userIds.viewer, 'viewer-user');
    const fromStranger = await new SessionTokens(signingKeysFromSecrets('some-other-key-nobody-configured-0123456789'), 3600).issue(
      t.userIds.viewer,
      'viewer-user',
    );
    // Without the previous key configured, the old token is refused…
    expect((await me(fromOld.token)).statusCode).toBe(401);
    // …and a NEXUS configured for rotation (new current key, old one as previous) accepts it.
    const rotated = new SessionTokens(signingKeysFromSecrets('the-brand-new-key-after-rotation-0123456789', oldKey), 3600);
    expect(await rotated.verify(fromOld.token)).toMatchObject({ userId: t.userIds.viewer });
    expect(await rotated.verify(fromStranger.token)).toBeNull();
    // The running app's own key (TEST_JWT_KEY) signs tokens it accepts.
    const own = await new SessionTokens(signingKeysFromSecrets(TEST_JWT_KEY), 3600).issue(t.userIds.viewer, 'viewer-user');
    expect((await me(own.token)).statusCode).toBe(200);
  });

  it('an expired session token is refused', async () => {
    const past = new Date(Date.now() - 2 * 3600_000);
    const expired = await new SessionTokens(signingKeysFromSecrets(TEST_JWT_KEY), 60).issue(t.userIds.viewer, 'viewer-user', past);
    expect((await me(expired.token)).statusCode).toBe(401);
  });

  it('API tokens are shown once, stored hashed, act with their role, and stop working when revoked', async () => {
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(t.tokens.operator),
      payload: { name: 'ci runner', role: 'responder' },
    });
    expect(created.statusCode).toBe(201);
    const { token, info } = json<{ token: string; info: { id: string; prefix: string; role: string } }>(created);
    expect(token).toMatch(/^nxs_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ role: 'responder', prefix: token.slice(0, 10) });

    const stored = await t.server.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [info.id]);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);

    const asToken = await me(token);
    expect(json(asToken)).toMatchObject({ via: 'token', role: 'responder', tokenId: info.id });

    const list = json<{ items: Array<{ id: string }> }>(
      await t.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(t.tokens.operator) }),
    );
    expect(list.items.map((i) => i.id)).toContain(info.id);
    expect(JSON.stringify(list)).not.toContain(token);

    const revoked = await t.inject({ method: 'DELETE', url: `/api/v1/tokens/${info.id}`, headers: bearer(t.tokens.operator) });
    expect(revoked.statusCode).toBe(200);
    expect(json<{ revokedAt: string | null }>(revoked).revokedAt).not.toBeNull();
    expect((await me(token)).statusCode).toBe(401);
  });

  it('a token cannot outrank its creator, and someone else\'s token is not found', async () => {
    const tooHigh = await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.responder), payload: { name: 'x', role: 'admin' } });
    expect(tooHigh.statusCode).toBe(403);
    const mine = json<{ info: { id: string } }>(
      await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.responder), payload: { name: 'mine' } }),
    );
    const steal = await t.inject({ method: 'DELETE', url: `/api/v1/tokens/${mine.info.id}`, headers: bearer(t.tokens.viewer) });
    expect(steal.statusCode).toBe(404);
    const all = await t.inject({ method: 'GET', url: '/api/v1/tokens?scope=all', headers: bearer(t.tokens.viewer) });
    expect(all.statusCode).toBe(403);
  });

  it('a demoted owner drags the token\'s role down with it', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'demotee', password: 'demotee-password-1', role: 'operator' } });
    const userId = json<{ id: string }>(created).id;
    const session = await login(t.inject, 'demotee', 'demotee-password-1');
    const { token } = json<{ token: string }>(
      await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(session), payload: { name: 'ops' } }),
    );
    await t.inject({ method: 'PATCH', url: `/api/v1/users/${userId}`, headers: bearer(t.tokens.admin), payload: { role: 'viewer' } });
    expect(json(await me(token))).toMatchObject({ role: 'viewer' });
  });

  it('a token issued "in the future" is refused, so it cannot outlive signing out everywhere', async () => {
    const ahead = new Date(Date.now() + 3600_000);
    const future = await new SessionTokens(signingKeysFromSecrets(TEST_JWT_KEY), 3600).issue(t.userIds.viewer, 'viewer-user', ahead);
    expect((await me(future.token)).statusCode).toBe(401);
    // Nor one that lives longer than this installation lets sessions live (the test app's TTL is far below a year).
    const longLived = await new SessionTokens(signingKeysFromSecrets(TEST_JWT_KEY), 365 * 86_400).issue(t.userIds.viewer, 'viewer-user');
    expect((await me(longLived.token)).statusCode).toBe(401);
    // A few seconds ahead is a replica's clock, not an attack.
    const skewed = await new SessionTokens(signingKeysFromSecrets(TEST_JWT_KEY), 60).issue(t.userIds.viewer, 'viewer-user', new Date(Date.now() + 2000));
    expect((await me(skewed.token)).statusCode).toBe(200);
  });

  it('disabling a user ends their sessions and tokens at once; re-enabling restores tokens', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'leaver', password: 'leaver-password-1', role: 'responder' } });
    const userId = json<{ id: string }>(created).id;
    const session = await login(t.inject, 'leaver', 'leaver-password-1');
    const { token } = json<{ token: string }>(
      await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(session), payload: { name: 't' } }),
    );
    await t.inject({ method: 'PATCH', url: `/api/v1/users/${userId}`, headers: bearer(t.tokens.admin), payload: { disabled: true } });
    expect((await me(session)).statusCode).toBe(401);
    expect((await me(token)).statusCode).toBe(401);
    const relogin = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'leaver', password: 'leaver-password-1' } });
    expect(relogin.statusCode).toBe(401);
    await t.inject({ method: 'PATCH', url: `/api/v1/users/${userId}`, headers: bearer(t.tokens.admin), payload: { disabled: false } });
    expect((await me(token)).statusCode).toBe(200);
  });

  it('changing your password signs out your other sessions', async () => {
    await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'changer', password: 'changer-password-1', role: 'viewer' } });
    const first = await login(t.inject, 'changer', 'changer-password-1');
    // iat has one-second resolution: a session from the same second as the change would survive.
    await new Promise((r) => setTimeout(r, 1100));
    const wrong = await t.inject({ method: 'POST', url: '/api/v1/me/password', headers: bearer(first), payload: { currentPassword: 'not-it-at-all', newPassword: 'changer-password-2' } });
    expect(wrong.statusCode).toBe(400);
    const ok = await t.inject({ method: 'POST', url: '/api/v1/me/password', headers: bearer(first), payload: { currentPassword: 'changer-password-1', newPassword: 'changer-password-2' } });
    expect(ok.statusCode).toBe(204);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(await login(t.inject, 'changer', 'changer-password-2'))).statusCode).toBe(200);
  });

  it('the last enabled admin cannot be demoted or disabled', async () => {
    const demote = await t.inject({ method: 'PATCH', url: `/api/v1/users/${t.userIds.admin}`, headers: bearer(t.tokens.admin), payload: { role: 'viewer' } });
    expect(demote.statusCode).toBe(409);
    expect(json<{ error: { message: string } }>(demote).error.message).toMatch(/last enabled admin/);
    const disable = await t.inject({ method: 'PATCH', url: `/api/v1/users/${t.userIds.admin}`, headers: bearer(t.tokens.admin), payload: { disabled: true } });
    expect(disable.statusCode).toBe(409);
  });

  it('duplicate usernames are a 409 naming the user', async () => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'viewer-user', password: 'whatever-password', role: 'viewer' } });
    expect(res.statusCode).toBe(409);
    expect(json<{ error: { code: string; message: string } }>(res).error).toMatchObject({ code: 'conflict', message: 'A user named "viewer-user" already exists' });
  });

  it('lists page with an opaque cursor and no duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = json<{ items: Array<{ username: string }>; next: string | null }>(
        await t.inject({ method: 'GET', url, headers: bearer(t.tokens.admin) }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.username));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['admin', 'viewer-user', 'responder-user', 'operator-user']));
  });

  it('a user in the list reads exactly as the user on its own, byte for byte (PostgreSQL writes the page)', async () => {
    // Quotes, a backslash, control characters, non-ASCII and an emoji: JSON escaping must agree with the serializer's.
    const displayName = 'Listed "Alike" \\ tab\there\nnew line \u0001 ü ✓ 🚨 </script>';
    const created = json<{ id: string; username: string }>(
      await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'listed-alike', password: 'listed-alike-pw-1', role: 'operator', displayName, email: 'listed@example.test' } }),
    );
    // A later update gives updatedAt its own value, with milliseconds.
    await t.inject({ method: 'PATCH', url: `/api/v1/users/${created.id}`, headers: bearer(t.tokens.admin), payload: { role: 'responder' } });
    const ownRes = await t.inject({ method: 'GET', url: `/api/v1/users/${created.id}`, headers: bearer(t.tokens.admin) });
    const pageRes = await t.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: bearer(t.tokens.admin) });
    expect(pageRes.body).toContain(ownRes.body);
    const own = json<Record<string, unknown>>(ownRes);
    expect(json<{ items: Array<Record<string, unknown>> }>(pageRes).items.find((u) => u.id === created.id)).toEqual(own);
    expect(own).toMatchObject({ role: 'responder', displayName, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    expect(own.updatedAt).not.toBe(own.createdAt);
    // Every user in the page is schema-shaped: the same keys, in the order the serializer writes them.
    for (const item of json<{ items: Array<Record<string, unknown>> }>(pageRes).items) {
      expect(Object.keys(item)).toEqual(['id', 'username', 'displayName', 'email', 'role', 'disabled', 'createdAt', 'updatedAt']);
    }
  });

  it('a list read while the users table is unchanged reuses its page; any write, even straight in SQL, is in the next answer', async () => {
    const reads = vi.spyOn(t.server.auth, 'listUsers');
    // A page size no other test asks for: the first read has no earlier answer to reuse.
    const list = async () => json<{ items: Array<{ username: string; displayName: string | null }> }>(await t.inject({ method: 'GET', url: '/api/v1/users?limit=199', headers: bearer(t.tokens.admin) })).items;
    const before = await list();
    const again = await list();
    expect(again).toEqual(before);
    // The second read asked with the first one's version and got no rows back.
    const [first, second] = await Promise.all(reads.mock.results.slice(-2).map((r) => r.value as Promise<{ version: string; users: unknown[] | null }>));
    expect(first!.users).not.toBeNull();
    expect(reads.mock.calls.at(-1)![2]).toBe(first!.version);
    expect(second).toEqual({ version: first!.version, users: null });

    await t.server.db.query("INSERT INTO users (username, role, password_hash) VALUES ('versioned-new', 'viewer', 'not-a-hash')");
    expect((await list()).map((u) => u.username)).toContain('versioned-new');
    await t.server.db.query("UPDATE users SET display_name = 'Renamed in SQL' WHERE username = 'versioned-new'");
    expect((await list()).find((u) => u.username === 'versioned-new')?.displayName).toBe('Renamed in SQL');
    await t.server.db.query("DELETE FROM users WHERE username = 'versioned-new'");
    expect((await list()).map((u) => u.username)).not.toContain('versioned-new');
    reads.mockRestore();
  });

  it('with its version row gone the list still reads whole, and the next write brings the row back', async () => {
    const names = async () => json<{ items: Array<{ username: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/users?limit=198', headers: bearer(t.tokens.admin) })).items.map((u) => u.username);
    await t.server.db.query("DELETE FROM table_versions WHERE name = 'users'");
    const whole = await names();
    expect(whole).toContain('admin');
    expect(await names()).toEqual(whole);
    await t.server.db.query("INSERT INTO users (username, role, password_hash) VALUES ('versioned-after-loss', 'viewer', 'not-a-hash')");
    expect(await names()).toContain('versioned-after-loss');
    expect(await t.server.db.query("SELECT 1 FROM table_versions WHERE name = 'users'")).toHaveLength(1);
  });

  it('a write that has not committed is not in the list, and is in it once it commits', async () => {
    if (!t.server.db.connectionString) return; // PGlite is one connection: no transaction can stay open beside a read
    const pg = await import('pg');
    const writer = new pg.default.Client({ connectionString: t.server.db.connectionString });
    await writer.connect();
    try {
      const names = async () => json<{ items: Array<{ username: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: bearer(t.tokens.admin) })).items.map((u) => u.username);
      await names();
      await writer.query('BEGIN');
      await writer.query("INSERT INTO users (username, role, password_hash) VALUES ('versioned-uncommitted', 'viewer', 'not-a-hash')");
      expect(await names()).not.toContain('versioned-uncommitted');
      await writer.query('COMMIT');
      expect(await names()).toContain('versioned-uncommitted');
    } finally {
      await writer.end();
    }
  });

  it('an empty page past the last user is valid JSON with no next cursor', async () => {
    const res = await t.inject({ method: 'GET', url: `/api/v1/users?cursor=${Buffer.from(JSON.stringify(['~~~~'])).toString('base64url')}`, headers: bearer(t.tokens.admin) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"items":[],"next":null}');
  });

  it('a large page is compressed for clients that accept it, and reads the same', async () => {
    const plain = await t.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: bearer(t.tokens.admin) });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    for (const [accept, encoding, decode] of [
      ['gzip, deflate, br', 'br', zlib.brotliDecompressSync],
      ['gzip;q=1, br;q=0', 'gzip', zlib.gunzipSync],
    ] as const) {
      const res = await t.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: { ...bearer(t.tokens.admin), 'accept-encoding': accept } });
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(decode(res.rawPayload).toString('utf8')).toBe(plain.body);
    }
  });

  it('concurrent identical list requests share reads, yet each sees every user created before it asked', async () => {
    const reads = vi.spyOn(t.server.auth, 'listUsers');
    const list = () => t.inject({ method: 'GET', url: '/api/v1/users?limit=200', headers: bearer(t.tokens.admin) });
    const created: string[] = [];
    const answers: Array<Promise<{ names: string[]; expected: string[]; type: string | undefined; body: string }>> = [];
    for (let i = 0; i < 30; i++) {
      const username = `shared-read-${i}`;
      // Straight into the table: a write that commits while earlier list requests are still reading.
      await t.server.db.query("INSERT INTO users (username, role, password_hash) VALUES ($1, 'viewer', 'not-a-hash')", [username]);
      created.push(username);
      const expected = [...created];
      // Several at once, while earlier ones may still be reading.
      for (let k = 0; k < 3; k++) {
        answers.push(
          list().then((r) => ({
            names: json<{ items: Array<{ username: string }> }>(r).items.map((u) => u.username),
            expected,
            type: r.headers['content-type'] as string | undefined,
            body: r.body,
          })),
        );
      }
    }
    for (const answer of await Promise.all(answers)) {
      expect(answer.names).toEqual(expect.arrayContaining(answer.expected));
      expect(answer.type).toMatch(/^application\/json/);
      // Serialised by the route's response schema: nothing but the public fields.
      expect(answer.body).not.toMatch(/password|passwordHash|password_hash/i);
    }
    // 90 requests, far fewer reads: the ones that arrived while a read ran shared the next one.
    expect(reads.mock.calls.length).toBeLessThan(answers.length);
    reads.mockRestore();
  });
});

describe('login is rate-limited', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { LOGIN_RATE_LIMIT_MAX: '4', LOGIN_RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(async () => t?.close());

  it('the attempt after the limit gets 429 with a retry hint, and it is audited as denied', async () => {
    // createTestApp already signed in 4 users from this address; the window is full.
    const res = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(429);
    const body = json<{ error: { code: string; message: string; details: { retryAfterSeconds: number } } }>(res);
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    const audit = json<{ items: Array<{ action: string; outcome: string; statusCode: number }> }>(
      await t.inject({ method: 'GET', url: '/api/v1/audit?action=auth.login&outcome=denied', headers: bearer(t.tokens.admin) }),
    );
    expect(audit.items[0]).toMatchObject({ action: 'auth.login', outcome: 'denied', statusCode: 429 });
  });

  it('so is runner enrolment (anonymous): an address guessing enrolment tokens gets 429 after the limit, even for a valid token', async () => {
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/runners/enrolments',
      headers: bearer(t.tokens.admin),
      payload: { name: 'rate-limited', labels: { runner: 'k8s' } },
    });
    expect(created.statusCode).toBe(201);
    const { enrolmentToken } = json<{ enrolmentToken: string }>(created);
    const enrol = (token: string) => t.inject({ method: 'POST', url: '/api/v1/runners/enrol', payload: { enrolmentToken: token } });
    for (let guess = 0; guess < 4; guess++) {
      expect((await enrol(`nxe_${randomBytes(32).toString('base64url')}`)).statusCode).toBe(401);
    }
    const refused = await enrol(enrolmentToken);
    expect(refused.statusCode).toBe(429);
    expect(json<{ error: { code: string } }>(refused).error.code).toBe('rate_limited');
  });
});
