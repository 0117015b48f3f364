import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
