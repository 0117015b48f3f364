import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { users } from '../platform/auth/tables.js';
import { OPEN_STATES, type IncidentState } from './schema.js';
import { incidents } from './tables.js';

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncident = typeof incidents.$inferInsert;
export type IncidentPatch = Partial<Omit<NewIncident, 'id'>>;

/** SQL for the incident rows: opening, reading, lifecycle updates and the pager's bookmark; rules live in the services. */
export class IncidentStore {
  constructor(private readonly orm: Orm) {}

  async insert(values: NewIncident): Promise<IncidentRow> {
    const [row] = await this.orm.insert(incidents).values(values).returning();
    return row!;
  }

  async get(id: string): Promise<IncidentRow | null> {
    const [row] = await this.orm.select().from(incidents).where(eq(incidents.id, id));
    return row ?? null;
  }

  /** Which of these user ids exist. */
  async existingUsers(ids: string[]): Promise<Set<string>> {
    const rows = await this.orm.select({ id: users.id }).from(users).where(inArray(users.id, ids));
    return new Set(rows.map((row) => row.id));
  }

  async openByGroup(groupKey: string): Promise<IncidentRow | null> {
    const [row] = await this.orm
      .select()
      .from(incidents)
      .where(and(eq(incidents.groupKey, groupKey), inArray(incidents.state, [...OPEN_STATES])));
    return row ?? null;
  }

  /** Updates only while the incident is in one of `from` (when given): the transition's compare-and-set. */
  async update(id: string, patch: IncidentPatch, from?: readonly IncidentState[]): Promise<IncidentRow | null> {
    const where = from ? and(eq(incidents.id, id), inArray(incidents.state, [...from])) : eq(incidents.id, id);
    const [row] = await this.orm.update(incidents).set(patch).where(where).returning();
    return row ?? null;
  }

  /** Incidents with a level to page by `now`: still unacknowledged, oldest due first. */
  async duePages(now: Date, limit: number): Promise<IncidentRow[]> {
    return this.orm
      .select()
      .from(incidents)
      .where(and(eq(incidents.state, 'triggered'), lte(incidents.nextPageAt, now)))
      .orderBy(asc(incidents.nextPageAt))
      .limit(limit);
  }

  /**
   * Moves the pager's bookmark, unless someone moved it since `seen` was read
   * (a reopen or a severity change asks for a fresh look; that must win).
   */
  async setNextPage(id: string, next: Date | null, seen: Date | null): Promise<boolean> {
    const unchanged = seen === null ? isNull(incidents.nextPageAt) : eq(incidents.nextPageAt, seen);
    const rows = await this.orm.update(incidents).set({ nextPageAt: next }).where(and(eq(incidents.id, id), unchanged)).returning({ id: incidents.id });
    return rows.length > 0;
  }

  /**
   * The pager's claim on an incident's due levels, taken right before it
   * notifies: moves the bookmark to `until` only while the incident is still
   * triggered and the bookmark is still `seen`. An acknowledgement, a reopen
   * or another pass since the read wins, and this pass pages nothing.
   */
  async claimPage(id: string, seen: Date, until: Date): Promise<boolean> {
    const rows = await this.orm
      .update(incidents)
      .set({ nextPageAt: until })
      .where(and(eq(incidents.id, id), eq(incidents.state, 'triggered'), eq(incidents.nextPageAt, seen)))
      .returning({ id: incidents.id });
    return rows.length > 0;
  }
}
