import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    displayName: text('display_name'),
    email: text('email'),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** JWTs issued before this instant are refused: "log this user out everywhere". */
    sessionsValidAfter: timestamp('sessions_valid_after', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('users_role_valid', sql`${t.role} IN ('viewer', 'responder', 'operator', 'admin')`)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** SHA-256 of the token: tokens are 256 random bits, so a slow hash buys nothing. */
    tokenHash: text('token_hash').notNull().unique(),
    /** First characters of the token, shown in listings so people can tell tokens apart. */
    prefix: text('prefix').notNull(),
    role: text('role').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('api_tokens_owner_idx').on(t.ownerId, t.createdAt),
    check('api_tokens_role_valid', sql`${t.role} IN ('viewer', 'responder', 'operator', 'admin')`),
  ],
);

/**
 * The key ring (ADR 0012): the keys that sign sessions and links, and the
 * data keys that seal secrets at rest. Material is never stored plain: each
 * row keeps it sealed under key-encryption keys derived from the configured
 * JWT_SECRET_KEY (and, while a Kubernetes rotation rolls out, the key that
 * replaces it), one entry per key-encryption key id in `wraps`.
 */
export const keyRing = pgTable(
  'key_ring',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `signing` (sessions and links) or `data` (sealing, one `purpose` each). */
    use: text('use').notNull(),
    /** A data key's SealPurpose; null for signing keys. */
    purpose: text('purpose'),
    /** A signing key that is a configured JWT_SECRET_KEY: what it signed carries no key id. */
    legacy: boolean('legacy').notNull().default(false),
    /** Key-encryption key id → the material sealed under that key. */
    wraps: jsonb('wraps').$type<Record<string, string>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** A signing key rotated out still verifies until then; null: the current key (or a data key). */
    notAfter: timestamp('not_after', { withTimezone: true, mode: 'date' }),
    /** Verifies nothing from then on. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    check('key_ring_use_valid', sql`${t.use} IN ('signing', 'data')`),
    check('key_ring_purpose_valid', sql`(${t.use} = 'data') = (${t.purpose} IS NOT NULL)`),
    // One current signing key, whichever replica rotates.
    uniqueIndex('key_ring_one_current').on(t.use).where(sql`${t.use} = 'signing' AND ${t.notAfter} IS NULL AND ${t.revokedAt} IS NULL`),
  ],
);
