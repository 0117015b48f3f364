import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { incidentPages, incidents } from './tables.js';

export type PageRow = typeof incidentPages.$inferSelect;
export type NewPage = typeof incidentPages.$inferInsert;

/** SQL for the levels paged per incident and their outcomes (paging-outcome.ts has the rules). */
export class PageStore {
  constructor(private readonly orm: Orm) {}

  /** Records a paged level once: repeating a level (a pass after a crash, another replica) keeps the first row. */
  async insert(page: NewPage): Promise<PageRow> {
    await this.orm.insert(incidentPages).values(page).onConflictDoNothing();
    const [row] = await this.orm
      .select()
      .from(incidentPages)
      .where(and(eq(incidentPages.incidentId, page.incidentId), eq(incidentPages.startedAt, page.startedAt), eq(incidentPages.level, page.level)));
    return row!;
  }

  /** The levels paged since the escalation started at `startedAt`, in the order they were paged. */
  ofEscalation(incidentId: string, startedAt: Date): Promise<PageRow[]> {
    return this.orm
      .select()
      .from(incidentPages)
      .where(and(eq(incidentPages.incidentId, incidentId), eq(incidentPages.startedAt, startedAt)))
      .orderBy(asc(incidentPages.pagedAt), asc(incidentPages.level));
  }

  /** The current escalation's levels of several incidents at once (a list of incidents). */
  async ofCurrentEscalations(incidentIds: readonly string[]): Promise<Map<string, PageRow[]>> {
    const byIncident = new Map<string, PageRow[]>();
    if (incidentIds.length === 0) return byIncident;
    const rows = await this.orm
      .select({ page: incidentPages })
      .from(incidentPages)
      // Incidents from before escalations had a start page from their trigger (paging.ts).
      .innerJoin(incidents, and(eq(incidents.id, incidentPages.incidentId), sql`coalesce(${incidents.escalationStartedAt}, ${incidents.triggeredAt}) = ${incidentPages.startedAt}`))
      .where(inArray(incidentPages.incidentId, [...incidentIds]))
      .orderBy(asc(incidentPages.pagedAt), asc(incidentPages.level));
    for (const { page } of rows) byIncident.set(page.incidentId, [...(byIncident.get(page.incidentId) ?? []), page]);
    return byIncident;
  }

  byNotification(notificationId: string): Promise<PageRow[]> {
    return this.orm.select().from(incidentPages).where(and(eq(incidentPages.notificationId, notificationId), isNull(incidentPages.settledAt)));
  }

  /** Levels whose outcome is not recorded yet, oldest first. */
  unsettled(limit: number): Promise<PageRow[]> {
    return this.orm.select().from(incidentPages).where(isNull(incidentPages.settledAt)).orderBy(asc(incidentPages.pagedAt)).limit(limit);
  }

  /**
   * Records the outcome once, and when `bringForward` asks for it, moves the
   * pager's bookmark to `at` in the same transaction: the next level is due at
   * once after one that reached nobody, and a crash between the two would
   * leave it waiting for its normal time. The bookmark moves only while the
   * incident is unacknowledged and still escalating from this page's start.
   * `settled` is false when another process (or an earlier pass) recorded it.
   */
  async settle(page: PageRow, at: Date, outcome: { reached: boolean; detail: unknown; bringForward: boolean }): Promise<{ settled: boolean; broughtForward: boolean }> {
    return this.orm.transaction(async (tx) => {
      const settled = await tx
        .update(incidentPages)
        .set({ settledAt: at, reached: outcome.reached, outcome: outcome.detail })
        .where(
          and(
            eq(incidentPages.incidentId, page.incidentId),
            eq(incidentPages.startedAt, page.startedAt),
            eq(incidentPages.level, page.level),
            isNull(incidentPages.settledAt),
          ),
        )
        .returning({ level: incidentPages.level });
      if (settled.length === 0) return { settled: false, broughtForward: false };
      if (!outcome.bringForward) return { settled: true, broughtForward: false };
      const moved = await tx
        .update(incidents)
        .set({ nextPageAt: at })
        .where(
          and(
            eq(incidents.id, page.incidentId),
            eq(incidents.state, 'triggered'),
            eq(incidents.escalationStartedAt, page.startedAt),
            or(isNull(incidents.nextPageAt), gt(incidents.nextPageAt, at)),
          ),
        )
        .returning({ id: incidents.id });
      return { settled: true, broughtForward: moved.length > 0 };
    });
  }
}
