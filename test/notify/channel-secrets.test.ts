import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { testConfig } from '../support/app.js';
import { createPostgresDatabase, ENGINES } from '../support/db.js';
import { startReceiver, waitFor } from './support.js';

const KEY_A = 'channel-secrets-key-a-that-is-long-enough-01';
const KEY_B = 'channel-secrets-key-b-that-is-long-enough-02';
const KEY_C = 'channel-secrets-key-c-that-is-long-enough-03';
const SLACK_PATH = '/services/T0NEXUS/B0NEXUS/slack-token-in-the-path-0123';
const HMAC_KEY = 'webhook-hmac-key-never-stored-plain';

/**
 * Channel URLs (Slack's carry the token) and HMAC keys are sealed at rest,
 * still open after a JWT key rotation, and say so when no key opens them.
 */
describe.each(ENGINES)('channel secrets at rest on %s', (engine) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('seals URL and key, survives a key rotation, and skips a channel no key opens', { timeout: 120_000 }, async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const dataDir = await fs.mkdtemp('/tmp/nexus-channel-secrets-');
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const base: Record<string, string> = { NEXUS_DATA_DIR: dataDir };
    if (engine === 'postgres') {
      const created = await createPostgresDatabase();
      cleanups.push(created.drop);
      base.DATABASE_URL = created.url;
    }
    const eventsChannel = `nexus:test:${randomBytes(6).toString('hex')}`;
    const start = async (env: Record<string, string>): Promise<RunningServer> =>
      startServer(await testConfig({ ...base, ...env }), { listen: false, logger: createLogger('silent'), eventsChannel });
    const stored = async (server: RunningServer, id: string) =>
      (await server.db.query<{ url: string | null; secret: string | null }>('SELECT url, secret FROM notify_channels WHERE id = $1', [id]))[0]!;
    const sendTo = async (server: RunningServer, channelId: string) => {
      const result = await server.notify.notify({ key: `test:${randomUUID()}`, subject: 'Sealed', text: 'body', targets: [{ type: 'channel', id: channelId }] });
      return waitFor(async () => {
        const rows = await server.db.query<{ state: string; last_error: string | null }>(
          'SELECT state, last_error FROM notification_deliveries WHERE notification_id = $1',
          [result.notificationId],
        );
        return rows[0] && rows[0].state !== 'queued' ? rows[0] : null;
      }, 'the delivery to settle');
    };

    const first = await start({ JWT_SECRET_KEY: KEY_A });
    const hook = await first.notify.directory.createChannel({ name: 'hook', kind: 'webhook', url: `${receiver.url}${SLACK_PATH}`, secret: HMAC_KEY });
    const row = await stored(first, hook.id);
    expect(row.url).toMatch(/^sealed:v1:/);
    expect(row.secret).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(row)).not.toContain('slack-token');
    expect(JSON.stringify(row)).not.toContain(HMAC_KEY);
    expect(hook).toMatchObject({ url: `${receiver.url}/…`, secretSet: true, unreadable: false });
    expect(await sendTo(first, hook.id)).toMatchObject({ state: 'sent' });
    expect(receiver.requests.at(-1)!.path).toBe(SLACK_PATH);

    // A value written before sealing existed is sealed at the next start.
    const legacy = await first.notify.directory.createChannel({ name: 'legacy', kind: 'webhook', url: `${receiver.url}/legacy` });
    await first.db.query('UPDATE notify_channels SET url = $1 WHERE id = $2', [`${receiver.url}/legacy`, legacy.id]);
    await first.close();

    // Rotation: B is the key now, A the previous one: both channels still deliver.
    const second = await start({ JWT_SECRET_KEY: KEY_B, JWT_SECRET_KEY_PREVIOUS: KEY_A });
    expect((await stored(second, legacy.id)).url).toMatch(/^sealed:v1:/);
    expect(await sendTo(second, hook.id)).toMatchObject({ state: 'sent' });
    expect(await sendTo(second, legacy.id)).toMatchObject({ state: 'sent' });
    expect(receiver.requests.at(-1)!.path).toBe('/legacy');
    await second.close();

    // Neither key any more: the channel says so and its deliveries are skipped with the reason, not sent elsewhere.
    const third = await start({ JWT_SECRET_KEY: KEY_C });
    cleanups.push(() => third.close());
    expect(await third.notify.directory.getChannel(hook.id)).toMatchObject({ unreadable: true, url: null });
    expect(await sendTo(third, hook.id)).toMatchObject({ state: 'skipped', last_error: expect.stringContaining('set it again') });
    // It can still be renamed or disabled without knowing its URL (the stored value stays as it was).
    expect(await third.notify.directory.updateChannel(hook.id, { enabled: false, name: 'hook-unreadable' })).toMatchObject({ enabled: false, unreadable: true });
    await third.notify.directory.updateChannel(hook.id, { enabled: true });
    const fixed = await third.notify.directory.updateChannel(hook.id, { url: `${receiver.url}/again`, secret: HMAC_KEY });
    expect(fixed.unreadable).toBe(false);
    expect(await sendTo(third, hook.id)).toMatchObject({ state: 'sent' });
  });
});
