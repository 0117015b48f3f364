import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.js';
import type { IncidentListItem, PostmortemSummary } from '../../src/incidents/schema.js';
import { amAlert, amPayload, post } from '../alerts/support.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { call, fakeClock, openIncident } from './support.js';

type Page<T> = { items: T[]; next: string | null };
type ErrorBody = { error: { code: string; message: string } };

/** A marker no other test's data contains, so each test reads only what it made. */
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe.each(ENGINES)('incident history on %s', (engine) => {
  let t: TestApp;
  const time = fakeClock();
  beforeAll(async () => {
    t = await createTestApp(engine, { start: { clock: time.clock } });
  });
  afterAll(async () => t?.close());

  const list = async (query: string) => {
    const res = await call<Page<IncidentListItem>>(t, 'viewer', 'GET', `/api/v1/incidents?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const titles = async (query: string) => (await list(query)).items.map((i) => i.title);
  const act = async (id: string, action: string) => expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/${action}`)).status).toBe(200);

  it('filters by several states and severities, service, assignee or nobody, and trigger time', async () => {
    const service = unique('svc');
    const start = time.clock().toISOString();
    const a = await openIncident(t, { title: 'a P1 triggered', severity: 'P1', service });
    time.advanceMinutes(10);
    const middle = time.clock().toISOString();
    const b = await openIncident(t, { title: 'b P2 acknowledged', severity: 'P2', service });
    await act(b.id, 'ack');
    time.advanceMinutes(10);
    const c = await openIncident(t, { title: 'c P3 resolved', severity: 'P3', service });
    await act(c.id, 'resolve');
    expect((await call(t, 'responder', 'PATCH', `/api/v1/incidents/${a.id}`, { assigneeId: t.userIds.responder })).status).toBe(200);
    await openIncident(t, { title: 'elsewhere', severity: 'P1', service: unique('other') });

    expect(await titles(`service=${service}`)).toEqual(['c P3 resolved', 'b P2 acknowledged', 'a P1 triggered']);
    expect(await titles(`service=${service}&state=triggered&state=resolved`)).toEqual(['c P3 resolved', 'a P1 triggered']);
    expect(await titles(`service=${service}&severity=P2&severity=P3`)).toEqual(['c P3 resolved', 'b P2 acknowledged']);
    expect(await titles(`service=${service}&state=acknowledged`)).toEqual(['b P2 acknowledged']);
    expect(await titles(`service=${service}&assigneeId=${t.userIds.responder}`)).toEqual(['a P1 triggered']);
    expect(await titles(`service=${service}&assigneeId=unassigned`)).toEqual(['c P3 resolved', 'b P2 acknowledged']);
    expect(await titles(`service=${service}&from=${start}&to=${middle}`)).toEqual(['a P1 triggered']);
    expect(await titles(`service=${service}&from=${middle}`)).toEqual(['c P3 resolved', 'b P2 acknowledged']);
  });

  it('searches titles and the labels and summaries of linked alerts, case-insensitively; % and _ are plain text', async () => {
    const host = unique('db-node');
    const group = `{}:{alertname="NexusHighErrorRate", job="${host}"}`;
    const received = await post(t, '/api/v1/alerts/alertmanager', amPayload(group, [amAlert({ alertname: 'NexusHighErrorRate', job: host, instance: host }, 'firing', unique('fp'))]));
    expect(received.status).toBe(200);
    const [fromAlert] = received.body.incidents;
    const titled = await openIncident(t, { title: `Disk full on ${host.toUpperCase()}` });
    const percent = await openIncident(t, { title: `${unique('x')} 100% CPU` });

    const found = (await list(`q=${encodeURIComponent(host)}`)).items.map((i) => i.id);
    expect(found).toEqual([titled.id, fromAlert]);
    // The alert's summary annotation ("NexusHighErrorRate on <instance>") is searched too.
    expect((await list(`q=${encodeURIComponent(`rate on ${host}`)}`)).items.map((i) => i.id)).toEqual([fromAlert]);
    const byPercent = (await list(`q=${encodeURIComponent('100%')}`)).items.map((i) => i.id);
    expect(byPercent).toContain(percent.id);
    expect(byPercent).not.toContain(titled.id);
    expect((await list(`q=${encodeURIComponent('_%_')}`)).items).toEqual([]);
  });

  it('sorts by severity, duration and resolve time, and pages each sort in the same order as one long page', async () => {
    const service = unique('sort');
    const p3 = await openIncident(t, { title: 'p3 resolved after 30 min', severity: 'P3', service });
    const p1 = await openIncident(t, { title: 'p1 resolved after 5 min', severity: 'P1', service });
    const p2 = await openIncident(t, { title: 'p2 open', severity: 'P2', service });
    time.advanceMinutes(5);
    await act(p1.id, 'resolve');
    time.advanceMinutes(25);
    await act(p3.id, 'resolve');

    expect(await titles(`service=${service}&sort=severity`)).toEqual(['p1 resolved after 5 min', 'p2 open', 'p3 resolved after 30 min']);
    expect(await titles(`service=${service}&sort=severity&order=asc`)).toEqual(['p3 resolved after 30 min', 'p2 open', 'p1 resolved after 5 min']);
    expect(await titles(`service=${service}&sort=duration`)).toEqual(['p3 resolved after 30 min', 'p1 resolved after 5 min', 'p2 open']);
    expect(await titles(`service=${service}&sort=duration&order=asc`)).toEqual(['p1 resolved after 5 min', 'p3 resolved after 30 min', 'p2 open']);
    expect(await titles(`service=${service}&sort=resolvedAt`)).toEqual(['p3 resolved after 30 min', 'p1 resolved after 5 min', 'p2 open']);
    expect(await titles(`service=${service}&sort=resolvedAt&order=asc`)).toEqual(['p1 resolved after 5 min', 'p3 resolved after 30 min', 'p2 open']);
    const durations = (await list(`service=${service}&sort=duration`)).items.map((i) => i.durationMs);
    expect(durations[0]).toBe(Date.parse((await list(`service=${service}&sort=duration`)).items[0]!.resolvedAt!) - Date.parse(p3.triggeredAt));
    expect(durations[2]).toBeNull();

    for (const sort of ['triggeredAt', 'resolvedAt', 'severity', 'duration']) {
      for (const order of ['asc', 'desc']) {
        const whole = (await list(`service=${service}&sort=${sort}&order=${order}`)).items.map((i) => i.id);
        const walked: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Page<IncidentListItem> = await list(`service=${service}&sort=${sort}&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
          walked.push(...page.items.map((i) => i.id));
          cursor = page.next;
        } while (cursor);
        expect(walked, `${sort} ${order}`).toEqual(whole);
      }
    }
    expect(new Set([p1.id, p2.id, p3.id]).size).toBe(3);
  });

  it('refuses bad filters with a 400 that names the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['state=bogus', 'querystring/state/0'],
      ['severity=P9', 'querystring/severity/0'],
      ['assigneeId=nobody', 'querystring/assigneeId'],
      ['from=yesterday', 'querystring/from'],
      ['to=2026-13-45T00:00:00Z', 'querystring/to'],
      ['sort=title', 'querystring/sort'],
      ['order=sideways', 'querystring/order'],
      [`q=${'x'.repeat(201)}`, 'querystring/q'],
      ['q=%20%20', 'query/q'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'query/from'],
      ['tag=x', 'querystring/tag'],
    ];
    for (const [query, named] of cases) {
      const res = await call<ErrorBody>(t, 'viewer', 'GET', `/api/v1/incidents?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message, query).toContain(named);
    }
    const page = await list('sort=severity&limit=1');
    expect(page.next).not.toBeNull();
    const foreign = await call<ErrorBody>(t, 'viewer', 'GET', `/api/v1/incidents?sort=duration&limit=1&cursor=${page.next}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain('query/cursor');
    const forged = Buffer.from(JSON.stringify(['triggeredAt:desc', "'; DROP TABLE incidents; --", '2026-01-01T00:00:00.000Z', 'x'])).toString('base64url');
    expect((await call(t, 'viewer', 'GET', `/api/v1/incidents?cursor=${forged}`)).status).toBe(400);
  });

  it('each incident carries its SLA outcome: a late acknowledgement missed by how much, a quick resolve met in how long', async () => {
    const service = unique('sla');
    const incident = await openIncident(t, { title: 'slow ack', severity: 'P1', service });
    expect(incident.sla.response).toMatchObject({ result: 'running', stoppedAt: null, tookMs: null, overdueMs: null, startedAt: incident.triggeredAt });
    time.advanceMinutes(20);
    await act(incident.id, 'ack');
    time.advanceMinutes(10);
    await act(incident.id, 'resolve');
    const [item] = (await list(`service=${service}`)).items;
    const { response, resolution } = item!.sla;
    expect(response.result).toBe('missed');
    expect(response.stoppedBy).toBe('ack');
    expect(response.stoppedAt).toBe(item!.acknowledgedAt);
    expect(response.tookMs).toBe(Date.parse(item!.acknowledgedAt!) - Date.parse(item!.triggeredAt));
    expect(response.overdueMs).toBe(Date.parse(item!.acknowledgedAt!) - Date.parse(item!.sla.ackDueAt));
    expect(response.overdueMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(resolution).toMatchObject({ result: 'met', stoppedBy: 'resolve', overdueMs: null, stoppedAt: item!.resolvedAt });
    expect(resolution.tookMs).toBe(Date.parse(item!.resolvedAt!) - Date.parse(item!.triggeredAt));
    expect(item!.durationMs).toBe(resolution.tookMs);

    // Reopened: the met-or-missed acknowledgement stays; the resolve clock runs again.
    await act(incident.id, 'reopen');
    const reopened = (await call<IncidentListItem>(t, 'viewer', 'GET', `/api/v1/incidents/${incident.id}`)).body;
    expect(reopened.sla.response.result).toBe('missed');
    expect(reopened.sla.resolution).toMatchObject({ result: 'running', stoppedAt: null });
  });

  it('an incident nobody acknowledged has its acknowledge clock stopped by the resolve', async () => {
    const service = unique('noack');
    const { id } = await openIncident(t, { severity: 'P2', service });
    time.advanceMinutes(3);
    await t.server.incidents.incidents.transition('system', id, 'resolve');
    const [item] = (await list(`service=${service}`)).items;
    expect(item!.acknowledgedAt).toBeNull();
    expect(item!.sla.response).toMatchObject({ result: 'met', stoppedBy: 'resolve', stoppedAt: item!.resolvedAt });
  });

  it('lists post-mortems: resolved incidents as drafts, edited ones with their version, never an open one never edited', async () => {
    const service = unique('pm');
    const resolved = await openIncident(t, { title: `${service} resolved`, severity: 'P2', service });
    await act(resolved.id, 'resolve');
    const edited = await openIncident(t, { title: `${service} edited`, severity: 'P1', service });
    await act(edited.id, 'resolve');
    const open = await openIncident(t, { title: `${service} open`, service });
    time.advanceMinutes(1);
    const put = await call(t, 'responder', 'PUT', `/api/v1/incidents/${edited.id}/postmortem`, { markdown: '# What happened', baseVersion: 0 });
    expect(put.status).toBe(200);

    const all = (await call<Page<PostmortemSummary>>(t, 'viewer', 'GET', '/api/v1/postmortems?limit=500')).body.items.filter((p) => p.service === service);
    expect(all.map((p) => [p.title, p.status, p.version, p.editedBy])).toEqual([
      [`${service} edited`, 'edited', 1, 'responder-user'],
      [`${service} resolved`, 'draft', 0, null],
    ]);
    expect(all.some((p) => p.incidentId === open.id)).toBe(false);
    const drafts = (await call<Page<PostmortemSummary>>(t, 'viewer', 'GET', '/api/v1/postmortems?status=draft&limit=500')).body.items;
    expect(drafts.some((p) => p.incidentId === edited.id)).toBe(false);
    expect(drafts.some((p) => p.incidentId === resolved.id)).toBe(true);

    const items = (await list(`service=${service}&state=resolved`)).items;
    expect(items.map((i) => [i.title, i.postmortem.status, i.postmortem.version])).toEqual([
      [`${service} edited`, 'edited', 1],
      [`${service} resolved`, 'draft', 0],
    ]);

    // Paged one at a time, the list is the same as in one page.
    const whole = (await call<Page<PostmortemSummary>>(t, 'viewer', 'GET', '/api/v1/postmortems?limit=500')).body.items.map((p) => p.incidentId);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<PostmortemSummary> = (await call<Page<PostmortemSummary>>(t, 'viewer', 'GET', `/api/v1/postmortems?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      walked.push(...page.items.map((p) => p.incidentId));
      cursor = page.next;
    } while (cursor);
    expect(walked).toEqual(whole);
  });

  it("an incident's alerts, with labels, annotations and source link, stay listed after the alert fires into a later incident", async () => {
    const job = unique('job');
    const fingerprint = unique('fp');
    const group = `{}:{alertname="NexusHighErrorRate", job="${job}"}`;
    const firing = amAlert({ alertname: 'NexusHighErrorRate', job }, 'firing', fingerprint);
    const first = (await post(t, '/api/v1/alerts/alertmanager', amPayload(group, [firing]))).body.incidents[0]!;
    const alertsOf = async (incident: string) => (await call<Page<Alert>>(t, 'viewer', 'GET', `/api/v1/alerts?incident=${incident}`)).body.items;
    const [alert] = await alertsOf(first);
    expect(alert).toMatchObject({ fingerprint, labels: { alertname: 'NexusHighErrorRate', job }, annotations: { summary: 'NexusHighErrorRate on a' }, generatorURL: 'http://prometheus:9090/graph?g0.expr=up' });

    await post(t, '/api/v1/alerts/alertmanager', amPayload(group, [amAlert({ alertname: 'NexusHighErrorRate', job }, 'resolved', fingerprint)]));
    // Closed, so firing again opens a new incident instead of reopening this one within the flapping window.
    expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${first}/close`, {})).status).toBe(200);
    const second = (await post(t, '/api/v1/alerts/alertmanager', amPayload(group, [firing]))).body.incidents[0]!;
    expect(second).not.toBe(first);
    expect((await alertsOf(first)).map((a) => a.fingerprint)).toEqual([fingerprint]);
    expect((await alertsOf(second)).map((a) => a.fingerprint)).toEqual([fingerprint]);

    expect((await alertsOf((await openIncident(t)).id))).toEqual([]);
    const missing = await call<ErrorBody>(t, 'viewer', 'GET', '/api/v1/alerts?incident=00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect((await call(t, 'viewer', 'GET', '/api/v1/alerts?incident=not-a-uuid')).status).toBe(400);
  });

  it('the audit log names the incident acted on by its title of today, the user by name, and leaves an unknown target unnamed', async () => {
    const incident = await openIncident(t, { title: 'Disk <b>full</b>' });
    await act(incident.id, 'ack');
    expect((await call(t, 'responder', 'PATCH', `/api/v1/incidents/${incident.id}`, { title: 'Disk full on db-1' })).status).toBe(200);
    type Entry = { action: string; target: string | null; targetLabel: string | null };
    const entries = (await call<Page<Entry>>(t, 'admin', 'GET', `/api/v1/audit?target=${incident.id}`)).body.items;
    expect(entries.map((e) => [e.action, e.targetLabel])).toEqual([
      ['incident.update', 'Disk full on db-1'],
      ['incident.ack', 'Disk full on db-1'],
      ['incident.create', 'Disk full on db-1'],
    ]);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${missing}/ack`)).status).toBe(404);
    const [refused] = (await call<Page<Entry>>(t, 'admin', 'GET', `/api/v1/audit?target=${missing}`)).body.items;
    expect(refused).toMatchObject({ action: 'incident.ack', targetLabel: null });
    const users = (await call<Page<Entry>>(t, 'admin', 'GET', `/api/v1/audit?action=user.create`)).body.items;
    expect(users.find((e) => e.target === t.userIds.viewer)?.targetLabel).toBe('viewer-user');
  });
});
