import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One row per `nexus secrets rotate`: who, when, how, and what it ended. Never key material. */
export const secretRotations = pgTable(
  'secret_rotations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Username of who rotated (kept as text: the history outlives a deleted user). */
    actor: text('actor').notNull(),
    /** `grace`: earlier keys verify until `verifies_until`; `revoke`: they verify nothing from `at`. */
    mode: text('mode').notNull(),
    graceSeconds: integer('grace_seconds'),
    verifiesUntil: timestamp('verifies_until', { withTimezone: true, mode: 'date' }),
    /** The new signing key's id (what tokens name in `kid`), never its value. */
    keyId: uuid('key_id').notNull(),
    keysRetired: integer('keys_retired').notNull(),
    /** Users whose sessions ended (revoke mode). */
    sessionsRevoked: integer('sessions_revoked').notNull(),
    tokensRevoked: integer('tokens_revoked').notNull(),
    /** Whether the Kubernetes Secret was written too. */
    kubernetesSecret: boolean('kubernetes_secret').notNull(),
  },
  (t) => [index('secret_rotations_at_idx').on(t.at), check('secret_rotations_mode_valid', sql`${t.mode} IN ('grace', 'revoke')`)],
);
