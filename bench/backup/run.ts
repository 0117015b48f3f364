/**
 * bench/backup: backup, verify and restore of a NEXUS database holding one
 * million alert rows on PostgreSQL, beside raw `pg_dump -Fc` / `pg_restore`
 * of the same database in the same run. Reports; asserts nothing.
 *
 *   npm run bench -- backup        (BENCH_BACKUP_ROWS to change the row count)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase, runMigrations } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { MaintenanceMode } from '../../src/platform/maintenance-mode/index.js';
import { postgresEngine, findPgTool } from '../../src/maintenance/backups/postgres-engine.js';
import { BackupService } from '../../src/maintenance/backups/service.js';
import { BackupStore } from '../../src/maintenance/backups/store.js';
import { directoryTarget } from '../../src/maintenance/backups/targets.js';

const ADMIN_URL = process.env.NEXUS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROWS = Number(process.env.BENCH_BACKUP_ROWS ?? 1_000_000);
const logger = createLogger('warn');
const urlOf = (name: string) => ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function tool(name: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(findPgTool(name), args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}`))));
  });
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const source = `nexus_bench_backup_${suffix}`;
const rawTarget = `nexus_bench_raw_${suffix}`;
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-backup-'));
try {
  await admin(`CREATE DATABASE ${source}`);
  const db = await openDatabase({ databaseUrl: urlOf(source), logger });
  await runMigrations(db, logger);
  console.log(`filling ${ROWS.toLocaleString('en')} alert rows…`);
  const fill = await timed(() =>
    db.query(
      `INSERT INTO alerts (fingerprint, source, status, labels, annotations, group_key, severity, starts_at, first_seen_at, last_seen_at, receive_count)
       SELECT 'fp-' || g, 'alertmanager', CASE WHEN g % 10 = 0 THEN 'firing' ELSE 'resolved' END,
              jsonb_build_object('alertname', 'Bench' || (g % 50), 'instance', 'host-' || (g % 997) || ':9100', 'job', 'node'),
              jsonb_build_object('summary', 'Benchmark alert number ' || g), 'group-' || (g % 1000), 'P2',
              now() - (g || ' seconds')::interval, now() - (g || ' seconds')::interval, now(), 1 + g % 3
         FROM generate_series(1, $1) g`,
      [ROWS],
    ),
  );
  await db.exec('VACUUM ANALYZE alerts');
  const [{ size }] = (await db.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size')) as [{ size: string }];
  console.log(`filled in ${fill.seconds.toFixed(1)} s; database ${(Number(size) / 1e6).toFixed(0)} MB`);

  // Raw: what an operator would type, on the same database; once before NEXUS and once after,
  // and the faster of the two counts (the first run pays for a cold cache, which NEXUS would not).
  const rawFile = path.join(work, 'raw.dump');
  const raw = async () => {
    const dump = await timed(() => tool('pg_dump', ['--format=custom', `--dbname=${urlOf(source)}`, `--file=${rawFile}`]));
    await admin(`CREATE DATABASE ${rawTarget}`);
    const restored = await timed(() => tool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${urlOf(rawTarget)}`, rawFile]));
    await admin(`DROP DATABASE ${rawTarget} WITH (FORCE)`);
    return { dump: dump.seconds, restore: restored.seconds };
  };
  const rawFirst = await raw();
  const rawBytes = (await fs.stat(rawFile)).size;

  const config = loadConfig({ NEXUS_DATA_DIR: work, DATABASE_URL: urlOf(source), NEXUS_BACKUP_MAINTENANCE_SETTLE_MS: '0' }).backups;
  const maintenance = new MaintenanceMode(db, logger);
  const service = new BackupService({
    db,
    engine: postgresEngine(urlOf(source)),
    target: directoryTarget(path.join(work, 'target'), ''),
    store: new BackupStore(db),
    maintenance,
    config,
    workDir: path.join(work, 'tmp'),
    clock: () => new Date(),
    logger,
    version: 'bench',
  });
  const create = await timed(() => service.create('bench'));
  const verify = await timed(() => service.verify(create.value.id));
  if (!verify.value.ok) throw new Error(`verification failed: ${verify.value.problems.join('; ')}`);
  const restore = await timed(() => service.restore(create.value.id, 'bench'));
  const rawSecond = await raw();
  await db.close();
  const rawDump = { seconds: Math.min(rawFirst.dump, rawSecond.dump) };
  const rawRestore = { seconds: Math.min(rawFirst.restore, rawSecond.restore) };
  console.log(`raw runs: pg_dump ${rawFirst.dump.toFixed(2)} s then ${rawSecond.dump.toFixed(2)} s; pg_restore ${rawFirst.restore.toFixed(2)} s then ${rawSecond.restore.toFixed(2)} s`);

  const mb = (bytes: number) => bytes / 1e6;
  const bytes = create.value.sizeBytes;
  const restoreLive = restore.value.restoreSeconds ?? Number.NaN;
  const rows: Array<[string, number, number, number | null]> = [
    ['backup (NEXUS: snapshot, counts, pg_dump, SHA-256, manifest, copy to target)', create.seconds, bytes, rawDump.seconds],
    ['verify (NEXUS: download, SHA-256, pg_restore into scratch, compare counts)', verify.seconds, bytes, rawRestore.seconds],
    ['restore, live part (NEXUS: pg_restore --clean over the live database)', restoreLive, bytes, rawRestore.seconds],
    ['restore, whole (NEXUS: verify first, maintenance mode, live restore, live check)', restore.seconds, bytes, rawRestore.seconds],
  ];
  console.log(`\nrows: ${ROWS.toLocaleString('en')} alerts; dump ${mb(bytes).toFixed(1)} MB (raw pg_dump ${mb(rawBytes).toFixed(1)} MB)`);
  console.log(`raw pg_dump -Fc: ${rawDump.seconds.toFixed(2)} s (${(mb(rawBytes) / rawDump.seconds).toFixed(1)} MB/s); raw pg_restore: ${rawRestore.seconds.toFixed(2)} s (${(mb(rawBytes) / rawRestore.seconds).toFixed(1)} MB/s)\n`);
  console.log('| operation | seconds | MB/s | raw seconds | × raw |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, seconds, size, raw] of rows) {
    console.log(`| ${name} | ${seconds.toFixed(2)} | ${(mb(size) / seconds).toFixed(1)} | ${raw === null ? '-' : raw.toFixed(2)} | ${raw === null ? '-' : (seconds / raw).toFixed(2)} |`);
  }
} finally {
  await admin(`DROP DATABASE IF EXISTS ${source} WITH (FORCE)`).catch(() => {});
  await admin(`DROP DATABASE IF EXISTS ${rawTarget} WITH (FORCE)`).catch(() => {});
  await fs.rm(work, { recursive: true, force: true });
}
