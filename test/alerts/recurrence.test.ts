import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules, type RoutingRule } from '../../src/alerts/index.js';
import type { Incident, TimelineEvent } from '../../src/incidents/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ADMIN_PASSWORD, bearer, createTestApp, json, login, testConfig, type TestApp } from '../support/app.js';
import { createPostgresDatabase, ENGINES } from '../support/db.js';
import { fakeClock } from '../incidents/support.js';
import { amAlert, amPayload, get, post } from './support.js';

const AM = '/api/v1/alerts/alertmanager';

/** Issue 16, points 3 and 4: priority and title from the alert; alerts and incidents agree over time. */
describe.each(ENGINES)('alerts tell the truth on %s', (engine) => {
  let t: TestApp;
  const time = fakeClock();
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_ALERT_SEVERITY_MAP: 'sev1=P1' }, start: { clock: time.clock } });
  });
  afterAll(async () => t?.close());

  const incident = (id: string) => get<Incident>(t, `/api/v1/incidents/${id}`);
  const events = async (id: string) => {
    await t.server.incidents.timeline.idle();
    return (await get<{ items: TimelineEvent[] }>(t, `/api/v1/incidents/${id}/timeline?limit=500`)).items;
  };
  /** One alert the seed rules do not name: the catch-all routes it. */
  const other = (name: string, labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing', summary?: string) => {
    const alert = amAlert({ alertname: name, ...labels }, status, `fp-${name}-${labels.instance ?? 'a'}`);
    const annotations: Record<string, string> = summary === undefined ? {} : { summary };
    return { ...alert, annotations };
  };

  it("an alert no seed rule names gets its own severity label's priority, its own title, and no unrelated procedure", async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['DiskFull', { severity: 'critical', service: 'db' }, 'P1'],
      ['QueueSlow', { severity: 'Warning', service: 'worker' }, 'P2'],
      ['CertExpiry', { severity: 'info' }, 'P3'],
      ['PagerTest', { severity: 'P2' }, 'P2'],
      ['Custom', { severity: 'sev1' }, 'P1'],
      ['NoLabel', {}, 'P3'],
      // A label value that names something on Object's prototype is just unknown.
      ['Hostile', { severity: 'constructor' }, 'P3'],
    ];
    for (const [name, labels, severity] of cases) {
      const res = await post(t, AM, amPayload(`{}:{alertname="${name}"}`, [other(name, labels)]));
      expect(res.status).toBe(200);
      const opened = await incident(res.body.incidents[0]!);
      expect([name, opened.severity, opened.runbook, opened.title]).toEqual([name, severity, null, labels.service ? `${name} on ${labels.service}` : name]);
      // Clocks of the priority, with no procedure to set them.
      expect(opened.sla.responseMinutes).toBe({ P1: 15, P2: 30, P3: 60 }[severity]);
    }
    const stored = await get<{ items: Array<{ severity: string }> }>(t, `/api/v1/alerts?fingerprint=fp-DiskFull-a`);
    expect(stored.items[0]!.severity).toBe('P1');
  });

  it('two P1s of different causes read differently: the summary names each', async () => {
    const a = await post(t, AM, amPayload('{}:{p1-a}', [{ ...amAlert({ alertname: 'NexusTargetDown', instance: 'api-1' }, 'firing', 'p1-a'), annotations: { summary: 'api-1 is down' } }]));
    const b = await post(t, AM, amPayload('{}:{p1-b}', [{ ...amAlert({ alertname: 'NexusHigh5xx', instance: 'web' }, 'firing', 'p1-b'), annotations: { summary: 'web answers 5xx to 12% of requests' } }]));
    expect([(await incident(a.body.incidents[0]!)).title, (await incident(b.body.incidents[0]!)).title]).toEqual(['api-1 is down', 'web answers 5xx to 12% of requests']);
    // The seed rules still decide their own priority and procedure.
    expect(await incident(b.body.incidents[0]!)).toMatchObject({ severity: 'P1', runbook: { procedureId: 'p1-critical-service-down' } });
  });

  it('a rule may leave the priority to the alert; a rule with one keeps it whatever the alert says', async () => {
    const admin = bearer(t.tokens.admin);
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/routing-rules',
      headers: admin,
      payload: { name: 'Team db', position: 5, matchers: [{ name: 'team', op: '=', value: 'db' }], severity: null },
    });
    expect(created.statusCode).toBe(201);
    expect(json<RoutingRule>(created).severity).toBeNull();
    const res = await post(t, AM, amPayload('{}:{team-db}', [other('ReplicaLag', { team: 'db', severity: 'warning' })]));
    expect((await incident(res.body.incidents[0]!)).severity).toBe('P2');
    // NexusHighCPU is P3 by its seed rule, whatever its label says.
    const fixed = await post(t, AM, amPayload('{}:{cpu-crit}', [amAlert({ alertname: 'NexusHighCPU', severity: 'critical', instance: 'c' }, 'firing', 'cpu-crit')]));
    expect((await incident(fixed.body.incidents[0]!)).severity).toBe('P3');
    const bad = await t.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: admin, payload: { name: 'x', matchers: [], severity: 'P0' } });
    expect(bad.statusCode).toBe(400);
  });

  it('a resolved webhook answers with the incidents it resolved, and only those', async () => {
    const group = '{}:{alertname="Flaky"}';
    const one = other('Flaky', { instance: 'one' });
    const two = other('Flaky', { instance: 'two' });
    const opened = await post(t, AM, amPayload(group, [one, two]));
    const id = opened.body.incidents[0]!;
    const half = await post(t, AM, amPayload(group, [{ ...one, status: 'resolved' }]));
    expect(half.body).toMatchObject({ resolved: 1, resolvedIncidents: [] });
    const all = await post(t, AM, amPayload(group, [{ ...two, status: 'resolved' }]));
    expect(all.body).toMatchObject({ resolved: 1, incidents: [], resolvedIncidents: [{ id, title: 'Flaky' }] });
    // Resolved again (Alertmanager repeats): nothing more was resolved.
    expect((await post(t, AM, amPayload(group, [{ ...two, status: 'resolved' }]))).body.resolvedIncidents).toEqual([]);
  });

  it('an alert firing again within the window reopens its incident, and the timeline says when', async () => {
    const group = '{}:{alertname="Flap"}';
    const alert = other('Flap', { service: 'api' });
    const { incidents: [id] } = (await post(t, AM, amPayload(group, [alert]))).body;
    await post(t, AM, amPayload(group, [{ ...alert, status: 'resolved' }]));
    expect((await incident(id!)).state).toBe('resolved');
    time.advanceMinutes(4);
    const again = await post(t, AM, amPayload(group, [alert]));
    expect(again.body.incidents).toEqual([id]);
    expect(await incident(id!)).toMatchObject({ state: 'triggered', resolvedAt: null });
    const kinds = (await events(id!)).filter((e) => e.kind === 'state' || e.kind.startsWith('alert.')).map((e) => [e.kind, e.summary]);
    expect(kinds.slice(-3)).toEqual([
      ['state', 'resolved → triggered by system'],
      ['alert.reopened', 'Reopened: Flap fired again 4 min after resolve'],
      ['alert.refired', 'Fired again: Flap'],
    ]);
  });

  it('beyond the window, or once closed, it opens a new incident whose timeline names the earlier one', async () => {
    const group = '{}:{alertname="Slow"}';
    const alert = other('Slow', {});
    const { incidents: [first] } = (await post(t, AM, amPayload(group, [alert]))).body;
    await post(t, AM, amPayload(group, [{ ...alert, status: 'resolved' }]));
    time.advanceMinutes(31);
    const { incidents: [second] } = (await post(t, AM, amPayload(group, [alert]))).body;
    expect(second).not.toBe(first);
    expect((await incident(first!)).state).toBe('resolved');
    const recurred = (await events(second!)).find((e) => e.kind === 'alert.recurred')!;
    expect(recurred.summary).toBe(`Slow fired again 31 min after "Slow" (${first}) was resolved; more than 30 min after resolve, so this is a new incident`);
    expect(recurred.data).toMatchObject({ previousIncidentId: first, reopenWindowMinutes: 30 });

    // Closed by a person: even a minute later, a new incident.
    await post(t, AM, amPayload(group, [{ ...alert, status: 'resolved' }]));
    const closed = await t.inject({ method: 'PATCH', url: `/api/v1/incidents/${second}`, headers: bearer(t.tokens.responder), payload: { state: 'closed' } });
    expect(closed.statusCode).toBe(200);
    time.advanceMinutes(1);
    const { incidents: [third] } = (await post(t, AM, amPayload(group, [alert]))).body;
    expect([third === first, third === second]).toEqual([false, false]);
    expect((await events(third!)).find((e) => e.kind === 'alert.recurred')!.summary).toContain(`(${second}) was resolved; it was closed, so this is a new incident`);
  });

  it('alerts firing again at once on several deliveries reopen the one incident, once', async () => {
    const group = '{}:{alertname="Burst"}';
    const alerts = ['b1', 'b2', 'b3', 'b4'].map((instance) => other('Burst', { instance }));
    const { incidents: [id] } = (await post(t, AM, amPayload(group, alerts))).body;
    await post(t, AM, amPayload(group, alerts.map((a) => ({ ...a, status: 'resolved' as const }))));
    const answers = await Promise.all(alerts.map((a) => post(t, AM, amPayload(group, [a]))));
    expect(answers.map((a) => a.body.incidents)).toEqual(alerts.map(() => [id]));
    const reopened = (await events(id!)).filter((e) => e.kind === 'alert.reopened');
    expect(reopened).toHaveLength(1);
    expect((await get<{ items: Incident[] }>(t, '/api/v1/incidents?state=triggered&limit=500')).items.filter((i) => i.groupKey === group)).toHaveLength(1);
  });

  it("an upgrade turns the untouched v1 default rules into v2 and leaves an admin's edits alone", async () => {
    const admin = bearer(t.tokens.admin);
    // Back to a database that has only the v1 defaults, one of them edited by an admin and one deleted.
    await t.server.db.orm.execute(sql`DELETE FROM alert_defaults WHERE name = 'routing-rules-v2'`);
    await t.server.db.orm.execute(sql`INSERT INTO alert_defaults (name) VALUES ('routing-rules-v1') ON CONFLICT DO NOTHING`);
    const v1 = defaultRules(1);
    for (const rule of await get<{ items: RoutingRule[] }>(t, '/api/v1/routing-rules', 'admin').then((r) => r.items)) {
      await t.inject({ method: 'DELETE', url: `/api/v1/routing-rules/${rule.id}`, headers: admin });
    }
    const ids: Record<string, string> = {};
    for (const rule of v1) {
      const body = { name: rule.name, position: rule.position, matchers: rule.matchers, severity: rule.severity, title: rule.title, service: rule.service, runbook: rule.runbookSlug ? { slug: rule.runbookSlug, procedureId: rule.procedureId } : null, escalationPolicy: rule.escalationPolicy, category: null };
      ids[rule.name] = json<RoutingRule>(await t.inject({ method: 'POST', url: '/api/v1/routing-rules', headers: admin, payload: body })).id;
    }
    await t.inject({ method: 'PATCH', url: `/api/v1/routing-rules/${ids['High Error Rate']}`, headers: admin, payload: { title: 'Errors (ours)' } });
    await t.inject({ method: 'DELETE', url: `/api/v1/routing-rules/${ids['Performance Degradation']}`, headers: admin });

    expect(await t.server.alerts.routing.ensureDefaults()).toEqual({ created: [], upgraded: ['Critical Service Down', 'Other alerts'] });
    const after = (await get<{ items: RoutingRule[] }>(t, '/api/v1/routing-rules', 'admin')).items.map((r) => [r.name, r.severity, r.title]);
    expect(after).toEqual([
      ['Critical Service Down', 'P1', null],
      ['High Error Rate', 'P2', 'Errors (ours)'],
      ['Other alerts', null, null],
    ]);
    // Once: the next start changes nothing, and the deleted rule stays deleted.
    expect(await t.server.alerts.routing.ensureDefaults()).toBeNull();
    expect(await t.server.alerts.routing.rules()).toHaveLength(3);
  });
});

describe('NEXUS_ALERT_REOPEN_WINDOW_MINUTES=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { NEXUS_ALERT_REOPEN_WINDOW_MINUTES: '0' } });
  });
  afterAll(async () => t?.close());

  it('never reopens: an alert firing again opens a new incident naming the earlier one', async () => {
    const group = '{}:{alertname="NoReopen"}';
    const alert = { ...amAlert({ alertname: 'NoReopen' }, 'firing', 'no-reopen'), annotations: {} };
    const { incidents: [first] } = (await post(t, AM, amPayload(group, [alert]))).body;
    await post(t, AM, amPayload(group, [{ ...alert, status: 'resolved' }]));
    const { incidents: [second] } = (await post(t, AM, amPayload(group, [alert]))).body;
    expect(second).not.toBe(first);
    await t.server.incidents.timeline.idle();
    const items = (await get<{ items: TimelineEvent[] }>(t, `/api/v1/incidents/${second}/timeline`)).items;
    expect(items.find((e) => e.kind === 'alert.recurred')!.summary).toContain('alerts never reopen incidents here');
  });
});

describe('two replicas on one PostgreSQL', () => {
  let replicas: RunningServer[] = [];
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const db = await createPostgresDatabase();
    drop = db.drop;
    const config = await testConfig({ DATABASE_URL: db.url });
    const logger = createLogger('silent');
    // One after the other: the first applies the migrations and the defaults.
    replicas.push(await startServer(config, { listen: false, logger, builtinRunbooksDir: null }));
    replicas.push(await startServer(config, { listen: false, logger, builtinRunbooksDir: null }));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    replicas = [];
    await drop?.();
  });

  it('alerts of one group firing again on both at once reopen the one incident, once', async () => {
    const [a, b] = replicas as [RunningServer, RunningServer];
    const token = await login(a.app.inject.bind(a.app), 'admin', ADMIN_PASSWORD);
    const send = (replica: RunningServer, payload: unknown) =>
      replica.app.inject({ method: 'POST', url: AM, headers: bearer(token), payload: payload as object }).then((res) => res.json() as { incidents: string[] });
    const group = '{}:{alertname="Split"}';
    const one = { ...amAlert({ alertname: 'Split', instance: 'one' }, 'firing', 'split-one'), annotations: {} };
    const two = { ...amAlert({ alertname: 'Split', instance: 'two' }, 'firing', 'split-two'), annotations: {} };
    const { incidents: [id] } = await send(a, amPayload(group, [one, two]));
    await send(b, amPayload(group, [{ ...one, status: 'resolved' }, { ...two, status: 'resolved' }]));
    expect((await a.incidents.incidents.get(id!)).state).toBe('resolved');

    const answers = await Promise.all([send(a, amPayload(group, [one])), send(b, amPayload(group, [two]))]);
    expect(answers.map((x) => x.incidents)).toEqual([[id], [id]]);
    expect((await a.incidents.incidents.get(id!)).state).toBe('triggered');
    const events = await a.incidents.incidents.timeline(id!, 0, 500);
    expect(events.filter((e) => e.kind === 'alert.reopened')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'alert.refired').map((e) => e.summary).sort()).toEqual(['Fired again: Split', 'Fired again: Split']);
  });
});
