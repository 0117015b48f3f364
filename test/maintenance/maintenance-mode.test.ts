import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { bearer, createTestApp, json, testConfig, type TestApp } from '../support/app.js';
import { createBackup } from './backup-support.js';

/** Polls (bounded) until `check` holds: replicas see the shared switch within their poll interval. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never: ${what}`);
}

describe('maintenance mode after a failed restore (PostgreSQL, two replicas)', () => {
  let t: TestApp;
  let replica: RunningServer;
  beforeAll(async () => {
    t = await createTestApp('postgres', { env: { NEXUS_BACKUP_MAINTENANCE_SETTLE_MS: '0', NEXUS_NOTIFY_DELIVERY: 'false' } });
    const config = await testConfig({ DATABASE_URL: t.config.databaseUrl });
    replica = await startServer(config, { listen: false, logger: createLogger('silent'), eventsChannel: `nexus:test:replica-${Date.now()}` });
  }, 120_000);
  afterAll(async () => {
    await replica?.close();
    await t?.close();
  });

  it('a restore that fails part-way leaves every replica refusing changes, health saying why, until an admin ends it', async () => {
    const backup = await createBackup(t);
    // Something the backup does not know depends on a table it replaces: pg_restore --clean cannot drop it.
    await t.server.db.exec('CREATE SCHEMA reports; CREATE VIEW reports.open_incidents AS SELECT id FROM public.incidents');
    const res = await t.inject({ method: 'POST', url: `/api/v1/backups/${backup.id}/restore`, headers: bearer(t.tokens.admin), payload: { confirm: backup.id } });
    expect(res.statusCode).toBe(500);
    expect(json<{ error: { code: string } }>(res).error.code).toBe('restore_failed');

    const write = { method: 'POST' as const, url: '/api/v1/incidents', payload: { title: 'during maintenance', severity: 'P3', service: 'db' } };
    const here = await t.inject({ ...write, headers: bearer(t.tokens.responder) });
    expect(here.statusCode).toBe(503);
    expect(json<{ error: { code: string; message: string } }>(here).error).toMatchObject({ code: 'maintenance' });
    expect(json<{ error: { message: string } }>(here).error.message).toContain('after a failed restore of backup');
    // The other replica learns it from the shared row.
    await eventually(async () => (await replica.app.inject({ ...write, headers: bearer(t.tokens.responder) })).statusCode === 503, 'the replica refuses writes');
    // Reading still works, and health says why it is degraded.
    expect((await t.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(t.tokens.viewer) })).statusCode).toBe(200);
    const health = json<{ status: string; failing: string[]; checks: { maintenance: { status: string; detail: string } } }>(await replica.app.inject({ method: 'GET', url: '/api/health' }));
    expect(health.status).toBe('degraded');
    expect(health.failing).toContain('maintenance');
    expect(health.checks.maintenance.detail).toMatch(/maintenance mode after a failure, changes refused until an admin ends it: restore of backup .* failed/);
    // The database is as it was: the restore's transaction rolled back.
    const [view] = await t.server.db.query<{ present: boolean }>("SELECT to_regclass('reports.open_incidents') IS NOT NULL AS present");
    expect(view!.present).toBe(true);

    expect((await t.inject({ method: 'DELETE', url: '/api/v1/maintenance-mode', headers: bearer(t.tokens.operator) })).statusCode).toBe(403);
    const ended = await t.inject({ method: 'DELETE', url: '/api/v1/maintenance-mode', headers: bearer(t.tokens.admin) });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(json<{ active: boolean }>(ended).active).toBe(false);
    expect((await t.inject({ ...write, headers: bearer(t.tokens.responder) })).statusCode).toBe(201);
    await eventually(async () => (await replica.app.inject({ ...write, headers: bearer(t.tokens.responder) })).statusCode === 201, 'the replica accepts writes again');
  }, 240_000);
});
