import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { alert, call, openIncident, timeline } from './support.js';

describe.each(ENGINES)('incidents on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('a manual P2 gets the built-in P2 procedure and its SLA targets', async () => {
    const incident = await openIncident(t, { severity: 'P2', title: 'Error rate up', service: 'api' });
    expect(incident.state).toBe('triggered');
    expect(incident.runbook).toMatchObject({ slug: 'nexus-platform', procedureTitle: 'P2 - High Error Rate' });
    expect(incident.sla.responseMinutes).toBe(30);
    expect(incident.sla.resolutionMinutes).toBe(120);
    expect(Date.parse(incident.sla.ackDueAt) - Date.parse(incident.triggeredAt)).toBe(30 * 60_000);
    expect(Date.parse(incident.sla.resolveDueAt) - Date.parse(incident.triggeredAt)).toBe(120 * 60_000);
  });

  it('walks triggered → acknowledged → mitigated → resolved → closed → reopened, each on the timeline with its actor', async () => {
    const { id } = await openIncident(t);
    const steps: Array<[string, string, Record<string, unknown> | undefined, string]> = [
      ['POST', 'ack', undefined, 'acknowledged'],
      ['POST', 'mitigate', undefined, 'mitigated'],
      ['POST', 'resolve', undefined, 'resolved'],
      ['POST', 'close', undefined, 'closed'],
      ['POST', 'reopen', undefined, 'triggered'],
    ];
    for (const [method, action, body, state] of steps) {
      const res = await call<Incident>(t, 'responder', method as 'POST', `/api/v1/incidents/${id}/${action}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.state).toBe(state);
    }
    const events = (await timeline(t, id)).filter((e) => e.kind === 'state');
    expect(events.map((e) => `${e.data.from}->${e.data.to} ${e.actor}`)).toEqual([
      'null->triggered responder-user',
      'triggered->acknowledged responder-user',
      'acknowledged->mitigated responder-user',
      'mitigated->resolved responder-user',
      'resolved->closed responder-user',
      'closed->triggered responder-user',
    ]);
    const audit = await call<{ items: Array<{ action: string; target: string }> }>(t, 'admin', 'GET', `/api/v1/audit?target=${id}`);
    expect(audit.body.items.map((a) => a.action).sort()).toEqual(
      ['incident.ack', 'incident.close', 'incident.create', 'incident.mitigate', 'incident.reopen', 'incident.resolve'].sort(),
    );
  });

  it('refuses an invalid transition with 409 naming the states', async () => {
    const { id } = await openIncident(t);
    expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/resolve`)).status).toBe(200);
    const res = await call<{ error: { code: string; message: string; details: unknown } }>(t, 'responder', 'POST', `/api/v1/incidents/${id}/ack`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Cannot acknowledge an incident that is resolved: only from triggered to acknowledged');
    expect(res.body.error.details).toEqual({ state: 'resolved', target: 'acknowledged', allowedFrom: ['triggered'] });
    const close = await call<{ error: { message: string } }>(t, 'responder', 'POST', `/api/v1/incidents/${(await openIncident(t)).id}/close`);
    expect(close.status).toBe(409);
    expect(close.body.error.message).toContain('that is triggered: only from resolved to closed');
  });

  it('PATCH changes severity (and its SLA), assignee, commander and state, with timeline entries', async () => {
    const { id, triggeredAt } = await openIncident(t, { severity: 'P3' });
    const res = await call<Incident>(t, 'responder', 'PATCH', `/api/v1/incidents/${id}`, {
      severity: 'P1',
      assigneeId: t.userIds.responder,
      commanderId: t.userIds.operator,
      state: 'mitigated',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ severity: 'P1', assigneeId: t.userIds.responder, commanderId: t.userIds.operator, state: 'mitigated' });
    expect(Date.parse(res.body.sla.ackDueAt) - Date.parse(triggeredAt)).toBe(15 * 60_000);
    const kinds = (await timeline(t, id)).map((e) => `${e.kind}:${e.summary}`);
    expect(kinds).toEqual([
      'state:Opened by responder-user as P3',
      'severity:Severity P3 → P1 by responder-user',
      `assignment:assignee set to ${t.userIds.responder} by responder-user`,
      `assignment:commander set to ${t.userIds.operator} by responder-user`,
      'state:triggered → mitigated by responder-user',
    ]);
    expect((await call(t, 'viewer', 'PATCH', `/api/v1/incidents/${id}`, { title: 'x' })).status).toBe(403);
  });

  it('notes are timeline events; lists filter by state and severity and page with a cursor', async () => {
    const { id } = await openIncident(t, { severity: 'P3', title: 'Slow pages' });
    const note = await call<{ kind: string; summary: string; actor: string }>(t, 'responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'p95 is 2.4 s' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', summary: 'p95 is 2.4 s', actor: 'responder-user' });
    const p3 = await call<{ items: Incident[] }>(t, 'viewer', 'GET', '/api/v1/incidents?severity=P3&state=triggered');
    expect(p3.body.items.every((i) => i.severity === 'P3' && i.state === 'triggered')).toBe(true);
    expect(p3.body.items.map((i) => i.id)).toContain(id);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Incident[]; next: string | null } } = await call(t, 'viewer', 'GET', `/api/v1/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.body.items.map((i) => i.id));
      cursor = page.body.next;
    } while (cursor);
    const full = await call<{ items: Incident[] }>(t, 'viewer', 'GET', '/api/v1/incidents?limit=500');
    expect(all).toEqual(full.body.items.map((i) => i.id));
    expect(new Set(all).size).toBe(all.length);
  });

  it('alerts of one group open one incident; the second joins it; resolving all auto-resolves it', async () => {
    const group = `group-${engine}`;
    const input = { groupKey: group, title: 'High Error Rate', severity: 'P2' as const, service: 'api', runbook: { slug: 'nexus-platform', procedureId: 'p2-high-error-rate' } };
    const first = await t.server.incidents.incidents.openOrJoin({ ...input, alerts: [alert('a1')] });
    const second = await t.server.incidents.incidents.openOrJoin({ ...input, alerts: [alert('a2')] });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.incident.id).toBe(first.incident.id);
    expect(first.incident.runbook?.procedureTitle).toBe('P2 - High Error Rate');

    const half = await t.server.incidents.incidents.alertResolved(group, 'a1');
    expect(half).toMatchObject({ incident: { state: 'triggered' }, resolved: false });
    const done = await t.server.incidents.incidents.alertResolved(group, 'a2');
    expect(done).toMatchObject({ incident: { state: 'resolved' }, resolved: true });
    const events = await timeline(t, first.incident.id);
    expect(events.map((e) => `${e.kind} ${e.actor}`)).toEqual([
      'state system',
      'alert.fired system',
      'alert.joined system',
      'alert.resolved system',
      'alert.resolved system',
      'state system',
    ]);
    expect(events.at(-1)?.data).toEqual({ from: 'triggered', to: 'resolved' });

    // The group's incident is resolved: the next alert opens a new one.
    const third = await t.server.incidents.incidents.openOrJoin({ ...input, alerts: [alert('a3')] });
    expect(third.created).toBe(true);
    expect(third.incident.id).not.toBe(first.incident.id);
  });

  it('concurrent first alerts of a group still open exactly one incident', async () => {
    const input = { groupKey: `race-${engine}`, title: 'Target down', severity: 'P1' as const };
    const results = await Promise.all(['r1', 'r2', 'r3', 'r4'].map((id) => t.server.incidents.incidents.openOrJoin({ ...input, alerts: [alert(id)] })));
    expect(new Set(results.map((r) => r.incident.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('autoResolve false keeps the incident open when its alerts resolve', async () => {
    const input = { groupKey: `manual-${engine}`, title: 'Security', severity: 'P1' as const, category: 'security' as const, autoResolve: false };
    const { incident } = await t.server.incidents.incidents.openOrJoin({ ...input, alerts: [alert('s1')] });
    expect(incident.category).toBe('security');
    expect((await t.server.incidents.incidents.alertResolved(input.groupKey, 's1'))?.incident.state).toBe('triggered');
  });
});
