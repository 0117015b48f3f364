import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/db.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { backupDir, createBackup, dumpFile, seedData } from './backup-support.js';

interface Report {
  id: string;
  ok: boolean;
  outcome: string;
  problems: string[];
  checks: { checksum: boolean; rowCounts: boolean | null; schema: boolean | null };
  tables: Array<{ table: string; expected: number; restored: number | null }>;
}

describe.each(ENGINES)('backup verification on %s', (engine) => {
  let t: TestApp;
  const verify = async (id: string) => t.inject({ method: 'POST', url: `/api/v1/backups/${id}/verify`, headers: bearer(t.tokens.operator) });
  const manifestFile = (id: string) => path.join(backupDir(t), 'backups', `${id}.json`);

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_NOTIFY_DELIVERY: 'false' } });
    await seedData(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('a good backup verifies: checksum, every table restored with the manifest counts, schema current; the list shows when', async () => {
    const backup = await createBackup(t);
    const res = await verify(backup.id);
    expect(res.statusCode, res.body).toBe(200);
    const report = json<Report>(res);
    expect(report).toMatchObject({ id: backup.id, ok: true, outcome: 'verified', problems: [], checks: { checksum: true, rowCounts: true, schema: true } });
    expect(report.tables.find((r) => r.table === 'public.incidents')).toEqual({ table: 'public.incidents', expected: backup.rowCounts['public.incidents'], restored: backup.rowCounts['public.incidents'] });
    const list = json<{ items: Array<{ id: string; verifyOk: boolean; verifiedAt: string | null; sizeBytes: number }> }>(await t.inject({ method: 'GET', url: '/api/v1/backups', headers: bearer(t.tokens.viewer) }));
    expect(list.items[0]).toMatchObject({ id: backup.id, verifyOk: true, sizeBytes: backup.sizeBytes });
    expect(list.items[0]!.verifiedAt).not.toBeNull();
  }, 120_000);

  it('a flipped byte is reported as corrupt, and a restore of it is refused before maintenance mode or any change', async () => {
    const backup = await createBackup(t);
    const file = await dumpFile(t, backup.id);
    const bytes = await fs.readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await fs.writeFile(file, bytes);
    const report = json<Report>(await verify(backup.id));
    expect(report).toMatchObject({ ok: false, outcome: 'corrupt', checks: { checksum: false, rowCounts: null, schema: null } });
    expect(report.problems[0]).toContain('checksum mismatch');
    const restore = await t.inject({ method: 'POST', url: `/api/v1/backups/${backup.id}/restore`, headers: bearer(t.tokens.admin), payload: { confirm: backup.id } });
    expect(restore.statusCode).toBe(422);
    expect(json<{ error: { code: string } }>(restore).error.code).toBe('corrupt_backup');
    const mode = json<{ active: boolean }>(await t.inject({ method: 'GET', url: '/api/v1/maintenance-mode', headers: bearer(t.tokens.viewer) }));
    expect(mode.active).toBe(false);
  }, 120_000);

  it('a truncated dump is reported as corrupt', async () => {
    const backup = await createBackup(t);
    const file = await dumpFile(t, backup.id);
    await fs.truncate(file, Math.floor(backup.sizeBytes / 2));
    const report = json<Report>(await verify(backup.id));
    expect(report).toMatchObject({ ok: false, outcome: 'corrupt' });
    expect(report.problems[0]).toMatch(/checksum mismatch: \d+ bytes instead of \d+/);
  }, 120_000);

  it('a manifest that lies about row counts fails verification with the table named', async () => {
    const backup = await createBackup(t);
    const manifest = JSON.parse(await fs.readFile(manifestFile(backup.id), 'utf8')) as { rowCounts: Record<string, number> };
    manifest.rowCounts['public.incidents']! += 5;
    await fs.writeFile(manifestFile(backup.id), JSON.stringify(manifest));
    const report = json<Report>(await verify(backup.id));
    expect(report).toMatchObject({ ok: false, outcome: 'mismatch', checks: { checksum: true, rowCounts: false } });
    expect(report.problems).toContain(`table public.incidents: ${backup.rowCounts['public.incidents']} rows restored, manifest says ${backup.rowCounts['public.incidents']! + 5}`);
  }, 120_000);

  it('a dump replaced together with its manifest (size and SHA-256 rewritten to match) is caught by the catalog', async () => {
    const backup = await createBackup(t);
    const file = await dumpFile(t, backup.id);
    await fs.appendFile(file, Buffer.from('tampered'));
    const manifest = JSON.parse(await fs.readFile(manifestFile(backup.id), 'utf8')) as { sha256: string; sizeBytes: number };
    const { createHash } = await import('node:crypto');
    const bytes = await fs.readFile(file);
    manifest.sha256 = createHash('sha256').update(bytes).digest('hex');
    manifest.sizeBytes = bytes.length;
    await fs.writeFile(manifestFile(backup.id), JSON.stringify(manifest));
    const report = json<Report>(await verify(backup.id));
    expect(report).toMatchObject({ ok: false, outcome: 'corrupt' });
    expect(report.problems[0]).toContain('disagrees with the checksum recorded when it was made');
  }, 120_000);

  it('hostile ids are refused with a 400 naming the problem, never reaching the target', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '20261207T214416Z-1a2b3c4d%2F..%2F..%2Fx', '%2Fetc%2Fpasswd', 'latest%00']) {
      const res = await t.inject({ method: 'POST', url: `/api/v1/backups/${id}/verify`, headers: bearer(t.tokens.operator) });
      expect(res.statusCode, id).toBe(400);
      // Either the platform's check (control characters in a parameter) or the backup id pattern names it.
      expect(json<{ error: { message: string } }>(res).error.message).toMatch(/Not a backup id|params\/id must not contain/);
    }
    const unknown = await t.inject({ method: 'GET', url: '/api/v1/backups/20201207T214416Z-1a2b3c4d', headers: bearer(t.tokens.viewer) });
    expect(unknown.statusCode).toBe(404);
  });

  it('the drill task restores the latest backup into a scratch database and exports the time and the last verification as metrics', async () => {
    await createBackup(t);
    const drill = t.server.maintenance.tasks.get('backup.drill')!;
    const steps: string[] = [];
    const result = await drill.run({ signal: new AbortController().signal, progress: (_f, message) => steps.push(message), logger: t.server.app.log as never, actor: 'scheduler' });
    expect(result.ok, result.summary).toBe(true);
    expect(steps).toContain('restoring into a scratch database');
    const metrics = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    const drillSeconds = Number(/^nexus_restore_drill_duration_seconds\{[^}]*\} (\S+)$/m.exec(metrics)?.[1]);
    const verified = Number(/^nexus_backup_last_verified_timestamp_seconds\{[^}]*\} (\S+)$/m.exec(metrics)?.[1]);
    expect(drillSeconds).toBe(result.details!.restoreSeconds);
    const [row] = await t.server.db.query<{ at: Date }>('SELECT max(verified_at) AS at FROM backups WHERE verify_ok');
    expect(verified).toBe(new Date(row!.at).getTime() / 1000);
  }, 120_000);
});
