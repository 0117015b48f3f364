import { afterAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import { createPostgresDatabase } from '../support/db.js';
import { createTestApp, testConfig, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { startServer } from '../../src/server.js';
import { createLogger } from '../../src/platform/logger.js';
import { call, fakeClock, openIncident, timeline } from './support.js';

async function breachCount(t: { server: { metrics: { registry: { getSingleMetricAsString(name: string): Promise<string> } } } }, severity: string, kind: string) {
  const text = await t.server.metrics.registry.getSingleMetricAsString('nexus_sla_breaches_total');
  const line = text.split('\n').find((l) => l.startsWith('nexus_sla_breaches_total{') && l.includes(`severity="${severity}"`) && l.includes(`kind="${kind}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe.each(ENGINES)('SLA clocks on %s', (engine) => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const t of apps) await t.close();
  });

  it('an unacknowledged P1 breaches its ack clock after 15 minutes, once, and counts it', async () => {
    const time = fakeClock();
    const t = await createTestApp(engine, { start: { clock: time.clock } });
    apps.push(t);
    const { id } = await openIncident(t, { severity: 'P1' });
    time.advanceMinutes(14);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(0);
    time.advanceMinutes(2);
    // Asserted on the metric and timeline, not on check()'s return: the background loop may find it first.
    await t.server.incidents.sla.check();
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(1);
    const breaches = (await timeline(t, id)).filter((e) => e.kind === 'sla.breach');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.data).toMatchObject({ kind: 'ack', severity: 'P1' });

    // The resolve clock (60 min) is separate.
    expect(await breachCount(t, 'P1', 'resolve')).toBe(0);
    time.advanceMinutes(45);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(1);
    expect(await breachCount(t, 'P1', 'ack')).toBe(1);
    const open = await t.server.metrics.registry.getSingleMetricAsString('nexus_incidents_open');
    expect(open).toMatch(/nexus_incidents_open\{severity="P1"[^}]*\} 1/);
  });

  it('acknowledging before the due time means no ack breach, even long after', async () => {
    const time = fakeClock();
    const t = await createTestApp(engine, { start: { clock: time.clock } });
    apps.push(t);
    const { id } = await openIncident(t, { severity: 'P1' });
    time.advanceMinutes(10);
    expect((await call<Incident>(t, 'responder', 'POST', `/api/v1/incidents/${id}/ack`)).body.state).toBe('acknowledged');
    time.advanceMinutes(30);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'ack')).toBe(0);
    time.advanceMinutes(30);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P1', 'resolve')).toBe(1);
    expect(await breachCount(t, 'P1', 'ack')).toBe(0);
    expect((await timeline(t, id)).filter((e) => e.kind === 'sla.breach').map((e) => e.data.kind)).toEqual(['resolve']);
  });

  it('a late acknowledgement is still a breach, found by the next check', async () => {
    const time = fakeClock();
    const t = await createTestApp(engine, { start: { clock: time.clock } });
    apps.push(t);
    const { id } = await openIncident(t, { severity: 'P2' });
    time.advanceMinutes(31);
    await call(t, 'responder', 'POST', `/api/v1/incidents/${id}/ack`);
    time.advanceMinutes(1);
    await t.server.incidents.sla.check();
    expect(await breachCount(t, 'P2', 'ack')).toBe(1);
    expect(await breachCount(t, 'P2', 'resolve')).toBe(0);
  });
});

describe('SLA clocks survive a restart (PostgreSQL)', () => {
  it('a new app on the same database sees the stored due times and records the breach once', async () => {
    const { url, drop } = await createPostgresDatabase();
    const time = fakeClock();
    const config = await testConfig({ DATABASE_URL: url });
    const logger = createLogger('silent');
    const first = await startServer(config, { listen: false, logger, clock: time.clock, builtinRunbooksDir: null });
    const { incident } = await first.incidents.incidents.openOrJoin({
      groupKey: 'restart',
      title: 'Down',
      severity: 'P1',
      alerts: [{ id: 'x', fingerprint: 'x', labels: {}, summary: 'down' }],
    });
    time.advanceMinutes(16);
    await first.incidents.sla.check();
    expect(await breachCount({ server: first }, 'P1', 'ack')).toBe(1);
    await first.close();

    const second = await startServer(config, { listen: false, logger, clock: time.clock, builtinRunbooksDir: null });
    try {
      const seen = await second.incidents.incidents.get(incident.id);
      expect(seen.sla.ackDueAt).toBe(incident.sla.ackDueAt);
      expect(seen.sla.resolveDueAt).toBe(incident.sla.resolveDueAt);
      // The ack breach was recorded before the restart: not again.
      await second.incidents.sla.check();
      expect(await breachCount({ server: second }, 'P1', 'ack')).toBe(0);
      time.advanceMinutes(45);
      await second.incidents.sla.check();
      expect(await breachCount({ server: second }, 'P1', 'resolve')).toBe(1);
      const breaches = await second.db.query<{ kind: string }>('SELECT kind FROM incident_sla_breaches WHERE incident_id = $1 ORDER BY kind', [incident.id]);
      expect(breaches.map((b) => b.kind)).toEqual(['ack', 'resolve']);
    } finally {
      await second.close();
      await drop();
    }
  });
});
