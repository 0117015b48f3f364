import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Orm } from '../db/index.js';
import type { Role } from './roles.js';
import { apiTokens, users } from './tables.js';

export type UserRow = typeof users.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  displayName?: string | null | undefined;
  email?: string | null | undefined;
}

export interface UserPatch {
  role?: Role;
  disabled?: boolean;
  displayName?: string | null;
  email?: string | null;
  passwordHash?: string;
  sessionsValidAfter?: Date;
}

export interface TokenWithOwner {
  token: ApiTokenRow;
  owner: UserRow;
}

/** A user as the API shows it: no password hash, timestamps as ISO 8601 text. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string | null;
  email: string | null;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** `toISOString()`'s format, so this list and every other user answer write time alike. */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The users table's version and, unless it is still `$3` (the version the
 * caller last read at), a page of users in their public shape. One statement,
 * so the version and the page come from one snapshot; when the version is
 * unchanged the page is not read at all (a one-time filter). A missing
 * version row reads as -2 (the trigger makes it again at the next write).
 */
const USERS_PAGE_SQL = `
  SELECT v.version::text AS version, p.*
  FROM (SELECT coalesce((SELECT version FROM table_versions WHERE name = 'users'), -2) AS version) v
  LEFT JOIN LATERAL (
    SELECT id, username, display_name AS "displayName", email, role, disabled,
      to_char(created_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "createdAt",
      to_char(updated_at AT TIME ZONE 'UTC', ${ISO_UTC}) AS "updatedAt"
    FROM users
    WHERE v.version <> $3::bigint AND ($1::text IS NULL OR username > $1::text)
    ORDER BY username
    LIMIT $2::int
  ) p ON true`;

/** A page of users read at `version` of the users table, or `users: null` when the table is still at the version asked about. */
export interface VersionedUsers {
  version: string;
  users: PublicUser[] | null;
}

/** SQL for users and API tokens; no rules live here. */
export class AuthStore {
  /**
   * Every authenticated request runs one of these two. Prepared once: building
   * the SQL through drizzle on each call was a large share of a request's CPU
   * (docs/benchmarks/2026-11-27-http.md).
   */
  private readonly userByIdQuery;
  private readonly tokenByHashQuery;

  constructor(
    private readonly orm: Orm,
    private readonly db: Pick<Database, 'prepared'>,
  ) {
    this.userByIdQuery = orm
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .prepare('nexus_user_by_id');
    this.tokenByHashQuery = orm
      .select({ token: apiTokens, owner: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.ownerId))
      .where(eq(apiTokens.tokenHash, sql.placeholder('hash')))
      .prepare('nexus_token_by_hash');
  }

  async countUsers(): Promise<number> {
    const [row] = await this.orm.select({ n: sql<number>`count(*)::int` }).from(users);
    return row?.n ?? 0;
  }

  async insertUser(user: NewUser): Promise<UserRow> {
    const [row] = await this.orm.insert(users).values(user).returning();
    return row!;
  }

  /** Inserts unless a user with that name exists; for first-start bootstrap. */
  async insertUserIfAbsent(user: NewUser): Promise<UserRow | null> {
    const [row] = await this.orm.insert(users).values(user).onConflictDoNothing().returning();
    return row ?? null;
  }

  async userById(id: string): Promise<UserRow | null> {
    const [row] = await this.userByIdQuery.execute({ id });
    return row ?? null;
  }

  async userByUsername(username: string): Promise<UserRow | null> {
    const [row] = await this.orm.select().from(users).where(eq(users.username, username));
    return row ?? null;
  }

  /**
   * A page of users in their public shape, ordered by username, unless the
   * table is still at `knownVersion`. Admin consoles poll this list, so rows
   * come back as the API sends them (timestamps already ISO 8601 text): no
   * Date per column and no mapping per row.
   */
  async usersPage(limit: number, afterUsername: string | null, knownVersion: string | null): Promise<VersionedUsers> {
    const rows = await this.db.prepared<PublicUser & { version: string }>('nexus_users_page', USERS_PAGE_SQL, [afterUsername, limit, knownVersion ?? -1]);
    const version = rows[0]!.version;
    if (version === knownVersion) return { version, users: null };
    // An empty page is one row of nulls beside the version.
    return { version, users: rows[0]!.id === null ? [] : rows };
  }

  async updateUser(id: string, patch: UserPatch): Promise<UserRow | null> {
    const [row] = await this.orm
      .update(users)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(users.id, id))
      .returning();
    return row ?? null;
  }

  /** Enabled admins other than `exceptId`: the last one may not be demoted or disabled. */
  async countOtherEnabledAdmins(exceptId: string): Promise<number> {
    const [row] = await this.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.disabled, false), sql`${users.id} <> ${exceptId}`));
    return row?.n ?? 0;
  }

  async insertToken(values: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
    const [row] = await this.orm.insert(apiTokens).values(values).returning();
    return row!;
  }

  async tokenByHash(tokenHash: string): Promise<TokenWithOwner | null> {
    const [row] = await this.tokenByHashQuery.execute({ hash: tokenHash });
    return row ?? null;
  }

  async tokenById(id: string): Promise<ApiTokenRow | null> {
    const [row] = await this.orm.select().from(apiTokens).where(eq(apiTokens.id, id));
    return row ?? null;
  }

  /** Newest first; the cursor is the (createdAt, id) of the last row seen. */
  async listTokens(ownerId: string | null, limit: number, after: [string, string] | null): Promise<ApiTokenRow[]> {
    const conditions: SQL[] = [];
    if (ownerId !== null) conditions.push(eq(apiTokens.ownerId, ownerId));
    if (after !== null) {
      const at = new Date(after[0]);
      conditions.push(or(lt(apiTokens.createdAt, at), and(eq(apiTokens.createdAt, at), lt(apiTokens.id, after[1])))!);
    }
    return this.orm
      .select()
      .from(apiTokens)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
      .limit(limit);
  }

  async revokeToken(id: string): Promise<ApiTokenRow | null> {
    const [row] = await this.orm
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    return row ?? null;
  }

  async touchToken(id: string): Promise<void> {
    await this.orm.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, id));
  }
}
