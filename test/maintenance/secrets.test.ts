import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkSigner } from '../../src/platform/signed-links.js';
import { createLogger } from '../../src/platform/logger.js';
import { ADMIN_PASSWORD, TEST_JWT_KEY, bearer, createTestApp, json, login, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { api, getRun, runStep, startRun, stepOf } from '../runs/support.js';
import { runbookWith } from '../runners/support.js';
import { forge, manualClock, meStatus, ringRows, rotate, type RotationView } from './secrets-support.js';

const HOUR = 3600;

describe.each(ENGINES)('secret rotation on %s', (engine) => {
  let t: TestApp;
  const time = manualClock();
  const logs: string[] = [];
  const responses: string[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine, { start: { clock: time.clock, logger: createLogger('debug', { write: (line: string) => void logs.push(line) }) } });
  });
  afterAll(async () => t?.close());

  const signIn = (username: string, password: string) => login(t.inject, username, password);
  async function signInEveryone(): Promise<void> {
    t.tokens.admin = await signIn('admin', ADMIN_PASSWORD);
    for (const role of ['viewer', 'responder', 'operator'] as const) t.tokens[role] = await signIn(`${role}-user`, `${role}-password-123`);
  }
  const link = () => new LinkSigner(t.server.keyRing, 'ack-links v1');
  const linkClaims = (subject: string) => ({ subject, epochMs: 1, nonce: '00000000-0000-4000-8000-000000000001', expiresAt: new Date(Date.now() + 3_600_000) });

  it('an operator cannot rotate (403), and nothing changes', async () => {
    const before = await ringRows(t);
    const refused = await rotate(t, t.tokens.operator, { revokePrevious: true, revokeApiTokens: true });
    expect(refused.status).toBe(403);
    expect(await ringRows(t)).toBe(before);
    expect(await meStatus(t, t.tokens.operator)).toBe(200);
    expect(await meStatus(t, t.tokens.admin)).toBe(200);
    const history = await t.inject({ method: 'GET', url: '/api/v1/secrets/rotations', headers: bearer(t.tokens.admin) });
    expect(json<{ items: unknown[] }>(history).items).toEqual([]);
  });

  it('bad input is a 400 naming the field', async () => {
    const both = await rotate(t, t.tokens.admin, { revokePrevious: true, graceSeconds: 60 });
    expect(both.status).toBe(400);
    expect(both.body.error?.message).toMatch(/graceSeconds/);
    const negative = await rotate(t, t.tokens.admin, { graceSeconds: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.error?.message).toMatch(/graceSeconds/);
    const unknown = await rotate(t, t.tokens.admin, { grace: '24h' });
    expect(unknown.status).toBe(400);
  });

  it('a rotation with grace: sessions and links from before work during the grace and fail after it; sealed secrets still open', async () => {
    const channel = await api<{ id: string }>(t, 'admin', 'POST', '/api/v1/channels', {
      name: 'rotation-hook',
      kind: 'webhook',
      url: 'https://hooks.example.com/rotation/channel-url-secret-path',
      secret: 'channel-hmac-key-before-rotation-0123',
    });
    expect(channel.status).toBe(201);
    const viewerBefore = await signIn('viewer-user', 'viewer-password-123');
    const linkBefore = link().sign(linkClaims(channel.body.id));

    const rotated = await rotate(t, t.tokens.admin, { graceSeconds: HOUR });
    responses.push(rotated.raw);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ mode: 'grace', graceSeconds: HOUR, actor: 'admin', sessionsRevoked: 0, tokensRevoked: 0, kubernetesSecret: false });
    // The configured key, which signed everything so far, is the one retired.
    expect(rotated.body.keysRetired).toBe(1);

    // During the grace: the old sessions (the caller's included) and links still work; new ones use the new key.
    expect(await meStatus(t, viewerBefore)).toBe(200);
    expect(await meStatus(t, t.tokens.admin)).toBe(200);
    expect(link().verify(linkBefore)?.subject).toBe(channel.body.id);
    const viewerAfter = await signIn('viewer-user', 'viewer-password-123');
    expect(JSON.parse(Buffer.from(viewerAfter.split('.')[0]!, 'base64url').toString())).toMatchObject({ kid: rotated.body.keyId });
    expect(await meStatus(t, viewerAfter)).toBe(200);
    const linkAfter = link().sign(linkClaims(channel.body.id));
    expect(linkAfter).not.toBe(linkBefore);

    time.advance(HOUR + 1);
    expect(await meStatus(t, viewerBefore)).toBe(401);
    expect(await meStatus(t, t.tokens.admin)).toBe(401);
    expect(link().verify(linkBefore)).toBeNull();
    expect(await meStatus(t, viewerAfter)).toBe(200);
    expect(link().verify(linkAfter)?.subject).toBe(channel.body.id);

    // Rotate once more: the channel's URL and key (sealed before either rotation) still open.
    await signInEveryone();
    expect((await rotate(t, t.tokens.admin, { graceSeconds: 60 })).status).toBe(200);
    const secrets = await t.server.notify.channelSecretValues();
    expect(secrets).toEqual(expect.arrayContaining(['https://hooks.example.com/rotation/channel-url-secret-path', 'channel-hmac-key-before-rotation-0123']));
    const listed = await t.inject({ method: 'GET', url: '/api/v1/channels', headers: bearer(t.tokens.admin) });
    expect(listed.body).toContain('"name":"rotation-hook"');
    expect(listed.body).not.toContain('"unreadable":true');
  });

  it('--revoke ends every session at once (the caller\'s too) and refuses tokens forged with a revoked key; API tokens are revoked in bulk', async () => {
    const apiToken = await api<{ token: string }>(t, 'operator', 'POST', '/api/v1/tokens', { name: 'ci' });
    expect(apiToken.status).toBe(201);
    expect(await meStatus(t, apiToken.body.token)).toBe(200);
    const adminId = t.userIds.admin;
    const before = t.server.keyRing.currentSigningKey();
    expect(before.kid).not.toBeNull();
    const linkBefore = link().sign(linkClaims(adminId));
    const sessions = await Promise.all(
      (['viewer', 'responder', 'operator'] as const).map((role) => signIn(`${role}-user`, `${role}-password-123`)),
    );

    const revoked = await rotate(t, t.tokens.admin, { revokePrevious: true, revokeApiTokens: true });
    responses.push(revoked.raw);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ mode: 'revoke', graceSeconds: null, verifiesUntil: null, sessionsRevoked: 4, tokensRevoked: 1 });

    for (const token of [t.tokens.admin, ...sessions]) expect(await meStatus(t, token)).toBe(401);
    expect(await meStatus(t, apiToken.body.token)).toBe(401);
    expect(link().verify(linkBefore)).toBeNull();
    // An attacker with the revoked key (or the configured root, which signed before the first rotation) gets nowhere.
    expect(await meStatus(t, forge(before.material, adminId, before.kid!, time.clock().getTime()))).toBe(401);
    expect(await meStatus(t, forge(TEST_JWT_KEY, adminId, undefined, time.clock().getTime()))).toBe(401);
    // …nor by naming the current key while signing with the old one.
    const current = t.server.keyRing.currentSigningKey();
    expect(await meStatus(t, forge(before.material, adminId, current.kid!, time.clock().getTime()))).toBe(401);
    // Signing in again works, on the new key.
    await signInEveryone();
    expect(await meStatus(t, t.tokens.admin)).toBe(200);
  });

  it('the history lists who rotated, when and how; the audit records it; no key appears in responses, logs or audit', async () => {
    const history = await t.inject({ method: 'GET', url: '/api/v1/secrets/rotations', headers: bearer(t.tokens.admin) });
    responses.push(history.body);
    const items = json<{ items: RotationView[] }>(history).items;
    expect(items.map((r) => r.mode)).toEqual(['revoke', 'grace', 'grace']);
    expect(items[0]).toMatchObject({ actor: 'admin', sessionsRevoked: 4, tokensRevoked: 1 });
    const page = json<{ items: RotationView[]; next: string }>(await t.inject({ method: 'GET', url: '/api/v1/secrets/rotations?limit=2', headers: bearer(t.tokens.admin) }));
    const rest = json<{ items: RotationView[] }>(await t.inject({ method: 'GET', url: `/api/v1/secrets/rotations?limit=2&cursor=${page.next}`, headers: bearer(t.tokens.admin) }));
    expect([...page.items, ...rest.items].map((r) => r.id)).toEqual(items.map((r) => r.id));

    const audit = await t.inject({ method: 'GET', url: '/api/v1/audit?action=secrets.rotate', headers: bearer(t.tokens.admin) });
    responses.push(audit.body);
    const entries = json<{ items: Array<{ action: string; outcome: string; actor: string; details: Record<string, unknown> }> }>(audit).items;
    expect(entries.filter((e) => e.outcome === 'success')).toHaveLength(3);
    expect(entries.find((e) => e.details?.mode === 'revoke')).toMatchObject({ actor: 'admin', details: { sessionsRevoked: 4, tokensRevoked: 1 } });
    expect(entries.some((e) => e.outcome === 'denied')).toBe(true);

    const keys = t.server.keyRing.secretValues();
    expect(keys.length).toBeGreaterThanOrEqual(6);
    const seen = [...responses, ...logs].join('\n');
    for (const key of keys) expect(seen).not.toContain(key);
    const stored = JSON.stringify(await t.server.db.query('SELECT * FROM audit_log'));
    for (const key of keys) expect(stored).not.toContain(key);
  });

  it('runner output redacts the current and previous signing keys', async () => {
    const book = await runbookWith(t, [{ text: 'printf %s <value>' }]);
    const current = t.server.keyRing.currentSigningKey().material;
    for (const secret of [current, TEST_JWT_KEY]) {
      const run = await startRun(t, book.slug, book.procedure, { parameters: { VALUE: secret } });
      const step = await runStep(t, run, book.ids[0]!);
      expect(step.state).toBe('succeeded');
      const output = (await api<{ output: string }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/output`)).body.output;
      expect(output).toContain('[redacted]');
      expect(output).not.toContain(secret);
      expect(stepOf(await getRun(t, run.id), book.ids[0]!).outputExcerpt ?? '').not.toContain(secret);
    }
  });
});

describe('secret rotation in embedded mode (the key generated into the data directory)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { JWT_SECRET_KEY: undefined } });
  });
  afterAll(async () => t?.close());

  it('takes effect without a restart, leaves the generated key file alone, and sealed secrets open', async () => {
    const keyFile = path.join(t.config.dataDir, 'jwt-secret');
    const generated = fs.readFileSync(keyFile, 'utf8');
    expect((await api(t, 'admin', 'POST', '/api/v1/channels', { name: 'embedded-hook', kind: 'webhook', url: 'https://hooks.example.com/embedded/sealed' })).status).toBe(201);
    const rotated = await rotate(t, t.tokens.admin, { revokePrevious: true });
    expect(rotated.status).toBe(200);
    expect(await meStatus(t, t.tokens.viewer)).toBe(401);
    const admin = await login(t.inject, 'admin', ADMIN_PASSWORD);
    expect(await meStatus(t, admin)).toBe(200);
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(generated);
    // The generated key signed everything before; now it is a revoked ring key, and forges nothing.
    expect(await meStatus(t, forge(generated.trim(), t.userIds.admin))).toBe(401);
    expect(await t.server.notify.channelSecretValues()).toContain('https://hooks.example.com/embedded/sealed');
  });
});
