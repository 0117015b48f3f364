import { bigint, boolean, doublePrecision, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The catalog of backups this NEXUS made: what the target holds, and what
 * verification found. Its rows are not in the dumps (a restore puts back the
 * catalog as it was before the restore, not as it was at dump time), see
 * docs/adr/0013-backups.md.
 */
export const backups = pgTable(
  'backups',
  {
    id: text('id').primaryKey(),
    /** `directory` or `s3`, with where: the directory or `s3://bucket/prefix`. */
    target: text('target').notNull(),
    location: text('location').notNull(),
    engine: text('engine').notNull(),
    format: text('format').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    schemaVersion: text('schema_version').notNull(),
    rowCounts: jsonb('row_counts').$type<Record<string, number>>().notNull(),
    createdBy: text('created_by').notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** null: never verified; true/false: the last verification's outcome, explained by verify_message. */
    verifyOk: boolean('verify_ok'),
    verifyMessage: text('verify_message'),
    /** The last restore drill: when and how long the restore into a scratch database took. */
    drilledAt: timestamp('drilled_at', { withTimezone: true }),
    drillSeconds: doublePrecision('drill_seconds'),
  },
  (t) => [index('backups_created_at_idx').on(t.createdAt)],
);
