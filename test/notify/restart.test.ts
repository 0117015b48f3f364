import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DELIVER_QUEUE } from '../../src/notify/index.js';
import type { Engine } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testConfig } from '../support/app.js';
import { createPostgresDatabase, ENGINES } from '../support/db.js';
import { startReceiver, waitFor } from './support.js';

/**
 * A NEXUS restart between trigger and delivery: the second server, on the
 * same database, delivers what the first one committed — once.
 */
describe.each(ENGINES)('notifications across a restart on %s', (engine: Engine) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
  });

  /** One database (and data directory) shared by every server this test starts. */
  async function database(): Promise<(env: Record<string, string>) => Promise<RunningServer>> {
    const dataDir = await fs.mkdtemp(`/tmp/nexus-notify-restart-`);
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const base: Record<string, string> = { NEXUS_DATA_DIR: dataDir, NEXUS_NOTIFY_RETRY_DELAY_SECONDS: '1' };
    if (engine === 'postgres') {
      const created = await createPostgresDatabase();
      cleanups.push(created.drop);
      base.DATABASE_URL = created.url;
    }
    const channel = `nexus:test:${randomBytes(6).toString('hex')}`;
    return async (env) => {
      const server = await startServer(await testConfig({ ...base, ...env }), { listen: false, logger: createLogger('silent'), eventsChannel: channel });
      cleanups.push(() => server.close());
      return server;
    };
  }

  const deliveryRow = async (server: RunningServer, id: string) =>
    (await server.db.query<{ state: string; attempts: number }>('SELECT state, attempts FROM notification_deliveries WHERE id = $1', [id]))[0];
  const jobCount = async (server: RunningServer, id: string) =>
    (await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'deliveryId' = $2`, [DELIVER_QUEUE, id]))[0]!.n;

  it('delivers exactly once what was queued before the restart, including a row whose job was never sent', { timeout: 120_000 }, async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const start = await database();

    // First life: accepts notifications but delivers nothing (no workers), then stops.
    const first = await start({ NEXUS_NOTIFY_DELIVERY: 'false' });
    const channel = await first.notify.directory.createChannel({ name: 'hook', kind: 'webhook', url: `${receiver.url}/hook` });
    const notify = (incidentId: string) =>
      first.notify.notify({ key: `incident:${incidentId}:level:0`, incidentId, subject: 'Before restart', text: incidentId, targets: [{ type: 'channel', id: channel.id }] });
    const queued = (await notify(randomUUID())).deliveries[0]!;
    const orphan = (await notify(randomUUID())).deliveries[0]!;
    // The orphan: as if the process had died after committing the row and before sending its job.
    await first.db.query(`DELETE FROM pgboss.job WHERE data->>'deliveryId' = $1`, [orphan.id]);
    await first.db.query(`UPDATE notification_deliveries SET job_id = NULL, created_at = now() - interval '1 minute' WHERE id = $1`, [orphan.id]);
    expect(queued.state).toBe('queued');
    expect(await first.jobs.getJob(DELIVER_QUEUE, (await first.db.query<{ job_id: string }>('SELECT job_id FROM notification_deliveries WHERE id = $1', [queued.id]))[0]!.job_id)).toMatchObject({ state: 'created' });
    await first.close();
    expect(receiver.requests).toEqual([]);

    // Second life on the same database: delivery on.
    const second = await start({});
    await waitFor(async () => (await deliveryRow(second, queued.id))?.state === 'sent' && (await deliveryRow(second, orphan.id))?.state === 'sent', 'both deliveries');
    expect(receiver.requests.map((r) => r.headers['x-nexus-delivery']).sort()).toEqual([queued.id, orphan.id].sort());
    expect(await jobCount(second, queued.id)).toBe(1);
    expect(await jobCount(second, orphan.id)).toBe(1);
    expect(await deliveryRow(second, queued.id)).toEqual({ state: 'sent', attempts: 1 });

    // The same key again after the restart: no new job, nothing sent.
    const again = await second.notify.notify({ key: queued.key, incidentId: queued.incidentId!, subject: 'x', text: 'x', targets: [{ type: 'channel', id: channel.id }] });
    expect(again.deliveries.map((d) => [d.id, d.state])).toEqual([[queued.id, 'sent']]);
    expect(await jobCount(second, queued.id)).toBe(1);
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries a send cut off by shutdown on the next start, with the same X-Nexus-Delivery for the receiver to dedupe', { timeout: 120_000 }, async () => {
    let holdFirst: () => void = () => {};
    const firstArrived = new Promise<void>((resolve) => (holdFirst = resolve));
    // The first request is never answered (NEXUS shuts down meanwhile); later ones are accepted.
    const receiver = await startReceiver((index) => (index === 0 ? (holdFirst(), new Promise<number>(() => {})) : 200));
    cleanups.push(receiver.close);
    const start = await database();

    const first = await start({});
    const channel = await first.notify.directory.createChannel({ name: 'slow', kind: 'webhook', url: `${receiver.url}/slow` });
    const incidentId = randomUUID();
    const delivery = (await first.notify.notify({ key: `incident:${incidentId}:level:0`, incidentId, subject: 'Cut off', text: 't', targets: [{ type: 'channel', id: channel.id }] })).deliveries[0]!;
    await firstArrived;
    await first.close();

    const second = await start({});
    await waitFor(async () => (await deliveryRow(second, delivery.id))?.state === 'sent', 'the retried delivery');
    expect(receiver.requests.map((r) => r.headers['x-nexus-delivery'])).toEqual([delivery.id, delivery.id]);
    expect(await deliveryRow(second, delivery.id)).toEqual({ state: 'sent', attempts: 2 });
    expect(await jobCount(second, delivery.id)).toBe(1);
  });
});
