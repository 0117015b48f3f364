import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPostgresDatabase } from '../support/db.js';
import { eventually, startCuttableProxy, type CuttableProxy } from '../support/proxy.js';

interface Readiness {
  status: string;
  failing: string[];
  checks: Record<string, { status: string; detail?: string }>;
}

describe('health when dependencies fail and come back', () => {
  let t: TestApp;
  let pgProxy: CuttableProxy;
  let redisProxy: CuttableProxy;
  let dropDb: () => Promise<void>;

  const readiness = async () => {
    const res = await t.inject({ method: 'GET', url: '/api/health' });
    return { status: res.statusCode, body: res.json() as Readiness };
  };

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    dropDb = created.drop;
    const url = new URL(created.url);
    pgProxy = await startCuttableProxy('127.0.0.1', Number(url.port || 5432));
    redisProxy = await startCuttableProxy('127.0.0.1', 6379);
    url.port = String(pgProxy.port);
    t = await createTestApp('pglite', {
      // A Slack URL lets the default channel deliver, so notify is up and only the parts cut here fail.
      env: { DATABASE_URL: url.toString(), REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, NEXUS_SLACK_WEBHOOK_URL: 'https://hooks.slack.test/services/T0/B0/x' },
    });
  });
  afterAll(async () => {
    await pgProxy?.restore().catch(() => {});
    await redisProxy?.restore().catch(() => {});
    await t?.close();
    await pgProxy?.close();
    await redisProxy?.close();
    await dropDb?.();
  });

  it('is ok with every part up', async () => {
    const { status, body } = await readiness();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', failing: [], checks: { database: { status: 'up' }, redis: { status: 'up' }, queue: { status: 'up' }, notify: { status: 'up' } } });
    expect(t.server.db.engine).toBe('postgres');
  });

  it('Redis down: 200 degraded naming redis, requests still served, then recovers by itself', async () => {
    await redisProxy.cut();
    const down = await eventually(readiness, (r) => r.body.status === 'degraded');
    expect(down.status).toBe(200);
    expect(down.body.failing).toEqual(['redis']);
    expect(down.body.checks.redis!.status).toBe('down');
    const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    expect(me.statusCode).toBe(200);

    await redisProxy.restore();
    const back = await eventually(readiness, (r) => r.body.status === 'ok');
    expect(back.status).toBe(200);
    expect(back.body.failing).toEqual([]);
  });

  it('database down: 503 naming the database while liveness stays 200, then recovers by itself', async () => {
    await pgProxy.cut();
    const down = await eventually(readiness, (r) => r.status === 503);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.failing).toContain('database');
    expect(down.body.checks.database!.status).toBe('down');
    expect((await t.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    // A request that needs the database fails cleanly, in the standard shape.
    const me = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    expect(me.statusCode).toBeGreaterThanOrEqual(500);
    expect(me.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });

    await pgProxy.restore();
    const back = await eventually(readiness, (r) => r.status === 200 && r.body.status === 'ok', 30_000);
    expect(back.body).toMatchObject({ status: 'ok', failing: [] });
    const after = await t.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    expect(after.statusCode).toBe(200);
  });
});
