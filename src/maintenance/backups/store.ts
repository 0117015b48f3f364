import type { Database } from '../../platform/db/index.js';
import type { Sql } from './inventory.js';

export interface BackupRow {
  id: string;
  target: string;
  location: string;
  engine: string;
  format: string;
  createdAt: Date;
  sizeBytes: number;
  sha256: string;
  schemaVersion: string;
  rowCounts: Record<string, number>;
  createdBy: string;
  verifiedAt: Date | null;
  verifyOk: boolean | null;
  verifyMessage: string | null;
  drilledAt: Date | null;
  drillSeconds: number | null;
}

interface RawRow {
  id: string;
  target: string;
  location: string;
  engine: string;
  format: string;
  created_at: Date | string;
  size_bytes: string | number;
  sha256: string;
  schema_version: string;
  row_counts: Record<string, number> | string;
  created_by: string;
  verified_at: Date | string | null;
  verify_ok: boolean | null;
  verify_message: string | null;
  drilled_at: Date | string | null;
  drill_seconds: number | null;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

function fromRaw(r: RawRow): BackupRow {
  return {
    id: r.id,
    target: r.target,
    location: r.location,
    engine: r.engine,
    format: r.format,
    createdAt: new Date(r.created_at),
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    schemaVersion: r.schema_version,
    rowCounts: typeof r.row_counts === 'string' ? (JSON.parse(r.row_counts) as Record<string, number>) : r.row_counts,
    createdBy: r.created_by,
    verifiedAt: date(r.verified_at),
    verifyOk: r.verify_ok,
    verifyMessage: r.verify_message,
    drilledAt: date(r.drilled_at),
    drillSeconds: r.drill_seconds === null ? null : Number(r.drill_seconds),
  };
}

const COLUMNS = 'id, target, location, engine, format, created_at, size_bytes, sha256, schema_version, row_counts, created_by, verified_at, verify_ok, verify_message, drilled_at, drill_seconds';

async function insertRows(sql: Sql, rows: BackupRow[]): Promise<void> {
  for (const r of rows) {
    await sql.query(
      `INSERT INTO public.backups (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (id) DO UPDATE SET verified_at = EXCLUDED.verified_at, verify_ok = EXCLUDED.verify_ok, verify_message = EXCLUDED.verify_message,
         drilled_at = EXCLUDED.drilled_at, drill_seconds = EXCLUDED.drill_seconds`,
      [r.id, r.target, r.location, r.engine, r.format, r.createdAt, r.sizeBytes, r.sha256, r.schemaVersion, JSON.stringify(r.rowCounts), r.createdBy, r.verifiedAt, r.verifyOk, r.verifyMessage, r.drilledAt, r.drillSeconds],
    );
  }
}

/** The catalog of backups (table `backups`). */
export class BackupStore {
  constructor(private readonly db: Database) {}

  async insert(row: BackupRow): Promise<void> {
    await insertRows(this.db, [row]);
  }

  async list(limit = 500): Promise<BackupRow[]> {
    const rows = await this.db.query<RawRow>(`SELECT ${COLUMNS} FROM backups ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(fromRaw);
  }

  async get(id: string): Promise<BackupRow | null> {
    const [row] = await this.db.query<RawRow>(`SELECT ${COLUMNS} FROM backups WHERE id = $1`, [id]);
    return row ? fromRaw(row) : null;
  }

  async recordVerification(id: string, at: Date, ok: boolean, message: string): Promise<void> {
    await this.db.query('UPDATE backups SET verified_at = $2, verify_ok = $3, verify_message = $4 WHERE id = $1', [id, at, ok, message.slice(0, 2000)]);
  }

  async recordDrill(id: string, at: Date, seconds: number): Promise<void> {
    await this.db.query('UPDATE backups SET drilled_at = $2, drill_seconds = $3 WHERE id = $1', [id, at, seconds]);
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM backups WHERE id = $1', [id]);
  }

  /** For the metrics: read at each scrape, so they survive a restart. */
  async lastVerifiedAt(): Promise<Date | null> {
    const [row] = await this.db.query<{ at: Date | string | null }>('SELECT max(verified_at) AS at FROM backups WHERE verify_ok');
    return row?.at ? new Date(row.at) : null;
  }

  async lastDrillSeconds(): Promise<number | null> {
    const [row] = await this.db.query<{ s: number | null }>('SELECT drill_seconds AS s FROM backups WHERE drilled_at IS NOT NULL ORDER BY drilled_at DESC LIMIT 1');
    return row?.s === undefined || row.s === null ? null : Number(row.s);
  }
}

/** The catalog and the maintenance switch, as they are before a restore, to be written back after it. */
export const keptOperationalRows = {
  async save(sql: Sql): Promise<{ backups: BackupRow[]; maintenance: unknown[] }> {
    // Probed, not tried: in a transaction (PGlite's restore) a failed read would abort everything after it.
    const [present] = await sql.query<{ backups: boolean; maintenance: boolean }>(
      "SELECT to_regclass('public.backups') IS NOT NULL AS backups, to_regclass('public.maintenance_mode') IS NOT NULL AS maintenance",
    );
    const backups = present?.backups ? (await sql.query<RawRow>(`SELECT ${COLUMNS} FROM public.backups`)).map(fromRaw) : [];
    const maintenance = present?.maintenance ? await sql.query('SELECT id, reason, started_by, started_at, failed FROM public.maintenance_mode') : [];
    return { backups, maintenance };
  },
  async put(sql: Sql, saved: unknown): Promise<void> {
    const { backups, maintenance } = saved as { backups: BackupRow[]; maintenance: Array<{ id: number; reason: string; started_by: string; started_at: Date | string; failed: boolean }> };
    for (const m of maintenance) {
      await sql.query(
        'INSERT INTO public.maintenance_mode (id, reason, started_by, started_at, failed) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
        [m.id, m.reason, m.started_by, new Date(m.started_at), m.failed],
      );
    }
    await insertRows(sql, backups);
  },
};
