import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/auth/roles.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';

type Json = Record<string, unknown>;
interface Policy {
  id: string;
  levels: Array<{ delay: number | string; targets: Array<{ type: string; id: string; whenCategory?: string }> }>;
  always: Array<{ type: string; id: string }>;
}

describe.each(ENGINES)('rotations and escalation policies on %s', (engine) => {
  let t: TestApp;
  const people: Record<string, string> = {};

  const call = async (role: Role, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const res = await t.inject({ method, url, headers: { authorization: `Bearer ${t.tokens[role]}` }, ...(payload === undefined ? {} : { payload: payload as Json }) });
    return { status: res.statusCode, body: res.json() as Json & { error?: { message: string } } };
  };
  const onCall = async (rotationId: string, at: string) => {
    const res = await call('viewer', 'GET', `/api/v1/rotations/${rotationId}/oncall?at=${encodeURIComponent(at)}`);
    expect(res.status).toBe(200);
    return res.body as { contact: { name: string } | null; source: string | null; from: string | null; until: string | null };
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const name of ['Ana', 'Ben', 'Cleo', 'Dev']) {
      const res = await call('admin', 'POST', '/api/v1/contacts', { name, email: `${name.toLowerCase()}@example.com` });
      people[name] = res.body.id as string;
    }
  });
  afterAll(async () => t?.close());

  it('an operator creates a Berlin rotation; the on-call contact follows Monday 09:00 local handoffs', async () => {
    const created = await call('operator', 'POST', '/api/v1/rotations', {
      name: 'primary',
      members: [people.Ana, people.Ben, people.Cleo],
      handoffWeekday: 'monday',
      handoffTime: '09:00',
      timezone: 'Europe/Berlin',
      startDate: '2025-01-06',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'primary', handoffWeekday: 'monday', members: [{ name: 'Ana' }, { name: 'Ben' }, { name: 'Cleo' }], overrides: [] });
    const id = created.body.id as string;
    // CET = UTC+1 in January: 09:00 local is 08:00 UTC.
    expect(await onCall(id, '2025-01-06T07:59:59Z')).toMatchObject({ contact: null, source: null });
    expect(await onCall(id, '2025-01-06T08:00:00Z')).toMatchObject({ contact: { name: 'Ana' }, source: 'schedule', until: '2025-01-13T08:00:00.000Z' });
    expect((await onCall(id, '2025-01-13T08:00:00Z')).contact?.name).toBe('Ben');
    expect((await onCall(id, '2025-01-27T08:00:00Z')).contact?.name).toBe('Ana');
    // The service API the incidents domain uses agrees with the route.
    expect((await t.server.notify.onCallAt(id, new Date('2025-01-20T12:00:00Z'))).contact?.name).toBe('Cleo');
  });

  it('an override wins over the schedule for its window, and shows on the rotation until it ends', async () => {
    const rotation = (await call('viewer', 'GET', '/api/v1/rotations')).body.items as Array<{ id: string; name: string }>;
    const id = rotation.find((r) => r.name === 'primary')!.id;
    const res = await call('operator', 'POST', `/api/v1/rotations/${id}/overrides`, {
      contactId: people.Dev,
      startsAt: '2099-01-14T00:00:00Z',
      endsAt: '2099-01-15T00:00:00Z',
      reason: 'Ben at a wedding',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contact: { name: 'Dev' }, createdBy: 'operator-user', reason: 'Ben at a wedding' });
    expect(await onCall(id, '2099-01-14T12:00:00Z')).toMatchObject({ contact: { name: 'Dev' }, source: 'override', from: '2099-01-14T00:00:00.000Z', until: '2099-01-15T00:00:00.000Z' });
    expect((await onCall(id, '2099-01-15T00:00:00Z')).source).toBe('schedule');
    // Before it, the scheduled shift lasts until the override takes over, not until the weekly handoff.
    const before = await onCall(id, '2099-01-13T12:00:00Z');
    expect(before).toMatchObject({ source: 'schedule', until: '2099-01-14T00:00:00.000Z' });
    expect(before.contact?.name).not.toBe('Dev');
    // At the last instant of year 9999 the shift has no end that can be written.
    expect(await onCall(id, '9999-12-31T23:59:59Z')).toMatchObject({ source: 'schedule', until: null });
    expect(((await call('viewer', 'GET', `/api/v1/rotations/${id}`)).body.overrides as Json[]).length).toBe(1);
    const bad = await call('operator', 'POST', `/api/v1/rotations/${id}/overrides`, { contactId: people.Dev, startsAt: '2099-01-15T00:00:00Z', endsAt: '2099-01-14T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/endsAt must be after/);
  });

  it('changes members and time zone with PATCH, and refuses unknown zones, contacts and duplicate names', async () => {
    const list = (await call('viewer', 'GET', '/api/v1/rotations')).body.items as Array<{ id: string }>;
    const id = list[0]!.id;
    const patched = await call('operator', 'PATCH', `/api/v1/rotations/${id}`, { members: [people.Cleo, people.Ana], timezone: 'America/New_York' });
    expect(patched.body).toMatchObject({ members: [{ name: 'Cleo' }, { name: 'Ana' }], timezone: 'America/New_York' });
    // 09:00 EST = 14:00 UTC.
    expect((await onCall(id, '2025-01-06T14:00:00Z')).contact?.name).toBe('Cleo');

    const base = { members: [people.Ana], handoffWeekday: 'friday', handoffTime: '17:30', timezone: 'UTC', startDate: '2025-01-03' };
    const cases: Array<[Json, number, RegExp]> = [
      [{ ...base, name: 'r1', timezone: 'Mars/Olympus' }, 400, /not an IANA time zone/],
      [{ ...base, name: 'r2', members: ['00000000-0000-4000-8000-000000000000'] }, 400, /some contacts do not exist/],
      [{ ...base, name: 'r3', handoffTime: '25:00' }, 400, /handoffTime/],
      [{ ...base, name: 'r4', handoffWeekday: 'funday' }, 400, /handoffWeekday/],
      [{ ...base, name: 'r5', startDate: '2025-02-30' }, 400, /startDate/],
      [{ ...base, name: 'primary' }, 409, /same unique value/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await call('operator', 'POST', '/api/v1/rotations', payload);
      expect(`${payload.name} -> ${res.status} ${res.body.error?.message}`).toMatch(new RegExp(`-> ${status} .*${message.source}`));
    }
    expect((await call('responder', 'POST', '/api/v1/rotations', { ...base, name: 'r6' })).status).toBe(403);
  });

  it('plans the default policy: on-call and Slack at trigger, escalation manager at the P1 response time, security team for security', async () => {
    const [policy] = (await call('viewer', 'GET', '/api/v1/escalation-policies')).body.items as Policy[];
    const plan = await t.server.notify.planEscalation(policy!.id, { responseMinutes: 15 });
    expect(plan.map((l) => ({ level: l.level, afterMinutes: l.afterMinutes, targets: l.targets.map((x) => x.name) }))).toEqual([
      { level: 0, afterMinutes: 0, targets: ['On-Call Engineer', '#nexus-platform-alerts'] },
      { level: 1, afterMinutes: 15, targets: ['Escalation Manager'] },
    ]);
    const security = await t.server.notify.planEscalation(policy!.id, { category: 'security', responseMinutes: 15 });
    expect(security[0]!.targets.map((x) => x.name)).toEqual(['On-Call Engineer', 'Security Team', '#nexus-platform-alerts']);
  });

  it('an operator creates and changes a policy with a rotation target; invalid levels and unknown targets are 400', async () => {
    const rotationId = ((await call('viewer', 'GET', '/api/v1/rotations')).body.items as Array<{ id: string }>)[0]!.id;
    const created = await call('operator', 'POST', '/api/v1/escalation-policies', {
      name: 'payments',
      levels: [{ delay: 0, targets: [{ type: 'rotation', id: rotationId }] }, { delay: 30, targets: [{ type: 'contact', id: people.Dev }] }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ always: [], levels: [{ delay: 0 }, { delay: 30 }] });
    const plan = await t.server.notify.planEscalation(id, { responseMinutes: 5 });
    expect(plan.map((l) => `${l.afterMinutes}:${l.targets.map((x) => x.name).join(',')}`)).toEqual(['0:primary', '30:Dev']);

    const patched = await call('operator', 'PATCH', `/api/v1/escalation-policies/${id}`, { always: [{ type: 'contact', id: people.Ana }] });
    expect(patched.body).toMatchObject({ always: [{ type: 'contact', id: people.Ana }] });
    expect((await call('viewer', 'GET', `/api/v1/escalation-policies/${id}`)).body).toMatchObject({ name: 'payments' });

    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: Array<[Json, number, RegExp]> = [
      [{ name: 'p1', levels: [{ delay: 10, targets: [{ type: 'contact', id: people.Ana }] }] }, 400, /levels\/0\/delay must be 0/],
      [{ name: 'p2', levels: [{ delay: 0, targets: [{ type: 'contact', id: missing }] }] }, 400, /do not exist: contact:/],
      [{ name: 'p3', levels: [{ delay: 'soon', targets: [{ type: 'contact', id: people.Ana }] }] }, 400, /delay/],
      [{ name: 'p4', levels: [] }, 400, /levels/],
      [{ name: 'p5', levels: [{ delay: 0, targets: [{ type: 'pager', id: people.Ana }] }] }, 400, /type/],
      [{ name: 'payments', levels: [{ delay: 0, targets: [{ type: 'contact', id: people.Ana }] }] }, 409, /already exists/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await call('operator', 'POST', '/api/v1/escalation-policies', payload);
      expect(`${payload.name} -> ${res.status} ${res.body.error?.message}`).toMatch(new RegExp(`-> ${status} .*${message.source}`));
    }
    await expect(t.server.notify.planEscalation(missing, { responseMinutes: 15 })).rejects.toThrow(/does not exist/);
  });
});
