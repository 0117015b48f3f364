import { afterAll, describe, expect, it } from 'vitest';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Incident } from '../../src/incidents/index.js';
import { SlaStore } from '../../src/incidents/sla-store.js';
import type { Orm } from '../../src/platform/db/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { alert, call, fakeClock, openIncident, timeline } from './support.js';

const MINUTE = 60_000;

async function breachCount(t: TestApp, severity: string, kind: string): Promise<number> {
  const text = await t.server.metrics.registry.getSingleMetricAsString('nexus_sla_breaches_total');
  const line = text.split('\n').find((l) => l.startsWith('nexus_sla_breaches_total{') && l.includes(`severity="${severity}"`) && l.includes(`kind="${kind}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function breachEvents(t: TestApp, id: string) {
  return (await timeline(t, id)).filter((e) => e.kind === 'sla.breach').map((e) => e.data as { kind: string; dueAt: string });
}

async function postmortemSlaRow(t: TestApp, id: string, name: string): Promise<string> {
  const { body } = await call<{ markdown: string }>(t, 'viewer', 'GET', `/api/v1/incidents/${id}/postmortem`);
  return body.markdown.split('\n').find((line) => line.startsWith(`| ${name} |`)) ?? '';
}

describe.each(ENGINES)('SLA clocks across resolve and reopen on %s', (engine) => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });
  async function app() {
    const time = fakeClock();
    const t = await createTestApp(engine, { start: { clock: time.clock } });
    apps.push(t);
    return { t, time };
  }

  it('a reopened incident that met its SLA gets a new resolve clock from the reopen, and can breach that one', async () => {
    const { t, time } = await app();
    const { id } = await openIncident(t, { severity: 'P1' });
    time.advanceMinutes(5);
    await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/ack`);
    time.advanceMinutes(25);
    await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/resolve`);
    await t.server.incidents.sla.check();
    time.advanceMinutes(24 * 60);

    const reopened = await call<Incident>(t, 'responder', 'POST', `/api/v1/incidents/${id}/reopen`);
    expect(reopened.body.state).toBe('triggered');
    const reopenedAt = Date.parse(reopened.body.updatedAt);
    expect(Date.parse(reopened.body.sla.resolveDueAt) - reopenedAt).toBe(60 * MINUTE);
    // Acknowledged in the first cycle: the reopen keeps that acknowledgement.
    expect(reopened.body.acknowledgedAt).not.toBeNull();
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(0);
    expect(await breachEvents(t, id)).toEqual([]);

    time.advanceMinutes(59);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(0);
    time.advanceMinutes(2);
    await t.server.incidents.sla.check();
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(1);
    expect(await breachEvents(t, id)).toEqual([expect.objectContaining({ kind: 'resolve', dueAt: reopened.body.sla.resolveDueAt })]);
  });

  it('a breach of the first cycle and one of the reopened cycle are both recorded, each once', async () => {
    const { t, time } = await app();
    const { id } = await openIncident(t, { severity: 'P1' });
    await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/ack`);
    time.advanceMinutes(61);
    await t.server.incidents.sla.check();
    await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/resolve`);
    time.advanceMinutes(10);
    // Reopened through PATCH, with a severity change in the same request: the new clock is a P2's.
    const reopened = await call<Incident>(t, 'responder', 'PATCH', `/api/v1/incidents/${id}`, { state: 'triggered', severity: 'P2' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(Date.parse(reopened.body.sla.resolveDueAt) - Date.parse(reopened.body.updatedAt)).toBe(120 * MINUTE);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(1);
    expect(await breachCount(t, 'P2', 'resolve')).toBe(0);
    time.advanceMinutes(121);
    await t.server.incidents.sla.check();
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P2', 'resolve')).toBe(1);
    expect((await breachEvents(t, id)).map((b) => b.kind)).toEqual(['resolve', 'resolve']);
    // A severity change after a breach moves the due time, but it is the same clock: no second breach.
    await call(t, 'responder', 'PATCH', `/api/v1/incidents/${id}`, { severity: 'P1' });
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(1);
    expect(await breachEvents(t, id)).toHaveLength(2);
  });

  it('a resolve by the system is not an acknowledgement; the ack clock stops at the resolve without a breach', async () => {
    const { t, time } = await app();
    const { incident } = await t.server.incidents.incidents.openOrJoin({ groupKey: 'auto-resolve-early', title: 'CPU', severity: 'P1', alerts: [alert('early-1')] });
    time.advanceMinutes(10);
    const resolved = await t.server.incidents.incidents.alertResolved('auto-resolve-early', 'early-1');
    expect(resolved?.incident).toMatchObject({ state: 'resolved', acknowledgedAt: null });
    time.advanceMinutes(60);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(0);
    expect(await postmortemSlaRow(t, incident.id, 'Time to acknowledge')).toBe('| Time to acknowledge | 15 min | not acknowledged | resolved first |');

    // Reopened a day later, it has a new acknowledge clock, which it can breach.
    time.advanceMinutes(24 * 60);
    const reopened = await call<Incident>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/reopen`);
    expect(Date.parse(reopened.body.sla.ackDueAt) - Date.parse(reopened.body.updatedAt)).toBe(15 * MINUTE);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(0);
    time.advanceMinutes(16);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(1);
  });

  it('a resolve by the system after the acknowledge due time is one ack breach, and the clock stays stopped', async () => {
    const { t, time } = await app();
    const { incident } = await t.server.incidents.incidents.openOrJoin({ groupKey: 'auto-resolve-late', title: 'CPU', severity: 'P1', alerts: [alert('late-1')] });
    time.advanceMinutes(20);
    expect((await t.server.incidents.incidents.alertResolved('auto-resolve-late', 'late-1'))?.incident).toMatchObject({ state: 'resolved', acknowledgedAt: null });
    for (let i = 0; i < 3; i++) {
      time.advanceMinutes(30);
      await t.server.incidents.sla.check();
    }
    expect(await breachCount(t, 'P1', 'ack')).toBe(1);
    expect(await breachCount(t, 'P1', 'resolve')).toBe(0);
    expect((await breachEvents(t, incident.id)).map((b) => b.kind)).toEqual(['ack']);
    expect(await postmortemSlaRow(t, incident.id, 'Time to acknowledge')).toBe('| Time to acknowledge | 15 min | not acknowledged | missed |');
  });

  it('the post-mortem calls an acknowledgement 2 s late missed, as the SLA clock does', async () => {
    const { t, time } = await app();
    const { id } = await openIncident(t, { severity: 'P1' });
    time.advanceMinutes(15 + 2 / 60);
    await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/ack`);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(1);
    expect(await postmortemSlaRow(t, id, 'Time to acknowledge')).toMatch(/^\| Time to acknowledge \| 15 min \| 15(\.0)? min \| missed \|$/);
  });
});

describe('the SLA check on PostgreSQL', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('reads only incidents whose clocks can still breach, however many closed ones there are', async () => {
    t = await createTestApp('postgres');
    const client = new pg.Client({ connectionString: t.config.databaseUrl });
    await client.connect();
    const store = new SlaStore(drizzle({ client }) as unknown as Orm);
    const rowsRead = async (table: string) => {
      const { rows } = await client.query<{ n: string }>(
        `SELECT (pg_stat_get_xact_tuples_returned('${table}'::regclass) + pg_stat_get_xact_tuples_fetched('${table}'::regclass))::text AS n`,
      );
      return Number(rows[0]!.n);
    };
    try {
      await client.query('BEGIN');
      // 20,000 incidents closed within their SLA, and one open P1 past both due times.
      await client.query(`INSERT INTO incidents (title, severity, state, response_minutes, resolution_minutes, ack_due_at, resolve_due_at, triggered_at,
          acknowledged_at, resolved_at, closed_at, created_by, updated_at)
        SELECT 'old ' || g, 'P2', 'closed', 30, 120, t + interval '30 min', t + interval '120 min', t, t + interval '5 min', t + interval '60 min',
          t + interval '61 min', 'x', t + interval '61 min'
        FROM (SELECT g, now() - interval '1 day' - (g || ' minutes')::interval AS t FROM generate_series(1, 20000) g) s`);
      // One in 20 of them resolved late, its breach recorded long ago.
      await client.query(`UPDATE incidents SET resolved_at = triggered_at + interval '200 min', updated_at = triggered_at + interval '201 min'
        WHERE substr(title, 5)::int % 20 = 0`);
      await client.query(`INSERT INTO incident_sla_breaches (incident_id, kind, due_at, detected_at)
        SELECT id, 'resolve', resolve_due_at, resolved_at FROM incidents WHERE resolved_at > resolve_due_at`);
      await client.query(`INSERT INTO incidents (title, severity, state, response_minutes, resolution_minutes, ack_due_at, resolve_due_at, triggered_at, created_by)
        VALUES ('open', 'P1', 'triggered', 15, 60, now() - interval '45 min', now() - interval '1 min', now() - interval '61 min', 'x')`);
      await client.query('ANALYZE incidents');
      await client.query('ANALYZE incident_sla_breaches');
      const before = { incidents: await rowsRead('incidents'), breaches: await rowsRead('incident_sla_breaches') };
      const due = await store.dueBreaches(new Date(), new Date(Date.now() - 10 * MINUTE));
      expect(due.map((b) => b.kind).sort()).toEqual(['ack', 'resolve']);
      // A scan would read all 20,001 incidents, or all 1,000 breaches.
      expect((await rowsRead('incidents')) - before.incidents).toBeLessThan(100);
      expect((await rowsRead('incident_sla_breaches')) - before.breaches).toBeLessThan(100);
      // The first pass of a process also looks at every late stop, and still finds only the open clocks.
      expect((await store.dueBreaches(new Date(), null)).map((b) => b.kind).sort()).toEqual(['ack', 'resolve']);
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  });
});
