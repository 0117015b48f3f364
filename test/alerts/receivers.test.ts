import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.js';
import { labelFingerprint } from '../../src/alerts/index.js';
import type { Incident } from '../../src/incidents/index.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { amAlert, amPayload, get, post } from './support.js';

const AM = '/api/v1/alerts/alertmanager';

describe.each(ENGINES)('alert receivers on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const alertsBy = async (fingerprint: string) => (await get<{ items: Alert[] }>(t, `/api/v1/alerts?fingerprint=${fingerprint}`)).items;
  const incident = (id: string) => get<Incident>(t, `/api/v1/incidents/${id}`);

  it('an Alertmanager v4 payload is committed before it is acknowledged, with counts', async () => {
    const payload = amPayload('{}:{alertname="NexusHighErrorRate"}', [
      amAlert({ alertname: 'NexusHighErrorRate', service: 'nexus-platform', instance: 'a' }),
      amAlert({ alertname: 'NexusHighErrorRate', service: 'nexus-platform', instance: 'b' }),
    ]);
    const res = await post(t, AM, payload);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 2, firing: 2, resolved: 0, silenced: 0 });
    // Straight from the database, not through the API: the rows exist once the 200 is out.
    const rows = await t.server.db.query<{ fingerprint: string; status: string }>(
      "SELECT fingerprint, status FROM alerts WHERE fingerprint IN ('fp-NexusHighErrorRate-a', 'fp-NexusHighErrorRate-b') ORDER BY fingerprint",
    );
    expect(rows).toEqual([
      { fingerprint: 'fp-NexusHighErrorRate-a', status: 'firing' },
      { fingerprint: 'fp-NexusHighErrorRate-b', status: 'firing' },
    ]);
    const [alert] = await alertsBy('fp-NexusHighErrorRate-a');
    expect(alert).toMatchObject({ source: 'alertmanager', status: 'firing', severity: 'P2', endsAt: null, startsAt: '2025-01-01T10:00:00.123Z', count: 1 });
  });

  it('alerts of one group open exactly one incident with the P2 runbook; another group opens another', async () => {
    const group = '{}:{alertname="NexusHighErrorRate", job="g1"}';
    const first = await post(t, AM, amPayload(group, [amAlert({ alertname: 'NexusHighErrorRate', job: 'g1', instance: 'x' })]));
    const second = await post(t, AM, amPayload(group, [
      amAlert({ alertname: 'NexusHighErrorRate', job: 'g1', instance: 'x' }, 'firing', 'g1-x'),
      amAlert({ alertname: 'NexusHighErrorRate', job: 'g1', instance: 'y' }, 'firing', 'g1-y'),
    ]));
    expect(first.body.incidents).toHaveLength(1);
    expect(second.body.incidents).toEqual(first.body.incidents);
    const opened = await incident(first.body.incidents[0]!);
    // Titled by the alert's summary, not the rule's name: two incidents of one rule read apart.
    expect(opened).toMatchObject({ severity: 'P2', state: 'triggered', groupKey: group, title: 'NexusHighErrorRate on x', service: 'nexus-platform' });
    expect(opened.runbook).toMatchObject({ slug: 'nexus-platform', procedureId: 'p2-high-error-rate' });
    const other = await post(t, AM, amPayload('{}:{alertname="NexusHighErrorRate", job="g2"}', [amAlert({ alertname: 'NexusHighErrorRate', job: 'g2' }, 'firing', 'g2-a')]));
    expect(other.body.incidents).toHaveLength(1);
    expect(other.body.incidents[0]).not.toBe(first.body.incidents[0]);
    const [linked] = await alertsBy('g1-y');
    expect(linked!.incidentId).toBe(first.body.incidents[0]);
  });

  it('a more severe alert joining the group raises the incident; a milder one never lowers it', async () => {
    const group = '{}:{job="sev"}';
    const first = await post(t, AM, amPayload(group, [amAlert({ alertname: 'NexusHighErrorRate', job: 'sev' }, 'firing', 'sev-p2')]));
    const id = first.body.incidents[0]!;
    expect((await incident(id)).severity).toBe('P2');
    await post(t, AM, amPayload(group, [amAlert({ alertname: 'NexusHigh5xx', job: 'sev' }, 'firing', 'sev-p1')]));
    const raised = await incident(id);
    expect(raised.severity).toBe('P1');
    expect(raised.sla.responseMinutes).toBe(15);
    await post(t, AM, amPayload(group, [amAlert({ alertname: 'NexusHighLatencyP95', job: 'sev' }, 'firing', 'sev-p3')]));
    expect((await incident(id)).severity).toBe('P1');
  });

  it('in one delivery, the most severe rule of a group opens its incident and the others join it', async () => {
    const group = '{}:{job="mixed"}';
    const res = await post(t, AM, amPayload(group, [
      amAlert({ alertname: 'NexusHighLatencyP95', job: 'mixed' }, 'firing', 'mixed-p3'),
      amAlert({ alertname: 'NexusTargetDown', job: 'mixed' }, 'firing', 'mixed-p1'),
      amAlert({ alertname: 'NexusHighErrorRate', job: 'mixed' }, 'firing', 'mixed-p2'),
    ]));
    expect(res.body.incidents).toHaveLength(1);
    const opened = await incident(res.body.incidents[0]!);
    expect(opened).toMatchObject({ severity: 'P1', title: 'NexusTargetDown on a' });
    expect(opened.runbook).toMatchObject({ procedureId: 'p1-critical-service-down' });
    const timeline = await get<{ items: Array<{ kind: string; summary: string }> }>(t, `/api/v1/incidents/${opened.id}/timeline`);
    const alertEvents = timeline.items.filter((e) => e.kind.startsWith('alert.'));
    expect(alertEvents.map((e) => e.kind)).toEqual(['alert.fired', 'alert.joined', 'alert.joined']);
    expect(alertEvents[0]!.summary).toContain('NexusTargetDown');
    // No "severity raised" step: it opened at P1.
    expect(timeline.items.filter((e) => e.kind === 'severity')).toEqual([]);
  });

  it('concurrent deliveries are committed together and each answered with its own incidents; shared alerts count every delivery', async () => {
    const groups = 6;
    const perGroup = 4;
    const deliveries = Array.from({ length: groups * perGroup }, (_, i) => {
      const g = i % groups;
      const job = `cc-${engine}-${g}`;
      return amPayload(`{}:{job="${job}"}`, [
        amAlert({ alertname: 'NexusHighErrorRate', job, instance: `i${i}` }, 'firing', `${job}-i${i}`),
        // The same alert in every delivery of the group, all in flight at once.
        amAlert({ alertname: 'NexusHighErrorRate', job, instance: 'shared' }, 'firing', `${job}-shared`),
      ]);
    });
    const events: Array<{ deliveries: number; alertIds: string[] }> = [];
    const stop = t.server.bus.subscribe((event) => {
      if (event.type === 'alert.received') events.push(event.data as (typeof events)[number]);
    });
    const answers = await Promise.all(deliveries.map((payload) => post(t, AM, payload))).finally(stop);
    expect(answers.map((a) => a.status)).toEqual(deliveries.map(() => 200));
    // One event per group commit, covering every delivery once.
    expect(events.reduce((n, e) => n + e.deliveries, 0)).toBe(deliveries.length);
    const byGroup = new Map<number, Set<string>>();
    answers.forEach((a, i) => {
      expect(a.body.incidents).toHaveLength(1);
      byGroup.set(i % groups, new Set([...(byGroup.get(i % groups) ?? []), ...a.body.incidents]));
    });
    // One incident per group, a different one for each group.
    expect([...byGroup.values()].map((ids) => ids.size)).toEqual(Array(groups).fill(1));
    expect(new Set([...byGroup.values()].map((ids) => [...ids][0])).size).toBe(groups);
    for (let g = 0; g < groups; g++) {
      const job = `cc-${engine}-${g}`;
      const incidentId = [...byGroup.get(g)!][0]!;
      const [shared] = await alertsBy(`${job}-shared`);
      expect(shared).toMatchObject({ count: perGroup, incidentId });
      const rows = await t.server.db.query<{ n: number | string }>('SELECT count(*) AS n FROM alerts WHERE incident_id = $1', [incidentId]);
      expect(Number(rows[0]!.n)).toBe(perGroup + 1);
      const timeline = await get<{ items: Array<{ kind: string; data: { fingerprint?: string } }> }>(t, `/api/v1/incidents/${incidentId}/timeline`);
      const linked = timeline.items.filter((e) => e.kind === 'alert.fired' || e.kind === 'alert.joined').map((e) => e.data.fingerprint);
      // Every alert of the group on the timeline exactly once.
      expect(linked.sort()).toEqual([...Array.from({ length: perGroup }, (_, k) => `${job}-i${g + k * groups}`), `${job}-shared`].sort());
    }
  });

  it('a repeat updates last-seen and count; resolved resolves the alert and, with all alerts resolved, the incident', async () => {
    const group = '{}:{alertname="NexusTargetDown"}';
    const firing = amPayload(group, [amAlert({ alertname: 'NexusTargetDown', instance: 'n1' }, 'firing', 'down-1')]);
    const opened = await post(t, AM, firing);
    const [before] = await alertsBy('down-1');
    await post(t, AM, firing);
    const [after] = await alertsBy('down-1');
    expect(after!.count).toBe(2);
    expect(after!.id).toBe(before!.id);
    expect(Date.parse(after!.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(before!.lastSeenAt));
    expect(after!.firstSeenAt).toBe(before!.firstSeenAt);
    expect(await incident(opened.body.incidents[0]!)).toMatchObject({ severity: 'P1', state: 'triggered', runbook: { procedureId: 'p1-critical-service-down' } });

    const res = await post(t, AM, amPayload(group, [amAlert({ alertname: 'NexusTargetDown', instance: 'n1' }, 'resolved', 'down-1')]));
    expect(res.body).toMatchObject({ received: 1, firing: 0, resolved: 1 });
    const [resolved] = await alertsBy('down-1');
    expect(resolved).toMatchObject({ status: 'resolved', count: 3, resolvedAt: '2025-01-01T10:05:00.000Z', endsAt: '2025-01-01T10:05:00.000Z' });
    expect((await incident(opened.body.incidents[0]!)).state).toBe('resolved');
    expect((await get<{ items: Alert[] }>(t, '/api/v1/alerts?state=resolved')).items.map((a) => a.fingerprint)).toContain('down-1');
  });

  it('a resolved alert that fires again within the reopen window reopens its incident (test/alerts/recurrence.test.ts: beyond it)', async () => {
    const group = '{}:{alertname="NexusHighMemory"}';
    const labels = { alertname: 'NexusHighMemory', instance: 'm' };
    const first = await post(t, AM, amPayload(group, [amAlert(labels, 'firing', 'mem-1')]));
    const resolved = await post(t, AM, amPayload(group, [amAlert(labels, 'resolved', 'mem-1')]));
    expect(resolved.body.resolvedIncidents).toEqual([{ id: first.body.incidents[0], title: 'NexusHighMemory on m' }]);
    const again = await post(t, AM, amPayload(group, [amAlert(labels, 'firing', 'mem-1')]));
    expect(again.body.incidents).toEqual(first.body.incidents);
    expect(await incident(again.body.incidents[0]!)).toMatchObject({ severity: 'P3', state: 'triggered', resolvedAt: null, runbook: { procedureId: 'p3-performance-degradation' } });
    expect((await alertsBy('mem-1'))[0]).toMatchObject({ status: 'firing', resolvedAt: null, incidentId: again.body.incidents[0] });
  });

  it('a delivery that resolves one alert of a group and fires another keeps the incident open, with both on it', async () => {
    const group = '{}:{alertname="NexusHighLatencyP95"}';
    const a = { alertname: 'NexusHighLatencyP95', instance: 'flap-a' };
    const b = { alertname: 'NexusHighLatencyP95', instance: 'flap-b' };
    const first = await post(t, AM, amPayload(group, [amAlert(a, 'firing', 'flap-a')]));
    const second = await post(t, AM, amPayload(group, [amAlert(a, 'resolved', 'flap-a'), amAlert(b, 'firing', 'flap-b')]));
    expect(second.status).toBe(200);
    expect(second.body.incidents).toEqual(first.body.incidents);
    expect(await incident(first.body.incidents[0]!)).toMatchObject({ state: 'triggered' });
    expect((await alertsBy('flap-b'))[0]).toMatchObject({ status: 'firing', incidentId: first.body.incidents[0] });
  });

  it('the generic receiver hashes the labels when no fingerprint is given, whatever their order', async () => {
    const one = await post(t, '/api/v1/alerts', { labels: { alertname: 'DiskFull', host: 'db1', mount: '/' } });
    await new Promise((resolve) => setTimeout(resolve, 5)); // the repeat is received at a later millisecond
    const two = await post(t, '/api/v1/alerts', [{ labels: { mount: '/', host: 'db1', alertname: 'DiskFull' }, annotations: { summary: 'disk' } }]);
    expect(one.status).toBe(200);
    expect(two.status).toBe(200);
    const fingerprint = labelFingerprint({ alertname: 'DiskFull', host: 'db1', mount: '/' });
    const [alert] = await alertsBy(fingerprint);
    expect(alert).toMatchObject({ source: 'generic', count: 2, severity: 'P3', status: 'firing' });
    // Neither gave a start: the alert started when it was first received, and a repeat does not move that.
    expect(alert!.startsAt).toBe(alert!.firstSeenAt);
    expect(alert!.lastSeenAt > alert!.startsAt).toBe(true);
    // Both deliveries grouped by rule + labels: one incident.
    expect(two.body.incidents).toEqual(one.body.incidents);
    const resolved = await post(t, '/api/v1/alerts', { labels: { alertname: 'DiskFull', host: 'db1', mount: '/' }, status: 'resolved' });
    expect(resolved.body).toMatchObject({ resolved: 1 });
    expect((await incident(one.body.incidents[0]!)).state).toBe('resolved');
  });

  it('bad payloads are a 400 with the error shape, never a 500, and store nothing', async () => {
    const good = amPayload('{}:{bad}', [amAlert({ alertname: 'Bad' }, 'firing', 'bad-1')]);
    const cases: unknown[] = [
      {},
      { ...good, alerts: [] },
      { ...good, status: 'burning' },
      { ...good, groupKey: 42 },
      { ...good, alerts: [{ ...good.alerts[0], labels: { alertname: 7 } }] },
      { ...good, alerts: [{ ...good.alerts[0], labels: { alertname: 'Bad', '': 'nameless' } }] },
      { ...good, alerts: [{ ...good.alerts[0], annotations: { ['x'.repeat(201)]: 'long name' } }] },
      { ...good, alerts: [{ ...good.alerts[0], startsAt: 'yesterday' }] },
      // What `Date` would take but RFC 3339 is not, a day that does not exist, and years the drivers read back wrong.
      ...['1', '2024', 'March 7, 2024', '2024-03-07', '2024-02-30T00:00:00Z', '2024-01-01T24:00:00Z', '0099-06-15T00:00:00Z', '1969-12-31T23:59:59Z'].map(
        (startsAt) => ({ ...good, alerts: [{ ...good.alerts[0], startsAt }] }),
      ),
      { ...good, alerts: [{ ...good.alerts[0], status: undefined }] },
      [good],
    ];
    for (const payload of cases) {
      const res = await post(t, AM, payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    for (const payload of [
      {},
      { labels: {}, extra: 1 },
      { labels: { a: 'b' }, status: 'open' },
      { labels: { a: 'b' }, startsAt: 'soon' },
      { labels: { a: 'b' }, startsAt: '0099-06-15T00:00:00Z' },
      { labels: { '': 'b' } },
      [],
    ]) {
      expect((await post(t, '/api/v1/alerts', payload)).status, JSON.stringify(payload)).toBe(400);
    }
    expect(await alertsBy('bad-1')).toEqual([]);
  });

  it('takes RFC 3339 times as Go writes them: nanoseconds, offsets, the zero time', async () => {
    const at = (startsAt: string, fingerprint: string) => amPayload('{}:{times}', [{ ...amAlert({ alertname: 'Times', instance: fingerprint }, 'firing', fingerprint), startsAt }]);
    expect((await post(t, AM, at('2025-01-01T12:00:00.123456789+02:00', 'times-offset'))).status).toBe(200);
    expect((await alertsBy('times-offset'))[0]).toMatchObject({ startsAt: '2025-01-01T10:00:00.123Z' });
    expect((await post(t, AM, at('2024-02-29T00:00:00Z', 'times-leap'))).status).toBe(200);
    expect((await alertsBy('times-leap'))[0]).toMatchObject({ startsAt: '2024-02-29T00:00:00.000Z', endsAt: null });
  });

  it('publishes alert.received with ids only, for consoles to refresh', async () => {
    const seen: Array<{ type: string; minRole: string; data: Record<string, unknown> }> = [];
    const stop = t.server.bus.subscribe((event) => {
      if (event.type === 'alert.received') seen.push(event as (typeof seen)[number]);
    });
    try {
      const res = await post(t, AM, amPayload('{}:{job="events"}', [amAlert({ alertname: 'NexusHighErrorRate', job: 'events' }, 'firing', 'events-1')]));
      expect(res.status).toBe(200);
    } finally {
      stop();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ minRole: 'viewer', data: { deliveries: 1, received: 1, firing: 1, resolved: 0, alertIds: [expect.any(String)] } });
    expect(JSON.stringify(seen[0]!.data)).not.toContain('NexusHighErrorRate');
  });

  it('unknown fields that Alertmanager may add are accepted', async () => {
    const alert = { ...amAlert({ alertname: 'Future' }, 'firing', 'future-1'), newField: true };
    const payload = { ...amPayload('{}:{future}', [alert]), alerts: [alert], anotherNewField: { x: 1 } };
    expect((await post(t, AM, payload)).status).toBe(200);
  });

  it('viewers cannot send alerts; anonymous callers are refused', async () => {
    expect((await post(t, AM, amPayload('{}:{v}', [amAlert({ alertname: 'V' })]), t.tokens.viewer)).status).toBe(403);
    const res = await t.inject({ method: 'POST', url: AM, payload: amPayload('{}:{v}', [amAlert({ alertname: 'V' })]) });
    expect(res.statusCode).toBe(401);
  });

  it('a repeat rewrites no index entry: no index covers a column a repeat changes, and pages keep room', async () => {
    // Repeats are most of what the receivers write; with no index on what they
    // change, PostgreSQL updates the row in place (HOT) instead of adding an
    // entry to every index for every repeat.
    const indexed = await t.server.db.query<{ column: string }>(`
      SELECT DISTINCT a.attname AS column
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = 'alerts'::regclass ORDER BY 1`);
    expect(indexed.map((r) => r.column)).toEqual(['fingerprint', 'id', 'starts_at', 'status']);
    const [table] = await t.server.db.query<{ options: string[] }>("SELECT reloptions AS options FROM pg_class WHERE oid = 'alerts'::regclass");
    expect(table!.options).toContain('fillfactor=70');
  });

  it('counts received alerts by source and status in /metrics', async () => {
    const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (source: string, status: string) =>
      Number(new RegExp(`nexus_alerts_received_total\\{source="${source}",status="${status}"[^}]*\\} (\\d+)`).exec(text)?.[1]);
    // Totals of the tests above: firing 2 + 4 + 3 + 3 + 48 + 2 + 2 + 2 + 2 + 1 + 1 (refused payloads count nothing).
    expect(value('alertmanager', 'firing')).toBe(70);
    expect(value('alertmanager', 'resolved')).toBe(3);
    expect(value('generic', 'firing')).toBe(2);
    expect(value('generic', 'resolved')).toBe(1);
  });

  it('GET /alerts pages with a cursor, newest started first, every alert exactly once', async () => {
    const first = await get<{ items: Alert[]; next: string | null }>(t, '/api/v1/alerts?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = await get<{ items: Alert[] }>(t, `/api/v1/alerts?limit=2&cursor=${first.next}`);
    expect(second.items.map((a) => a.id)).not.toContain(first.items[0]!.id);
    const seen: Alert[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: Alert[]; next: string | null } = await get(t, `/api/v1/alerts?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items);
      cursor = page.next;
    }
    const [{ n }] = (await t.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts')) as [{ n: number }];
    expect(new Set(seen.map((a) => a.id)).size).toBe(n);
    expect(seen.length).toBe(n);
    const key = (a: Alert) => `${a.startsAt}|${a.id}`;
    expect(seen.map(key)).toEqual([...seen].sort((a, b) => (key(a) < key(b) ? 1 : -1)).map(key));
    const res = await t.inject({ method: 'GET', url: '/api/v1/alerts?state=open', headers: bearer(t.tokens.viewer) });
    expect(res.statusCode).toBe(400);
  });
});
