import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ENGINES } from '../support/db.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { createBackup, maxAuditId, printComparison, seedData, settledStates, tableStates } from './backup-support.js';

describe.each(ENGINES)('backup and restore on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_BACKUP_MAINTENANCE_SETTLE_MS: '0', NEXUS_NOTIFY_DELIVERY: 'false' } });
    await seedData(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('destroying the data and restoring through the API brings every row back, while writes are refused with 503', async () => {
    const before = await settledStates(t.server.db);
    const auditBefore = await maxAuditId(t.server.db);
    const backup = await createBackup(t);
    expect(backup.rowCounts['public.incidents']).toBe(before['public.incidents']!.rows);
    expect(before['public.incidents']!.rows).toBeGreaterThanOrEqual(4);

    // The data goes: every incident, alert and runbook, and an extra row that was not there.
    await t.server.db.exec('TRUNCATE incidents, alerts, runbooks CASCADE');
    const wrecked = await tableStates(t.server.db);
    expect(wrecked['public.incidents']!.rows).toBe(0);

    const restoring = t.inject({ method: 'POST', url: `/api/v1/backups/${backup.id}/restore`, headers: bearer(t.tokens.admin), payload: { confirm: backup.id } });
    // A write while the restore runs: the switch is on before the restore writes anything, so some probe sees it.
    let refused: { statusCode: number; body: string } | undefined;
    for (let attempt = 0; attempt < 2000 && !refused; attempt++) {
      const probe = await t.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(t.tokens.responder), payload: {} });
      if (probe.statusCode === 503) refused = probe;
      else if (probe.statusCode !== 400) throw new Error(`unexpected ${probe.statusCode} ${probe.body}`);
      else await new Promise((r) => setTimeout(r, 5));
    }
    const res = await restoring;
    expect(res.statusCode, res.body).toBe(200);
    expect(refused?.statusCode).toBe(503);
    expect(json<{ error: { code: string; message: string } }>(refused as never).error.code).toBe('maintenance');
    expect(json<{ error: { message: string } }>(refused as never).error.message).toMatch(/maintenance mode \(restore of backup .*\): changes are refused/);

    const after = await tableStates(t.server.db, auditBefore);
    printComparison(`restore through the API on ${engine}`, before, after);
    expect(after).toEqual(before);
    // Maintenance is over: writes go through again.
    const write = await t.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(t.tokens.responder), payload: { title: 'after restore', severity: 'P3', service: 'db' } });
    expect(write.statusCode, write.body).toBe(201);
    const health = json<{ checks: { maintenance: { status: string } } }>(await t.inject({ method: 'GET', url: '/api/health' }));
    expect(health.checks.maintenance.status).toBe('up');
  }, 180_000);

  it('after the database itself is destroyed, migrating an empty one and restoring the latest backup brings every row back', async () => {
    const before = await settledStates(t.server.db);
    const auditBefore = await maxAuditId(t.server.db);
    await createBackup(t);
    // Every schema NEXUS keeps is dropped: nothing of NEXUS's data is left in the database.
    await t.server.db.exec('DROP SCHEMA public CASCADE; DROP SCHEMA drizzle CASCADE; CREATE SCHEMA public;');
    const [left] = await t.server.db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname IN ('public', 'drizzle')`);
    expect(Number(left!.n)).toBe(0);
    // What `nexus backup restore --offline` does: a migrated, empty database, then the restore.
    await runMigrations(t.server.db, createLogger('silent'));
    const report = await t.server.maintenance.backups.restore('latest', 'test');
    expect(report.ok).toBe(true);
    const after = await tableStates(t.server.db, auditBefore);
    printComparison(`restore after DROP SCHEMA on ${engine}`, before, after);
    expect(after).toEqual(before);
    // The users came back with their passwords: signing in works.
    const login = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'kept-user', password: 'kept-user-password-1' } });
    expect(login.statusCode).toBe(200);
  }, 180_000);

  it('refuses a restore by an operator, without confirmation, or with another id', async () => {
    const backup = await createBackup(t);
    const operator = await t.inject({ method: 'POST', url: `/api/v1/backups/${backup.id}/restore`, headers: bearer(t.tokens.operator), payload: { confirm: backup.id } });
    expect(operator.statusCode).toBe(403);
    const none = await t.inject({ method: 'POST', url: `/api/v1/backups/${backup.id}/restore`, headers: bearer(t.tokens.admin), payload: {} });
    expect(none.statusCode).toBe(400);
    const other = await t.inject({ method: 'POST', url: `/api/v1/backups/${backup.id}/restore`, headers: bearer(t.tokens.admin), payload: { confirm: 'latest' } });
    expect(other.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(other).error.message).toContain(`{"confirm": "${backup.id}"}`);
    const audit = json<{ items: Array<{ action: string; outcome: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/audit?action=backup.restore', headers: bearer(t.tokens.admin) }));
    expect(audit.items.filter((e) => e.action === 'backup.restore').length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
