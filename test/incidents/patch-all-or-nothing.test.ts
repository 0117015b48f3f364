import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { call, openIncident, timeline } from './support.js';

const NO_SUCH_USER = '00000000-0000-0000-0000-000000000000';
type ErrorBody = { error: { code: string; message: string } };

describe.each(ENGINES)('PATCH of an incident is all or nothing on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('a refused state change leaves title, severity, SLA and timeline as they were', async () => {
    const before = await openIncident(t, { severity: 'P1', title: 'all or nothing' });
    for (const body of [
      { title: 'partial-change', severity: 'P3', state: 'closed' },
      { severity: 'P3', assigneeId: t.userIds.responder, state: 'closed' },
    ]) {
      const res = await call<ErrorBody>(t, 'responder', 'PATCH', `/api/v1/incidents/${before.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
    }
    const after = (await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${before.id}`)).body;
    expect(after).toMatchObject({ title: 'all or nothing', severity: 'P1', assigneeId: null, sla: before.sla, updatedAt: before.updatedAt });
    expect((await timeline(t, before.id)).map((e) => e.kind)).toEqual(['state']);
  });

  it('an assignee or commander that is not a user is a 400 naming the field, and nothing is written', async () => {
    const { id } = await openIncident(t, { severity: 'P2' });
    for (const field of ['assigneeId', 'commanderId']) {
      const res = await call<ErrorBody>(t, 'responder', 'PATCH', `/api/v1/incidents/${id}`, { title: 'renamed', [field]: NO_SUCH_USER });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`body/${field}: no such user`);
    }
    expect((await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${id}`)).body).toMatchObject({ title: 'API errors', assigneeId: null, commanderId: null });
    expect((await timeline(t, id)).map((e) => e.kind)).toEqual(['state']);
  });

  it('a blank title is refused on create and on PATCH', async () => {
    const created = await call<ErrorBody>(t, 'responder', 'POST', '/api/v1/incidents', { title: ' \t ', severity: 'P1' });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toContain('body/title');
    const { id } = await openIncident(t);
    const patched = await call<ErrorBody>(t, 'responder', 'PATCH', `/api/v1/incidents/${id}`, { title: '   ', severity: 'P3' });
    expect(patched.status).toBe(400);
    expect(patched.body.error.message).toContain('body/title');
    expect((await call<Incident>(t, 'viewer', 'GET', `/api/v1/incidents/${id}`)).body).toMatchObject({ title: 'API errors', severity: 'P1' });
  });

  it('a PATCH that is allowed applies fields and state together, the state event last', async () => {
    const { id } = await openIncident(t, { severity: 'P2' });
    const res = await call<Incident>(t, 'responder', 'PATCH', `/api/v1/incidents/${id}`, { title: 'renamed', assigneeId: t.userIds.operator, state: 'mitigated' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ title: 'renamed', assigneeId: t.userIds.operator, state: 'mitigated' });
    expect((await timeline(t, id)).map((e) => e.kind)).toEqual(['state', 'title', 'assignment', 'state']);
  });
});
