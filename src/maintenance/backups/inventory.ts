import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../../platform/db/index.js';

/**
 * What a backup holds and what a restored copy must match: the tables and
 * their row counts, and the schema version (the latest applied migration).
 */

/** Anything that can run one SQL statement and give rows back: a client, a session, a PGlite. */
export interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Tables whose rows are about the database rather than in it: the catalog of
 * backups and the maintenance switch. Dumps leave their data out, so a restore
 * neither forgets later backups nor switches maintenance mode off behind the
 * restore's back (ADR 0013).
 */
export const OPERATIONAL_TABLES = ['public.backups', 'public.maintenance_mode'] as const;

/**
 * The job queue's schema (pg-boss): in-flight work, not records. A restore to
 * an earlier point would replay it (pages sent twice, steps run again), so
 * dumps leave it out and a restored NEXUS keeps the live queue.
 */
export const EXCLUDED_SCHEMA_PATTERN = 'pgboss*';
const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT LIKE 'pgboss%'`;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteTable(qualified: string): string {
  const dot = qualified.indexOf('.');
  return `${quoteIdent(qualified.slice(0, dot))}.${quoteIdent(qualified.slice(dot + 1))}`;
}

/** The schemas a dump covers (what a restore into a live database replaces). */
export async function dumpedSchemas(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(`SELECT n.nspname AS name FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} ORDER BY 1`);
  return rows.map((r) => r.name);
}

/** `schema.table` of every table whose rows a dump carries, sorted. */
export async function dumpedTables(sql: Sql): Promise<string[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS}
      ORDER BY 1`,
  );
  return rows.map((r) => r.name).filter((name) => !(OPERATIONAL_TABLES as readonly string[]).includes(name));
}

export async function rowCounts(sql: Sql): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await dumpedTables(sql)) {
    const [row] = await sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${quoteTable(table)}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

interface JournalEntry {
  tag: string;
  when: number;
}

let journal: JournalEntry[] | undefined;
function migrationsJournal(): JournalEntry[] {
  journal ??= (JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] }).entries;
  return journal;
}

/** The newest migration this NEXUS ships: the schema version a current database is at. */
export function currentSchemaVersion(): string {
  return migrationsJournal().at(-1)?.tag ?? 'none';
}

/** Where a version sits among this NEXUS's migrations (-1: unknown to it, e.g. from a newer NEXUS). */
export function schemaVersionIndex(version: string): number {
  return migrationsJournal().findIndex((e) => e.tag === version);
}

/** The latest migration applied to a database, by drizzle's own record (its `created_at` is the journal's `when`). */
export async function appliedSchemaVersion(sql: Sql): Promise<string> {
  const [exists] = await sql.query<{ present: boolean }>(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`);
  if (!exists?.present) return 'none';
  const [latest] = await sql.query<{ created_at: string | number }>('SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1');
  if (!latest) return 'none';
  const when = Number(latest.created_at);
  return migrationsJournal().find((e) => e.when === when)?.tag ?? `unknown:${when}`;
}
