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

  it('the repeat lookup stays an index scan however the table was sized when the plan was made', async () => {
    // The function's own settings (migration 0009) rule out the sequential scan a cached plan
    // made on a small, never-analysed table would otherwise keep.
    const [plan] = await t.server.db.query<{ settings: string[] }>(
      "SELECT proconfig AS settings FROM pg_proc WHERE proname = 'nexus_alert_repeats'",
    );
    expect(plan!.settings).toEqual(expect.arrayContaining(['enable_seqscan=off', 'enable_hashjoin=off']));
  });
});
