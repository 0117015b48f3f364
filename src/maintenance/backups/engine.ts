import type { Written } from './files.js';
import type { Sql } from './inventory.js';

export interface DumpOutcome extends Written {
  rowCounts: Record<string, number>;
  schemaVersion: string;
}

/** A database restored from a backup to be looked at, then thrown away. */
export interface Scratch {
  sql: Sql;
  dispose(): Promise<void>;
}

/** Rows that live outside what a restore brings back: read before it, written again after (ADR 0013). */
export interface KeptRows {
  save(sql: Sql): Promise<unknown>;
  put(sql: Sql, saved: unknown): Promise<void>;
}

/** How one engine dumps and restores; the service does the rest (targets, checksums, manifests) the same for both. */
export interface BackupEngine {
  engine: 'postgres' | 'pglite';
  /** `pg_dump-custom` or `sql-gzip`, recorded in the manifest. */
  format: 'pg_dump-custom' | 'sql-gzip';
  extension: string;
  /** Writes a consistent dump to `file`; counts and schema version describe exactly what it holds. */
  dump(file: string, signal: AbortSignal, onBytes?: (bytes: number) => void): Promise<DumpOutcome>;
  /** Restores `file` into a new, empty database. */
  restoreScratch(file: string, signal: AbortSignal): Promise<Scratch>;
  /** Replaces NEXUS's own database with `file`, in one transaction, keeping `keep`'s rows. */
  restoreLive(file: string, signal: AbortSignal, keep: KeptRows): Promise<void>;
}
