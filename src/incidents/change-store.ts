import { and, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { OPEN_STATES } from './schema.js';
import { incidents, serviceChanges } from './tables.js';

export type ChangeRow = typeof serviceChanges.$inferSelect;
export type NewChange = typeof serviceChanges.$inferInsert;

/** SQL for the deployments incidents have heard of (tables.ts `serviceChanges`). */
export class ChangeStore {
  constructor(private readonly orm: Orm) {}

  /**
   * Keeps the deployment's latest state. Replicas hear the same event and the
   * bus may deliver a later one first: only a higher deployment event seq
   * overwrites, and the start and weight times keep their first value.
   */
  async upsert(change: NewChange): Promise<void> {
    const t = serviceChanges;
    await this.orm
      .insert(t)
      .values(change)
      .onConflictDoUpdate({
        target: t.deploymentId,
        set: {
          state: sql`excluded.state`,
          strategy: sql`COALESCE(${t.strategy}, excluded.strategy)`,
          weightAt: sql`CASE WHEN ${t.weight} = excluded.weight THEN ${t.weightAt} ELSE excluded.weight_at END`,
          weight: sql`excluded.weight`,
          lastSeq: sql`excluded.last_seq`,
          lastKind: sql`excluded.last_kind`,
          lastSummary: sql`excluded.last_summary`,
          lastAt: sql`excluded.last_at`,
          startedAt: sql`LEAST(${t.startedAt}, excluded.started_at)`,
          finishedAt: sql`excluded.finished_at`,
        },
        setWhere: sql`${t.lastSeq} < excluded.last_seq`,
      });
  }

  /** Deployments of the service that ran at some point in [from, to]: started by `to`, unfinished or finished since `from`. */
  async overlapping(service: string, from: Date, to: Date, limit = 20): Promise<ChangeRow[]> {
    const t = serviceChanges;
    return this.orm
      .select()
      .from(t)
      .where(and(eq(t.service, service), lte(t.startedAt, to), or(isNull(t.finishedAt), gte(t.finishedAt, from))))
      .orderBy(desc(t.startedAt))
      .limit(limit);
  }

  async openIncidentsOf(service: string): Promise<string[]> {
    const rows = await this.orm
      .select({ id: incidents.id })
      .from(incidents)
      .where(and(eq(incidents.service, service), inArray(incidents.state, [...OPEN_STATES])));
    return rows.map((r) => r.id);
  }

  /** Forgets deployments finished before `before`; no incident window reaches that far back. */
  async prune(before: Date): Promise<void> {
    await this.orm.delete(serviceChanges).where(lt(serviceChanges.finishedAt, before));
  }
}
