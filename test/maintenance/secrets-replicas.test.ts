import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ADMIN_PASSWORD, createTestApp, login, testConfig, type TestApp } from '../support/app.js';
import { REDIS_URL } from '../support/env.js';
import { until } from '../runs/support.js';
import { meStatus, rotate } from './secrets-support.js';

/** Issue 18.6: two replicas on one PostgreSQL, the event bus over Redis between them; no restart anywhere. */
describe('rotation across replicas (two apps, one PostgreSQL)', () => {
  let a: TestApp;
  let b: RunningServer;
  let bInject: RunningServer['app']['inject'];

  beforeAll(async () => {
    const eventsChannel = `nexus:test:${randomBytes(6).toString('hex')}`;
    a = await createTestApp('postgres', { env: { REDIS_URL }, start: { eventsChannel } });
    const config = await testConfig({ DATABASE_URL: a.config.databaseUrl, REDIS_URL });
    b = await startServer(config, { listen: false, logger: createLogger('silent'), eventsChannel, builtinRunbooksDir: null });
    bInject = b.app.inject.bind(b.app);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a key rotated on one replica signs sessions the other accepts at once, and a revocation reaches the other', async () => {
    const before = a.tokens.viewer;
    expect(await meStatus({ inject: bInject }, before)).toBe(200);

    expect((await rotate(a, a.tokens.admin, { graceSeconds: 3600 })).status).toBe(200);
    const signedByNewKey = await login(a.inject, 'operator-user', 'operator-password-123');
    // B has never seen this key id: it reads the ring when a token names one it does not know.
    expect(await meStatus({ inject: bInject }, signedByNewKey)).toBe(200);
    expect(await meStatus({ inject: bInject }, before)).toBe(200);

    const adminNow = await login(a.inject, 'admin', ADMIN_PASSWORD);
    // B has just used this session: its principal is cached, which the rotation's event must clear.
    expect(await meStatus({ inject: bInject }, signedByNewKey)).toBe(200);
    const announced = new Promise<void>((resolve) => {
      const off = b.bus.subscribe((event) => {
        if (event.type !== 'secrets.rotated') return;
        off();
        resolve();
      });
    });
    expect((await rotate(a, adminNow, { revokePrevious: true })).status).toBe(200);
    // The rotation's event reaches B over Redis; B reads the ring again and drops its cached sessions.
    await announced;
    await until('B refuses sessions from before the revocation', async () => ((await meStatus({ inject: bInject }, signedByNewKey)) === 401 ? true : undefined));
    expect(await meStatus({ inject: bInject }, before)).toBe(401);
    expect(await meStatus({ inject: bInject }, await login(bInject, 'viewer-user', 'viewer-password-123'))).toBe(200);
  });
});
