/**
 * Unchanged repeats (most of what Alertmanager sends) bump only count and
 * last-seen; anything else rewrites the alert. Two replicas writing one alert
 * never lose content or counts: a repeat the other replica has overwritten
 * since is written again in full, and its delivery still commits all or nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createLogger } from '../../src/platform/logger.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { amAlert, amPayload, get } from './support.js';

const AM = '/api/v1/alerts/alertmanager';
const GROUP = '{}:{alertname="NexusHighCPU"}';

type Inject = TestApp['inject'];

async function send(inject: Inject, token: string, alerts: ReturnType<typeof amAlert>[]): Promise<void> {
  const res = await inject({ method: 'POST', url: AM, headers: bearer(token), payload: amPayload(GROUP, alerts) });
  expect(res.statusCode, res.body).toBe(200);
}

const cpu = (instance: string, summary?: string) => {
  const alert = amAlert({ alertname: 'NexusHighCPU', instance }, 'firing', `cpu-${instance}`);
  return summary ? { ...alert, annotations: { summary } } : alert;
};

describe.each(ENGINES)('alert repeats on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  const row = async (fingerprint: string) => {
    const [stored] = await t.server.db.query<{ version: string | null; count: string }>(
      'SELECT content_version AS version, receive_count::text AS count FROM alerts WHERE fingerprint = $1',
      [fingerprint],
    );
    return stored ?? null;
  };
  const alert = async (fingerprint: string) => (await get<{ items: Alert[] }>(t, `/api/v1/alerts?fingerprint=${fingerprint}`)).items[0]!;

  it('an unchanged repeat keeps the written content (its version too) and only counts; a changed one is written again', async () => {
    await send(t.inject, t.tokens.responder, [cpu('a')]);
    const first = await row('cpu-a');
    expect(first?.version).toEqual(expect.any(String));
    const seenFirst = (await alert('cpu-a')).lastSeenAt;
    await new Promise((resolve) => setTimeout(resolve, 5));

    await send(t.inject, t.tokens.responder, [cpu('a')]);
    await send(t.inject, t.tokens.responder, [cpu('a')]);
    expect(await row('cpu-a')).toEqual({ version: first!.version, count: '3' });
    expect(Date.parse((await alert('cpu-a')).lastSeenAt)).toBeGreaterThan(Date.parse(seenFirst));

    await send(t.inject, t.tokens.responder, [cpu('a', 'CPU at 97 %')]);
    const changed = await row('cpu-a');
    expect(changed).toEqual({ version: expect.any(String), count: '4' });
    expect(changed!.version).not.toBe(first!.version);
    expect(await alert('cpu-a')).toMatchObject({ annotations: { summary: 'CPU at 97 %' }, count: 4, status: 'firing' });

    // Resolving is a change too, and the incident hears of it.
    await send(t.inject, t.tokens.responder, [{ ...cpu('a', 'CPU at 97 %'), status: 'resolved', endsAt: '2025-01-01T10:05:00Z' }]);
    expect(await alert('cpu-a')).toMatchObject({ status: 'resolved', count: 5, resolvedAt: '2025-01-01T10:05:00.000Z' });
  });

  it('a firing repeat of an alert that a writer without versions resolved meanwhile fires it again', async () => {
    // An older replica during an upgrade rewrites status and leaves content_version as it was.
    await send(t.inject, t.tokens.responder, [cpu('old')]);
    await t.server.db.query("UPDATE alerts SET status = 'resolved', resolved_at = now() WHERE fingerprint = 'cpu-old'");
    await send(t.inject, t.tokens.responder, [cpu('old')]);
    expect(await alert('cpu-old')).toMatchObject({ status: 'firing', resolvedAt: null, count: 2, incidentId: expect.any(String) });
  });

  it('repeats and links find their rows by key, however small the table was when the plans were made', async () => {
    // Plans in functions are cached per connection. Made on a nearly empty table, a join plan
    // read the whole table for every repeat once it had grown (a 100x slowdown in bench/alerts).
    const session = await t.server.db.session();
    const row = (fingerprint: string) => ({ fingerprint, content_version: 'v', status: 'firing', receive_count: 1, last_seen_at: new Date().toISOString() });
    const work = async () => {
      const [counts] = await session.query<{ n: string }>(
        "SELECT (pg_stat_get_xact_tuples_returned('alerts'::regclass) + pg_stat_get_xact_tuples_fetched('alerts'::regclass))::text AS n",
      );
      return Number(counts!.n);
    };
    try {
      await session.query('BEGIN');
      const insert = (from: number, to: number) =>
        session.query(`INSERT INTO alerts (fingerprint, source, status, labels, annotations, group_key, starts_at, first_seen_at, last_seen_at, content_version)
          SELECT 'plan-' || g, 'generic', 'firing', '{"alertname":"Plan"}', '{}', 'plan', now(), now(), now(), 'v' FROM generate_series(${from}, ${to}) g`);
      await insert(0, 0);
      const [first] = await session.query<{ id: string }>("SELECT id FROM alerts WHERE fingerprint = 'plan-0'");
      // Past the plan cache's five custom plans, so the next calls use the generic one made here.
      for (let i = 0; i < 7; i++) {
        await session.query('SELECT * FROM nexus_alert_repeats($1::jsonb)', [JSON.stringify([row('plan-0')])]);
        await session.query('SELECT nexus_alerts_link_incidents($1::jsonb)', [JSON.stringify([{ id: first!.id, incident: null }])]);
      }
      await insert(1, 5000);
      const ids = await session.query<{ id: string }>("SELECT id FROM alerts WHERE fingerprint IN ('plan-1', 'plan-2', 'plan-3', 'plan-4', 'plan-5')");
      const before = await work();
      const bumped = await session.query('SELECT * FROM nexus_alert_repeats($1::jsonb)', [JSON.stringify(['plan-1', 'plan-2', 'plan-3', 'plan-4', 'plan-5'].map(row))]);
      await session.query('SELECT nexus_alerts_link_incidents($1::jsonb)', [JSON.stringify(ids.map(({ id }) => ({ id, incident: null })))]);
      expect(bumped).toHaveLength(5);
      // A handful of rows read per repeat and per link; a scan would read 5,000 each.
      expect((await work()) - before).toBeLessThan(100);
    } finally {
      await session.query('ROLLBACK');
      await session.release();
    }
  });

  it('a repeat of an alert whose row is gone is written in full again, with the rest of its delivery counted once', async () => {
    await send(t.inject, t.tokens.responder, [cpu('b'), cpu('c')]);
    await t.server.db.query("DELETE FROM alerts WHERE fingerprint = 'cpu-b'");
    await send(t.inject, t.tokens.responder, [cpu('b'), cpu('c')]);
    expect(await alert('cpu-b')).toMatchObject({ count: 1, labels: { alertname: 'NexusHighCPU', instance: 'b' } });
    expect((await row('cpu-c'))?.count).toBe('2');
    // And it is paged again: the incident links the new row.
    expect((await alert('cpu-b')).incidentId).toEqual(expect.any(String));
  });
});

describe('alert repeats on two replicas of one PostgreSQL database', () => {
  let t: TestApp;
  let replica: RunningServer;
  beforeAll(async () => {
    t = await createTestApp('postgres');
    replica = await startServer(t.config, { listen: false, logger: createLogger('silent'), builtinRunbooksDir: null });
  });
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  it("a repeat the other replica has rewritten since is written again in full: content as sent, every delivery counted once", async () => {
    const other: Inject = replica.app.inject.bind(replica.app);
    await send(t.inject, t.tokens.responder, [cpu('r1'), cpu('r2')]);
    await send(other, t.tokens.responder, [cpu('r1', 'changed on the replica')]);
    // This replica still remembers its own write of r1; the row no longer carries it.
    await send(t.inject, t.tokens.responder, [cpu('r1'), cpu('r2')]);
    const [r1, r2] = await Promise.all(
      ['cpu-r1', 'cpu-r2'].map(async (fingerprint) => (await get<{ items: Alert[] }>(t, `/api/v1/alerts?fingerprint=${fingerprint}`)).items[0]!),
    );
    expect(r1).toMatchObject({ count: 3, annotations: { summary: 'NexusHighCPU on r1' } });
    expect(r2).toMatchObject({ count: 2 });

    // From then on its repeats are short again, and still counted.
    await send(t.inject, t.tokens.responder, [cpu('r1'), cpu('r2')]);
    const counts = await t.server.db.query<{ fingerprint: string; count: number }>(
      "SELECT fingerprint, receive_count::int AS count FROM alerts WHERE fingerprint IN ('cpu-r1', 'cpu-r2') ORDER BY 1",
    );
    expect(counts).toEqual([
      { fingerprint: 'cpu-r1', count: 4 },
      { fingerprint: 'cpu-r2', count: 3 },
    ]);
  });

});
