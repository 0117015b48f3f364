import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BackupsConfig } from '../../platform/config.js';
import type { Clock } from '../../platform/clock.js';
import { runMigrations, type Database } from '../../platform/db/index.js';
import { AppError, InputError, NotFoundError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { MaintenanceMode } from '../../platform/maintenance-mode/index.js';
import type { BackupEngine } from './engine.js';
import { CorruptBackupError } from './errors.js';
import { hashFile } from './files.js';
import { appliedSchemaVersion, currentSchemaVersion, rowCounts, schemaVersionIndex, type Sql } from './inventory.js';
import { parseManifest, type Manifest } from './manifest.js';
import { keptOperationalRows, type BackupRow, type BackupStore } from './store.js';
import type { BackupTarget } from './targets.js';
import { keepByRetention } from './retention.js';

/** `20261207T214416Z-1a2b3c4d`: sorts by time (the seed's `ls | sort | tail -1`), and nothing else fits. */
export const BACKUP_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

export type Progress = (fraction: number | null, message: string) => void;
const noProgress: Progress = () => {};

export interface VerifyReport {
  id: string;
  ok: boolean;
  /** `corrupt` when the bytes do not match the recorded checksum (nothing was restored then). */
  outcome: 'verified' | 'corrupt' | 'mismatch' | 'failed';
  problems: string[];
  checks: { checksum: boolean; rowCounts: boolean | null; schema: boolean | null };
  tables: Array<{ table: string; expected: number; restored: number | null }>;
  schemaVersion: string | null;
  restoreSeconds: number | null;
  verifiedAt: string;
}


export interface BackupServiceDeps {
  db: Database;
  engine: BackupEngine;
  target: BackupTarget;
  store: BackupStore;
  maintenance: MaintenanceMode;
  config: BackupsConfig;
  /** Where dumps are spooled on their way to and from the target. */
  workDir: string;
  clock: Clock;
  logger: Logger;
  version: string;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function throttled(progress: Progress, label: string, total: number | null): (bytes: number) => void {
  let last = 0;
  return (bytes) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    progress(total ? Math.min(1, bytes / total) : null, `${label} ${mb(bytes)}${total ? ` of ${mb(total)}` : ''}`);
  };
}

function catalogRow(manifest: Manifest, target: BackupTarget, createdBy: string): BackupRow {
  return {
    id: manifest.id,
    target: target.kind,
    location: target.location,
    engine: manifest.engine,
    format: manifest.format,
    createdAt: new Date(manifest.createdAt),
    sizeBytes: manifest.sizeBytes,
    sha256: manifest.sha256,
    schemaVersion: manifest.schemaVersion,
    rowCounts: manifest.rowCounts,
    createdBy,
    verifiedAt: null,
    verifyOk: null,
    verifyMessage: null,
    drilledAt: null,
    drillSeconds: null,
  };
}

export class BackupService {
  constructor(private readonly deps: BackupServiceDeps) {}

  private manifestKey(id: string): string {
    return `backups/${id}.json`;
  }

  private dumpKey(id: string): string {
    return `database/${id}.${this.deps.engine.extension}`;
  }

  private async scratchDir(): Promise<string> {
    await fsp.mkdir(this.deps.workDir, { recursive: true, mode: 0o700 });
    return fsp.mkdtemp(path.join(this.deps.workDir, 'work-'));
  }

  private newId(at: Date): string {
    return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(4).toString('hex')}`;
  }

  async list(): Promise<BackupRow[]> {
    return this.deps.store.list();
  }

  async get(id: string): Promise<BackupRow> {
    const row = await this.deps.store.get(this.checkId(id));
    if (!row) throw new NotFoundError('backup', id);
    return row;
  }

  private checkId(id: string): string {
    if (!BACKUP_ID.test(id)) throw new InputError(`Not a backup id: ${JSON.stringify(id.slice(0, 80))} (expected e.g. 20261207T214416Z-1a2b3c4d, or "latest")`);
    return id;
  }

  /** `latest` is the newest backup in the catalog, or else the newest manifest in the target (a fresh database after a disaster has no catalog). */
  async resolve(idOrLatest: string): Promise<string> {
    if (idOrLatest !== 'latest') return this.checkId(idOrLatest);
    const [newest] = await this.deps.store.list(1).catch(() => []);
    if (newest) return newest.id;
    const ids = (await this.deps.target.list('backups'))
      .map((key) => key.slice('backups/'.length).replace(/\.json$/, ''))
      .filter((id) => BACKUP_ID.test(id))
      .sort();
    const last = ids.at(-1);
    if (!last) throw new NotFoundError('backup', 'latest');
    return last;
  }

  async create(actor: string, progress: Progress = noProgress, signal: AbortSignal = new AbortController().signal): Promise<Manifest> {
    const createdAt = this.deps.clock();
    const id = this.newId(createdAt);
    const dir = await this.scratchDir();
    try {
      const file = path.join(dir, `dump.${this.deps.engine.extension}`);
      progress(null, 'dumping');
      const dumped = await this.deps.engine.dump(file, signal, throttled(progress, 'dumped', null));
      const manifest: Manifest = {
        id,
        createdAt: createdAt.toISOString(),
        nexusVersion: this.deps.version,
        engine: this.deps.engine.engine,
        format: this.deps.engine.format,
        database: this.dumpKey(id),
        sizeBytes: dumped.sizeBytes,
        sha256: dumped.sha256,
        schemaVersion: dumped.schemaVersion,
        rowCounts: dumped.rowCounts,
      };
      progress(null, `uploading ${mb(dumped.sizeBytes)} to ${this.deps.target.location}`);
      await this.deps.target.putFile(this.dumpKey(id), file, dumped.sizeBytes);
      // The manifest last: a backup without one is incomplete and never listed as a backup.
      await this.deps.target.putText(this.manifestKey(id), `${JSON.stringify(manifest, null, 2)}\n`);
      await this.deps.store.insert(catalogRow(manifest, this.deps.target, actor));
      progress(1, `backup ${id}: ${mb(manifest.sizeBytes)}`);
      this.deps.logger.info({ backup: id, sizeBytes: manifest.sizeBytes, target: this.deps.target.kind }, 'backup created');
      return manifest;
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  private async manifest(id: string): Promise<Manifest> {
    const text = await this.deps.target.getText(this.manifestKey(id)).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new NotFoundError('backup', id);
      throw error;
    });
    return parseManifest(text, id, this.deps.engine);
  }

  /**
   * Downloads the dump and checks it against the manifest and, when this
   * NEXUS made it, its own record (a manifest rewritten to match a tampered
   * dump still disagrees with the catalog). Throws CorruptBackupError.
   */
  private async download(id: string, dir: string, progress: Progress): Promise<{ manifest: Manifest; file: string }> {
    const manifest = await this.manifest(id);
    const file = path.join(dir, `dump.${this.deps.engine.extension}`);
    progress(null, `downloading ${mb(manifest.sizeBytes)}`);
    await this.deps.target.download(manifest.database, file).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new CorruptBackupError(id, 'its dump is missing from the target');
      throw error;
    });
    const actual = await hashFile(file);
    const recorded = await this.deps.store.get(id);
    if (recorded && (recorded.sha256 !== manifest.sha256 || recorded.sizeBytes !== manifest.sizeBytes)) {
      throw new CorruptBackupError(id, 'its manifest disagrees with the checksum recorded when it was made');
    }
    if (actual.sizeBytes !== manifest.sizeBytes) throw new CorruptBackupError(id, `checksum mismatch: ${actual.sizeBytes} bytes instead of ${manifest.sizeBytes} (truncated or altered)`);
    if (actual.sha256 !== manifest.sha256) throw new CorruptBackupError(id, 'checksum mismatch: the SHA-256 of the dump differs from the manifest');
    // A database rebuilt after a disaster starts with an empty catalog: it learns the backups it verifies.
    if (!recorded) await this.deps.store.insert(catalogRow(manifest, this.deps.target, 'manifest')).catch(() => {});
    return { manifest, file };
  }

  /** Compares a restored database with the manifest; `growing` tables may have gained rows (see restore). */
  private async compare(sql: Sql, manifest: Manifest, growing: string[] = []): Promise<Pick<VerifyReport, 'checks' | 'tables' | 'problems' | 'schemaVersion'>> {
    const problems: string[] = [];
    const restored = await rowCounts(sql);
    const names = [...new Set([...Object.keys(manifest.rowCounts), ...Object.keys(restored)])].sort();
    const tables = names.map((table) => ({ table, expected: manifest.rowCounts[table] ?? 0, restored: restored[table] ?? null }));
    for (const t of tables) {
      if (!(t.table in manifest.rowCounts)) problems.push(`table ${t.table} is not in the manifest`);
      else if (t.restored === null) problems.push(`table ${t.table} is missing after the restore`);
      else if (t.restored !== t.expected && !(growing.includes(t.table) && t.restored > t.expected)) problems.push(`table ${t.table}: ${t.restored} rows restored, manifest says ${t.expected}`);
    }
    const rowCountsOk = problems.length === 0;
    const schemaVersion = await appliedSchemaVersion(sql);
    let schema = true;
    if (schemaVersion !== manifest.schemaVersion) {
      schema = false;
      problems.push(`schema version is ${schemaVersion}, manifest says ${manifest.schemaVersion}`);
    } else if (schemaVersionIndex(schemaVersion) < 0) {
      schema = false;
      problems.push(`schema version ${schemaVersion} is unknown to this NEXUS (${this.deps.version}, at ${currentSchemaVersion()}); a newer NEXUS made it`);
    }
    return { checks: { checksum: true, rowCounts: rowCountsOk, schema }, tables, problems, schemaVersion };
  }

  /** Restores into a scratch database and checks everything; records the outcome. Never throws for a bad backup: it reports. */
  async verify(idOrLatest: string, progress: Progress = noProgress, signal: AbortSignal = new AbortController().signal): Promise<VerifyReport> {
    const id = await this.resolve(idOrLatest);
    const dir = await this.scratchDir();
    try {
      return await this.verifyIn(id, dir, progress, signal);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  private async verifyIn(id: string, dir: string, progress: Progress, signal: AbortSignal): Promise<VerifyReport & { file?: string; manifest?: Manifest }> {
    const verifiedAt = this.deps.clock();
    const failed = async (outcome: VerifyReport['outcome'], problems: string[], partial: Partial<VerifyReport> = {}): Promise<VerifyReport> => {
      await this.deps.store.recordVerification(id, verifiedAt, false, problems.join('; '));
      return { id, ok: false, outcome, problems, checks: { checksum: outcome !== 'corrupt', rowCounts: null, schema: null }, tables: [], schemaVersion: null, restoreSeconds: null, verifiedAt: verifiedAt.toISOString(), ...partial };
    };
    let downloaded: { manifest: Manifest; file: string };
    try {
      downloaded = await this.download(id, dir, progress);
    } catch (error) {
      if (error instanceof CorruptBackupError) return failed('corrupt', [(error.details as { problem: string }).problem]);
      throw error;
    }
    progress(null, 'restoring into a scratch database');
    const started = performance.now();
    let scratch;
    try {
      scratch = await this.deps.engine.restoreScratch(downloaded.file, signal);
    } catch (error) {
      return failed('failed', [`the restore into a scratch database failed: ${(error as Error).message}`]);
    }
    const restoreSeconds = (performance.now() - started) / 1000;
    try {
      progress(null, 'comparing row counts and schema');
      const compared = await this.compare(scratch.sql, downloaded.manifest);
      const ok = compared.problems.length === 0;
      const behind = ok && compared.schemaVersion !== currentSchemaVersion();
      const message = ok ? `verified: ${compared.tables.length} tables${behind ? `; schema ${compared.schemaVersion} is behind ${currentSchemaVersion()} (a restore migrates it)` : ''}` : compared.problems.join('; ');
      await this.deps.store.recordVerification(id, verifiedAt, ok, message);
      progress(1, message);
      return { id, ok, outcome: ok ? 'verified' : 'mismatch', ...compared, restoreSeconds, verifiedAt: verifiedAt.toISOString(), file: downloaded.file, manifest: downloaded.manifest };
    } finally {
      await scratch.dispose();
    }
  }

  /** The seed's monthly disaster-recovery test: the latest backup restored into a scratch database and verified, timed. */
  async drill(progress: Progress = noProgress, signal?: AbortSignal): Promise<VerifyReport> {
    const report = await this.verify('latest', progress, signal);
    if (report.restoreSeconds !== null) await this.deps.store.recordDrill(report.id, this.deps.clock(), report.restoreSeconds);
    return report;
  }

  /**
   * The seed's "Database Corruption" procedure, safely: verify first (a bad
   * backup is refused before anything changes), maintenance mode on for every
   * replica, restore in one transaction, check the live database against the
   * manifest, maintenance off. If anything fails after maintenance started it
   * stays on, with health saying why.
   */
  async restore(idOrLatest: string, actor: string, progress: Progress = noProgress, signal: AbortSignal = new AbortController().signal): Promise<VerifyReport> {
    const id = await this.resolve(idOrLatest);
    const dir = await this.scratchDir();
    try {
      const verified = await this.verifyIn(id, dir, progress, signal);
      if (verified.outcome === 'corrupt') throw new CorruptBackupError(id, verified.problems.join('; '));
      if (!verified.ok || !verified.file || !verified.manifest) {
        throw new AppError(422, 'backup_not_verified', `Backup ${id} did not verify, so it was not restored: ${verified.problems.join('; ')}`, { problems: verified.problems });
      }
      await this.deps.maintenance.enter(`restore of backup ${id}`, actor);
      try {
        // Other replicas poll the switch once a second; give them time to stop writing first.
        if (this.deps.db.engine === 'postgres' && this.deps.config.maintenanceSettleMs > 0) await new Promise((r) => setTimeout(r, this.deps.config.maintenanceSettleMs));
        progress(null, 'restoring into NEXUS’s database');
        const started = performance.now();
        await this.deps.engine.restoreLive(verified.file, signal, keptOperationalRows);
        const restoreSeconds = (performance.now() - started) / 1000;
        if (verified.schemaVersion !== currentSchemaVersion()) await runMigrations(this.deps.db, this.deps.logger);
        // Requests refused meanwhile are still audited: audit_log may only have grown.
        const live = await this.compare(this.deps.db, { ...verified.manifest, schemaVersion: currentSchemaVersion() }, ['public.audit_log']);
        if (live.problems.length) throw new Error(`the restored database does not match the backup: ${live.problems.join('; ')}`);
        await this.deps.maintenance.leave();
        this.deps.logger.info({ backup: id, actor, seconds: restoreSeconds }, 'backup restored');
        progress(1, `restored backup ${id}`);
        return { ...verified, ...live, ok: true, outcome: 'verified', restoreSeconds, file: undefined, manifest: undefined } as VerifyReport;
      } catch (error) {
        const message = (error as Error).message;
        this.deps.logger.error({ backup: id, err: error }, 'restore failed; maintenance mode stays on');
        await this.deps.maintenance.markFailed(`restore of backup ${id} failed: ${message}`);
        throw new AppError(500, 'restore_failed', `Restoring backup ${id} failed; NEXUS stays in maintenance mode until an admin ends it: ${message}`);
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }

  /** Keeps the newest backup of each of the last N days and M ISO weeks; deletes the rest from the target and the catalog. */
  async applyRetention(): Promise<{ kept: string[]; deleted: string[] }> {
    const rows = await this.deps.store.list(100_000);
    const keep = keepByRetention(rows, this.deps.config.keepDaily, this.deps.config.keepWeekly);
    const deleted: string[] = [];
    for (const row of rows) {
      if (keep.has(row.id)) continue;
      await this.deps.target.delete(this.manifestKey(row.id));
      await this.deps.target.delete(`database/${row.id}.${row.format === 'sql-gzip' ? 'sql.gz' : 'dump'}`);
      await this.deps.store.delete(row.id);
      deleted.push(row.id);
    }
    return { kept: rows.filter((r) => keep.has(r.id)).map((r) => r.id), deleted };
  }
}

export const defaultWorkDir = (dataDir: string | undefined): string => path.join(dataDir ?? os.tmpdir(), 'tmp', 'backups');
