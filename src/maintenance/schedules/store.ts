import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { users } from '../../platform/auth/tables.js';
import type { Orm } from '../../platform/db/index.js';
import type { ScheduleRunStatus } from './schema.js';
import { scheduleRuns, scheduleSeeds, schedules } from './tables.js';

export type ScheduleRow = typeof schedules.$inferSelect;
export type NewSchedule = typeof schedules.$inferInsert;
export type ScheduleRunRow = typeof scheduleRuns.$inferSelect;
export type NewScheduleRun = typeof scheduleRuns.$inferInsert;

/** A schedule with what lists show beside it. */
export interface ScheduleView {
  schedule: ScheduleRow;
  ownerUsername: string;
  lastRun: ScheduleRunRow | null;
}

export interface OwnerRow {
  id: string;
  username: string;
  role: string;
  email: string | null;
  displayName: string | null;
  disabled: boolean;
}

const OPEN: ScheduleRunStatus[] = ['queued', 'running'];

export class ScheduleStore {
  constructor(readonly orm: Orm) {}

  transaction<T>(work: (store: ScheduleStore) => Promise<T>): Promise<T> {
    return this.orm.transaction((tx) => work(new ScheduleStore(tx as unknown as Orm)));
  }

  async insert(row: NewSchedule): Promise<ScheduleRow> {
    const [created] = await this.orm.insert(schedules).values(row).returning();
    return created!;
  }

  /** Inserts a seeded schedule unless its seed was ever imported (even if an admin deleted it since); null then. */
  async insertSeed(row: NewSchedule & { seedKey: string }): Promise<ScheduleRow | null> {
    return this.transaction(async (tx) => {
      const [first] = await tx.orm.insert(scheduleSeeds).values({ seedKey: row.seedKey }).onConflictDoNothing().returning();
      if (!first) return null;
      const [created] = await tx.orm.insert(schedules).values(row).onConflictDoNothing().returning();
      return created ?? null;
    });
  }

  async update(id: string, patch: Partial<NewSchedule>): Promise<ScheduleRow | null> {
    const [row] = await this.orm
      .update(schedules)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(schedules.id, id))
      .returning();
    return row ?? null;
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.orm.delete(schedules).where(eq(schedules.id, id)).returning({ id: schedules.id });
    return rows.length > 0;
  }

  async get(id: string): Promise<ScheduleRow | null> {
    const [row] = await this.orm.select().from(schedules).where(eq(schedules.id, id));
    return row ?? null;
  }

  async view(id: string): Promise<ScheduleView | null> {
    const [row] = await this.views(eq(schedules.id, id), 1);
    return row ?? null;
  }

  async list(limit: number, after: [string, string] | null): Promise<ScheduleView[]> {
    const where = after ? or(gt(schedules.name, after[0]), and(eq(schedules.name, after[0]), gt(schedules.id, after[1]))) : undefined;
    return this.views(where, limit + 1);
  }

  private async views(where: ReturnType<typeof eq> | undefined, limit: number): Promise<ScheduleView[]> {
    const lastRun = sql<string | null>`(SELECT r.id FROM ${scheduleRuns} r WHERE r.schedule_id = ${schedules.id} ORDER BY r.created_at DESC, r.id DESC LIMIT 1)`;
    const rows = await this.orm
      .select({ schedule: schedules, ownerUsername: users.username, lastRunId: lastRun })
      .from(schedules)
      .innerJoin(users, eq(users.id, schedules.ownerId))
      .where(where)
      .orderBy(asc(schedules.name), asc(schedules.id))
      .limit(limit);
    const runIds = rows.map((r) => r.lastRunId).filter((id): id is string => id !== null);
    const runs = runIds.length ? await this.orm.select().from(scheduleRuns).where(inArray(scheduleRuns.id, runIds)) : [];
    const byId = new Map(runs.map((r) => [r.id, r]));
    return rows.map((r) => ({
      schedule: r.schedule,
      ownerUsername: r.ownerUsername,
      lastRun: r.lastRunId ? (byId.get(r.lastRunId) ?? null) : null,
    }));
  }

  async owner(ref: string, byId: boolean): Promise<OwnerRow | null> {
    const [row] = await this.orm
      .select({ id: users.id, username: users.username, role: users.role, email: users.email, displayName: users.displayName, disabled: users.disabled })
      .from(users)
      .where(byId ? eq(users.id, ref) : eq(users.username, ref));
    return row ?? null;
  }

  /** Enabled schedules whose next due time has come. */
  async due(now: Date): Promise<ScheduleRow[]> {
    return this.orm
      .select()
      .from(schedules)
      .where(and(eq(schedules.enabled, true), lte(schedules.nextDueAt, now)))
      .orderBy(asc(schedules.nextDueAt));
  }

  /**
   * Moves a schedule past the due times a tick handled. Conditional on the
   * value the tick read: of two replicas ticking at once, one moves it.
   */
  async advance(id: string, from: Date, to: Date): Promise<boolean> {
    const rows = await this.orm
      .update(schedules)
      .set({ nextDueAt: to })
      .where(and(eq(schedules.id, id), eq(schedules.enabled, true), eq(schedules.nextDueAt, from)))
      .returning({ id: schedules.id });
    return rows.length > 0;
  }

  /** Null when a run for this schedule and due time exists already. */
  async insertRun(row: NewScheduleRun): Promise<ScheduleRunRow | null> {
    const [created] = await this.orm.insert(scheduleRuns).values(row).onConflictDoNothing().returning();
    return created ?? null;
  }

  async run(id: string): Promise<ScheduleRunRow | null> {
    const [row] = await this.orm.select().from(scheduleRuns).where(eq(scheduleRuns.id, id));
    return row ?? null;
  }

  async runs(scheduleId: string, limit: number, before: [string, string] | null): Promise<ScheduleRunRow[]> {
    const where = before
      ? and(
          eq(scheduleRuns.scheduleId, scheduleId),
          or(lt(scheduleRuns.createdAt, new Date(before[0])), and(eq(scheduleRuns.createdAt, new Date(before[0])), lt(scheduleRuns.id, before[1]))),
        )
      : eq(scheduleRuns.scheduleId, scheduleId);
    return this.orm.select().from(scheduleRuns).where(where).orderBy(desc(scheduleRuns.createdAt), desc(scheduleRuns.id)).limit(limit + 1);
  }

  /** queued → running; null when another worker claimed it first or it is no longer queued. */
  async claim(id: string, now: Date): Promise<ScheduleRunRow | null> {
    const [row] = await this.orm
      .update(scheduleRuns)
      .set({ status: 'running', startedAt: now, heartbeatAt: now })
      .where(and(eq(scheduleRuns.id, id), eq(scheduleRuns.status, 'queued')))
      .returning();
    return row ?? null;
  }

  async patchRunning(id: string, patch: Partial<NewScheduleRun>): Promise<ScheduleRunRow | null> {
    const [row] = await this.orm
      .update(scheduleRuns)
      .set(patch)
      .where(and(eq(scheduleRuns.id, id), eq(scheduleRuns.status, 'running')))
      .returning();
    return row ?? null;
  }

  /** Ends a run that is still open (queued or running); null when it had ended already. */
  async finish(id: string, patch: Partial<NewScheduleRun> & { status: ScheduleRunStatus }): Promise<ScheduleRunRow | null> {
    const [row] = await this.orm
      .update(scheduleRuns)
      .set(patch)
      .where(and(eq(scheduleRuns.id, id), inArray(scheduleRuns.status, OPEN)))
      .returning();
    return row ?? null;
  }

  async setNotification(id: string, notification: string): Promise<void> {
    await this.orm.update(scheduleRuns).set({ notification }).where(eq(scheduleRuns.id, id));
  }

  /** Runs whose process stopped writing heartbeats (it stopped or crashed mid-run). */
  async staleRunning(before: Date): Promise<ScheduleRunRow[]> {
    return this.orm
      .select()
      .from(scheduleRuns)
      .where(and(eq(scheduleRuns.status, 'running'), or(isNull(scheduleRuns.heartbeatAt), lt(scheduleRuns.heartbeatAt, before))))
      .limit(100);
  }

  /** Queued runs older than `before`: their job may have been lost between the insert and the send. */
  async staleQueued(before: Date): Promise<ScheduleRunRow[]> {
    return this.orm
      .select()
      .from(scheduleRuns)
      .where(and(eq(scheduleRuns.status, 'queued'), lt(scheduleRuns.createdAt, before)))
      .limit(100);
  }
}

/** The user seeded schedules belong to: the bootstrap `admin`, or else the oldest admin. */
export async function seedOwner(orm: Orm): Promise<string | null> {
  const [row] = await orm
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
    .orderBy(sql`${users.username} <> 'admin'`, asc(users.createdAt))
    .limit(1);
  return row?.id ?? null;
}
