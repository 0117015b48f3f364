import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { apiTokens, users } from '../../platform/auth/tables.js';
import type { Orm } from '../../platform/db/index.js';
import { secretRotations } from './tables.js';

export type RotationRow = typeof secretRotations.$inferSelect;

/** The SQL of rotation: history, and the bulk endings a rotation may bring (in the rotation's transaction). */
export class RotationStore {
  constructor(private readonly orm: Orm) {}

  /** Every enabled user's sessions end now (their tokens' `iat` is before it); how many users. */
  async endAllSessions(at: Date): Promise<number> {
    const rows = await this.orm.update(users).set({ sessionsValidAfter: at }).where(eq(users.disabled, false)).returning({ id: users.id });
    return rows.length;
  }

  /** Every API token still usable is revoked; how many. */
  async revokeAllApiTokens(at: Date): Promise<number> {
    const rows = await this.orm
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), sql`${apiTokens.expiresAt} > ${at.toISOString()}::timestamptz`)))
      .returning({ id: apiTokens.id });
    return rows.length;
  }

  async insert(row: typeof secretRotations.$inferInsert): Promise<RotationRow> {
    const [inserted] = await this.orm.insert(secretRotations).values(row).returning();
    return inserted!;
  }

  /** Newest first; `after` is the (at, id) of the last row of the previous page. */
  async list(limit: number, after: [string, string] | null): Promise<RotationRow[]> {
    const before = after
      ? or(lt(secretRotations.at, new Date(after[0])), and(eq(secretRotations.at, new Date(after[0])), lt(secretRotations.id, after[1])))
      : undefined;
    return this.orm.select().from(secretRotations).where(before).orderBy(desc(secretRotations.at), desc(secretRotations.id)).limit(limit + 1);
  }
}
