import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import { createTestApp, TEST_JWT_KEY, type TestApp } from '../support/app.js';
import { type CliResult, cliEnv, runNexus } from '../support/cli.js';
import { createBackup, maxAuditId, printComparison, settledStates, tableStates } from './backup-support.js';

let t: TestApp;

function nexus(args: string[], token: string): Promise<CliResult> {
  return runNexus(args, cliEnv(t, token), 120_000);
}

describe('nexus backup', () => {
  beforeAll(async () => {
    t = await createTestApp('postgres', { start: { listen: true }, env: { NEXUS_BACKUP_MAINTENANCE_SETTLE_MS: '0', NEXUS_NOTIFY_DELIVERY: 'false' } });
  }, 120_000);
  afterAll(async () => t?.close());

  it('create, list, verify and restore, with restore refused without --yes and for an operator', async () => {
    const created = await nexus(['backup', 'create', '--json'], t.tokens.operator);
    expect(created.code, created.stderr).toBe(EXIT.ok);
    const { id } = JSON.parse(created.stdout) as { id: string };
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{8}$/);

    const list = await nexus(['backup', 'list'], t.tokens.viewer);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+\\S+\\s+[\\d.]+ MB\\s+directory\\s+\\S+\\s+never`));

    const verify = await nexus(['backup', 'verify'], t.tokens.operator);
    expect(verify.code, verify.stderr).toBe(EXIT.ok);
    expect(verify.stdout).toMatch(/public\.users\s+4\s+4/);
    expect(verify.stdout).toContain(`Backup ${id}: verified`);

    const noYes = await nexus(['backup', 'restore', id], t.tokens.admin);
    expect(noYes.code).toBe(EXIT.usage);
    expect(noYes.stderr).toContain('run again with --yes');

    const operator = await nexus(['backup', 'restore', id, '--yes'], t.tokens.operator);
    expect(operator.code).toBe(EXIT.unauthorized);

    const restored = await nexus(['backup', 'restore', 'latest', '--yes'], t.tokens.admin);
    expect(restored.code, restored.stderr).toBe(EXIT.ok);
    expect(restored.stdout).toContain(`Backup ${id}: verified`);
    expect(restored.stderr).toContain('NEXUS refuses changes until it is done');
  }, 300_000);

  it('a verification that finds corruption exits 1 and says so', async () => {
    const created = JSON.parse((await nexus(['backup', 'create', '--json'], t.tokens.operator)).stdout) as { id: string };
    const fs = await import('node:fs/promises');
    const file = path.join(t.config.dataDir, 'backups', 'database', `${created.id}.dump`);
    await fs.appendFile(file, 'x');
    const verify = await nexus(['backup', 'verify', created.id], t.tokens.operator);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`Backup ${created.id}: CORRUPT: checksum mismatch`);
  }, 300_000);
});

describe('nexus backup restore --offline', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('postgres', { start: { listen: true }, env: { NEXUS_BACKUP_MAINTENANCE_SETTLE_MS: '0', NEXUS_NOTIFY_DELIVERY: 'false' } });
  }, 120_000);
  afterAll(async () => app?.close());

  it('brings every row back into a destroyed database with no server to sign in to, and says what it does', async () => {
    const before = await settledStates(app.server.db);
    const auditBefore = await maxAuditId(app.server.db);
    const created = await createBackup(app);
    // The database is lost: nobody can sign in, so only a restore from this process can help.
    await app.server.db.exec('DROP SCHEMA public CASCADE; DROP SCHEMA drizzle CASCADE; CREATE SCHEMA public;');
    const env = {
      ...process.env,
      NO_COLOR: '1',
      DATABASE_URL: app.config.databaseUrl,
      NEXUS_DATA_DIR: app.config.dataDir,
      JWT_SECRET_KEY: TEST_JWT_KEY,
      NEXUS_BACKUP_MAINTENANCE_SETTLE_MS: '0',
      LOG_LEVEL: 'silent',
      NEXUS_TOKEN: '',
    };
    const refused = await runNexus(['backup', 'restore', 'latest', '--offline'], env, 240_000);
    expect(refused.code).toBe(EXIT.usage);
    const restored = await runNexus(['backup', 'restore', 'latest', '--offline', '--yes'], env, 240_000);
    expect(restored.code, restored.stderr).toBe(EXIT.ok);
    expect(restored.stderr).toContain('keep every NEXUS on it stopped');
    expect(restored.stderr).toContain('restoring into a scratch database');
    expect(restored.stdout).toContain(`Backup ${created.id}: verified`);
    const after = await tableStates(app.server.db, auditBefore);
    printComparison('offline restore after DROP SCHEMA on postgres', before, after);
    expect(after).toEqual(before);
  }, 300_000);
});
