import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUTATING_METHODS } from '../../src/platform/auth/access.js';
import { ENGINES } from '../support/db.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';

interface Entry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  statusCode: number;
  requestId: string;
  details: Record<string, unknown> | null;
}

describe.each(ENGINES)('the audit log on %s', (engine) => {
  let t: TestApp;
  const audit = async (query = '') =>
    json<{ items: Entry[]; next: string | null }>(
      await t.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: bearer(t.tokens.admin) }),
    );

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('every mutating route declares an audit action', () => {
    const mutating = t.server.routes.filter((r) => MUTATING_METHODS.has(r.method));
    expect(mutating.length).toBeGreaterThan(5);
    for (const route of mutating) expect(route.audit, `${route.method} ${route.url}`).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it('a successful change records actor, action, target, time, outcome and request id', async () => {
    const before = Date.now();
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...bearer(t.tokens.admin), 'x-request-id': 'req-audit-1' },
      payload: { username: 'audited', password: 'audited-password-1', role: 'responder' },
    });
    const userId = json<{ id: string }>(res).id;
    const [entry] = (await audit('?action=user.create&target=' + userId)).items;
    expect(entry).toMatchObject({
      actor: 'admin',
      action: 'user.create',
      target: userId,
      outcome: 'success',
      statusCode: 201,
      requestId: 'req-audit-1',
      details: { username: 'audited', role: 'responder' },
    });
    expect(new Date(entry!.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(res.headers['x-request-id']).toBe('req-audit-1');
  });

  it('refused and invalid attempts are recorded too, with no secrets', async () => {
    await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.tokens.operator),
      payload: { username: 'sneaky', password: 'sneaky-password-1', role: 'admin' },
    });
    await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'BAD NAME' } });
    await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'wrong-password-xyz' } });

    expect((await audit('?action=user.create&outcome=denied')).items[0]).toMatchObject({ actor: 'operator-user', statusCode: 403 });
    expect((await audit('?action=user.create&outcome=rejected')).items[0]).toMatchObject({ actor: 'admin', statusCode: 400 });
    const login = (await audit('?action=auth.login&outcome=denied')).items[0];
    expect(login).toMatchObject({ actor: 'admin', statusCode: 401 });
    const everything = JSON.stringify(await audit('?limit=500'));
    expect(everything).not.toContain('wrong-password-xyz');
    expect(everything).not.toContain('sneaky-password-1');
  });

  it('an API token acting is named in the entry', async () => {
    const { token, info } = json<{ token: string; info: { id: string } }>(
      await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.responder), payload: { name: 'bot' } }),
    );
    await t.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(token), payload: { displayName: 'Bot Operator' } });
    const [entry] = (await audit('?action=user.update_self&actor=responder-user')).items;
    expect(entry).toMatchObject({ target: t.userIds.responder, details: { tokenId: info.id }, outcome: 'success' });
  });

  it('filters by actor, action prefix, outcome and time, newest first, with paging', async () => {
    const all = (await audit('?limit=500')).items;
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));

    const users = (await audit('?action=user.&limit=500')).items;
    expect(users.length).toBeGreaterThan(3);
    expect(users.every((e) => e.action.startsWith('user.'))).toBe(true);

    const byOperator = (await audit('?actor=operator-user')).items;
    expect(byOperator.every((e) => e.actor === 'operator-user')).toBe(true);

    const future = (await audit(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items;
    expect(future).toEqual([]);

    const first = await audit('?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await audit(`?limit=2&cursor=${first.next}`);
    expect(second.items[0]!.id).toBeLessThan(first.items[1]!.id);
  });

  it('reading the audit log needs admin, and since after until is a 400', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(t.tokens.operator) });
    expect(res.statusCode).toBe(403);
    const bad = await t.inject({
      method: 'GET',
      url: '/api/v1/audit?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z',
      headers: bearer(t.tokens.admin),
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(bad).error.message).toBe('query/since must not be after query/until');
  });

  it('first start recorded the bootstrap admin as a system action', async () => {
    const [entry] = (await audit('?action=user.bootstrap_admin')).items;
    expect(entry).toMatchObject({ actor: 'system', target: 'admin', outcome: 'success' });
  });
});
