import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../platform/auth/tables.js';
import { runSteps } from '../runbooks/tables.js';

/**
 * An enrolled remote runner: its own identity, not a user's. An admin
 * creates the row with a one-time enrolment token and the labels the runner
 * will serve; the runner exchanges the token once for its credential. Only
 * SHA-256 hashes of both are kept (256 random bits each: a slow hash buys
 * nothing, as for API tokens).
 */
export const runners = pgTable(
  'runners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Assigned by the admin at enrolment; what the runner may lease is decided by these alone. */
    labels: jsonb('labels').notNull().default({}),
    enrolmentHash: text('enrolment_hash').notNull().unique(),
    enrolmentExpiresAt: timestamp('enrolment_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Null until the enrolment token was exchanged; then the runner's bearer credential (`nxr_…`). */
    credentialHash: text('credential_hash').unique(),
    credentialPrefix: text('credential_prefix'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'date' }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedBy: uuid('revoked_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    // Runs and the audit log name runners by name: two live ones must not share it.
    uniqueIndex('runners_live_name_idx').on(t.name).where(sql`${t.revokedAt} IS NULL`),
    index('runners_created_idx').on(t.createdAt, t.id),
  ],
);

/**
 * Which enrolled runner took each remote lease: heartbeats, output and
 * completion of a lease are accepted from that runner only, on any replica.
 */
export const runnerLeases = pgTable(
  'runner_leases',
  {
    leaseId: uuid('lease_id').primaryKey(),
    runnerId: uuid('runner_id')
      .notNull()
      .references(() => runners.id, { onDelete: 'cascade' }),
    stepId: uuid('step_id')
      .notNull()
      .references(() => runSteps.id, { onDelete: 'cascade' }),
    leasedAt: timestamp('leased_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('runner_leases_step_idx').on(t.stepId)],
);
