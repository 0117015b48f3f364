import { and, desc, eq, gte, like, lt, lte, type SQL } from 'drizzle-orm';
import type { Orm } from '../db/index.js';
import { auditLog } from './tables.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;

export interface AuditFilter {
  actor?: string | undefined;
  /** Exact action, or a prefix ending in "." (e.g. `user.`). */
  action?: string | undefined;
  target?: string | undefined;
  outcome?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  beforeId?: number | undefined;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class AuditStore {
  constructor(private readonly orm: Orm) {}

  async insert(entry: NewAuditEntry): Promise<AuditRow> {
    const [row] = await this.orm.insert(auditLog).values(entry).returning();
    return row!;
  }

  /** Newest first. */
  async list(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
    const where: SQL[] = [];
    if (filter.actor) where.push(eq(auditLog.actor, filter.actor));
    if (filter.action) {
      where.push(
        filter.action.endsWith('.') ? like(auditLog.action, `${escapeLike(filter.action)}%`) : eq(auditLog.action, filter.action),
      );
    }
    if (filter.target) where.push(eq(auditLog.target, filter.target));
    if (filter.outcome) where.push(eq(auditLog.outcome, filter.outcome));
    if (filter.since) where.push(gte(auditLog.at, filter.since));
    if (filter.until) where.push(lte(auditLog.at, filter.until));
    if (filter.beforeId !== undefined) where.push(lt(auditLog.id, filter.beforeId));
    return this.orm
      .select()
      .from(auditLog)
      .where(where.length ? and(...where) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(limit);
  }
}
