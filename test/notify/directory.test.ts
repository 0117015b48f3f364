import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/auth/roles.js';
import { DEFAULT_POLICY_NAME, DEFAULT_SLACK_CHANNEL, SEED_CONTACTS } from '../../src/notify/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';

type Json = Record<string, unknown>;

describe.each(ENGINES)('contacts and channels on %s', (engine) => {
  let t: TestApp;

  const call = async (role: Role, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.inject({ method, url, headers: { authorization: `Bearer ${t.tokens[role]}` }, ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: res.body === '' ? null : (res.json() as Json & { error?: { code: string; message: string } }) };
  };
  const auditActions = async (target: string) =>
    (await t.server.db.query<{ action: string; outcome: string }>('SELECT action, outcome FROM audit_log WHERE target = $1 ORDER BY id', [target])).map(
      (r) => `${r.action}:${r.outcome}`,
    );

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('an admin adds, changes and deletes a contact; a viewer reads it; each change is audited', async () => {
    const created = await call('admin', 'POST', '/api/v1/contacts', { name: 'Alice Ops', phone: '+1-555-0199', email: 'alice@example.com', slack: '@alice', team: 'platform' });
    expect(created.status).toBe(201);
    const id = created.body!.id as string;
    expect(created.body).toMatchObject({ name: 'Alice Ops', phone: '+1-555-0199', email: 'alice@example.com', slack: '@alice', team: 'platform' });

    expect((await call('viewer', 'GET', `/api/v1/contacts/${id}`)).body).toMatchObject({ id, name: 'Alice Ops' });
    const listed = await call('viewer', 'GET', '/api/v1/contacts?limit=500');
    expect((listed.body!.items as Json[]).map((c) => c.name)).toContain('Alice Ops');

    expect((await call('operator', 'POST', '/api/v1/contacts', { name: 'Nope', email: 'n@example.com' })).status).toBe(403);
    const changed = await call('admin', 'PATCH', `/api/v1/contacts/${id}`, { phone: null, slack: '#platform-oncall' });
    expect(changed.body).toMatchObject({ phone: null, slack: '#platform-oncall', email: 'alice@example.com' });

    expect((await call('admin', 'DELETE', `/api/v1/contacts/${id}`)).status).toBe(204);
    expect((await call('viewer', 'GET', `/api/v1/contacts/${id}`)).status).toBe(404);
    expect(await auditActions(id)).toEqual(['contact.create:success', 'contact.update:success', 'contact.delete:success']);
  });

  it('refuses malformed phone numbers, e-mail addresses, Slack handles and unreachable contacts with a 400 naming the field', async () => {
    const cases: Array<[Json, RegExp]> = [
      [{ name: 'P', phone: '555-0123' }, /body\/phone/],
      [{ name: 'P', phone: '+1-555' }, /phone must have 7 to 15 digits/],
      [{ name: 'P', phone: '+1 555 0123 4567 8901' }, /phone must have 7 to 15 digits/],
      [{ name: 'P', email: 'not-an-address' }, /body\/email/],
      [{ name: 'P', slack: 'alice' }, /body\/slack/],
      [{ name: 'P', slack: '@al ice' }, /body\/slack/],
      [{ name: '   ', email: 'p@example.com' }, /body\/name/],
      [{ name: 'Nobody' }, /at least one of phone, email or slack/],
    ];
    for (const [payload, message] of cases) {
      const res = await call('admin', 'POST', '/api/v1/contacts', payload);
      expect(`${JSON.stringify(payload)} -> ${res.status} ${res.body?.error?.message}`).toMatch(new RegExp(`-> 400 .*${message.source}`));
    }
    const ok = await call('admin', 'POST', '/api/v1/contacts', { name: 'London', phone: '+44 20 7946 0958' });
    expect(ok.status).toBe(201);
    const cleared = await call('admin', 'PATCH', `/api/v1/contacts/${ok.body!.id as string}`, { phone: null });
    expect(cleared.status).toBe(400);
    expect(cleared.body!.error!.message).toMatch(/at least one of/);
  });

  it('never shows a channel URL path or secret, and audits only that they changed', async () => {
    const secret = 'hmac-secret-0123456789abcdef';
    const created = await call('admin', 'POST', '/api/v1/channels', {
      name: 'ops-hook',
      kind: 'webhook',
      url: 'https://hooks.example.com/T000/B000/XXXXSECRETPATH?token=abc',
      secret,
    });
    expect(created.status).toBe(201);
    const id = created.body!.id as string;
    expect(created.body).toMatchObject({ kind: 'webhook', url: 'https://hooks.example.com/…', secretSet: true, enabled: true });
    const changed = await call('admin', 'PATCH', `/api/v1/channels/${id}`, { secret: null, enabled: false });
    expect(changed.body).toMatchObject({ secretSet: false, enabled: false });
    const everything = JSON.stringify([
      created.body,
      changed.body,
      (await call('admin', 'GET', `/api/v1/channels/${id}`)).body,
      (await call('admin', 'GET', '/api/v1/channels')).body,
      await t.server.db.query('SELECT * FROM audit_log WHERE target = $1', [id]),
    ]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('XXXXSECRETPATH');
    expect(everything).not.toContain('token=abc');
    expect(await auditActions(id)).toEqual(['channel.create:success', 'channel.update:success']);
    expect((await call('operator', 'GET', '/api/v1/channels')).status).toBe(403);
  });

  it('refuses channel URLs with other schemes, credentials or metadata hosts, and fields of the wrong kind', async () => {
    const cases: Array<[Json, RegExp]> = [
      [{ name: 'c1', kind: 'webhook', url: 'file:///etc/passwd' }, /scheme must be http or https/],
      [{ name: 'c2', kind: 'webhook', url: 'gopher://example.com/x' }, /scheme must be http or https/],
      [{ name: 'c3', kind: 'webhook', url: 'https://user:pw@example.com/hook' }, /must not contain credentials/],
      [{ name: 'c4', kind: 'webhook', url: 'http://169.254.169.254/latest/meta-data' }, /metadata/],
      [{ name: 'c5', kind: 'webhook' }, /url is required/],
      [{ name: 'c6', kind: 'email' }, /address is required/],
      [{ name: 'c7', kind: 'email', address: 'ops@example.com', url: 'https://example.com' }, /url is not used/],
      [{ name: 'c8', kind: 'slack', url: 'https://hooks.slack.com/x', secret: 'sixteen-chars-long!' }, /body\/secret is not used by slack channels/],
      [{ name: 'c9', kind: 'pager', url: 'https://example.com' }, /body\/kind/],
      [{ name: 'c10', kind: 'webhook', url: 'https://example.com', secret: 'short' }, /body\/secret/],
    ];
    for (const [payload, message] of cases) {
      const res = await call('admin', 'POST', '/api/v1/channels', payload);
      expect(`${payload.name} -> ${res.status} ${res.body?.error?.message}`).toMatch(new RegExp(`-> 400 .*${message.source}`));
    }
    const first = await call('admin', 'POST', '/api/v1/channels', { name: 'dup', kind: 'email', address: 'a@example.com' });
    expect(first.status).toBe(201);
    expect((await call('admin', 'POST', '/api/v1/channels', { name: 'dup', kind: 'email', address: 'b@example.com' })).status).toBe(409);
  });

  it('creates the seed contacts, Slack channel and default policy at first start, and only once', async () => {
    const policies = (await call('viewer', 'GET', '/api/v1/escalation-policies')).body!.items as Json[];
    expect(policies.map((p) => p.name)).toEqual([DEFAULT_POLICY_NAME]);
    const contacts = (await call('viewer', 'GET', '/api/v1/contacts?limit=500')).body!.items as Json[];
    for (const seed of Object.values(SEED_CONTACTS)) expect(contacts).toContainEqual(expect.objectContaining(seed));
    const channels = (await call('admin', 'GET', '/api/v1/channels?limit=500')).body!.items as Json[];
    expect(channels).toContainEqual(expect.objectContaining({ name: DEFAULT_SLACK_CHANNEL, kind: 'slack', url: null, usesDefaultWebhook: true }));

    expect(await t.server.notify.ensureDefaults()).toBe(false);
    expect(((await call('viewer', 'GET', '/api/v1/escalation-policies')).body!.items as Json[]).length).toBe(1);
    const audited = await t.server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'notify.defaults_create'");
    expect(audited[0]!.n).toBe(1);
  });

  it('refuses to delete a contact or channel that a policy still pages (409, naming the policy)', async () => {
    const policy = ((await call('viewer', 'GET', '/api/v1/escalation-policies')).body!.items as Array<{ levels: Array<{ targets: Array<{ id: string }> }>; always: Array<{ id: string }> }>)[0]!;
    const onCall = policy.levels[0]!.targets[0]!.id;
    const contactRes = await call('admin', 'DELETE', `/api/v1/contacts/${onCall}`);
    expect(contactRes.status).toBe(409);
    expect(contactRes.body!.error).toMatchObject({ details: { policies: ['default'], rotations: [] } });
    const channelRes = await call('admin', 'DELETE', `/api/v1/channels/${policy.always[0]!.id}`);
    expect(channelRes.status).toBe(409);
  });
});
