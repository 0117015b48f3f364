import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Orm } from '../../platform/db/index.js';
import { LimitError } from '../../platform/errors.js';
import { runbooks, runChecks, runs, runSecrets, runSteps } from '../tables.js';
import type { RunStatus, StepState } from './schema.js';

export type RunRow = typeof runs.$inferSelect;
export type StepRow = typeof runSteps.$inferSelect;
export type CheckRow = typeof runChecks.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type NewStep = Omit<typeof runSteps.$inferInsert, 'runId'>;
export type NewCheck = Omit<typeof runChecks.$inferInsert, 'runId'>;
export type StepPatch = PgUpdateSetSource<typeof runSteps>;

export interface RunbookRef {
  id: string;
  slug: string;
  title: string;
}
export interface RunWithRunbook {
  run: RunRow;
  runbook: RunbookRef;
}

export interface RunFilter {
  incidentId?: string | undefined;
  status?: RunStatus | undefined;
  /** Keyset: rows strictly older than this (createdAt, id). */
  before?: [string, string] | null;
}

/** SQL for runs, their steps and checks; rules live in the services. */
export class RunStore {
  constructor(private readonly orm: Orm) {}

  /**
   * `maxActiveRuns`: the creator's unfinished runs must stay below it, or
   * LimitError. A per-creator advisory lock makes count-then-insert exact
   * across replicas; each statement after it sees what others committed.
   */
  async insertRun(run: NewRun, steps: NewStep[], checks: NewCheck[], maxActiveRuns?: number): Promise<RunRow> {
    return this.orm.transaction(async (tx) => {
      if (maxActiveRuns !== undefined && run.createdBy) {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('nexus.runs.active'), hashtext(${run.createdBy}))`);
        const [active] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(runs)
          .where(and(eq(runs.createdBy, run.createdBy), sql`${runs.finishedAt} IS NULL`));
        if (active!.n >= maxActiveRuns) {
          throw new LimitError(`You have ${active!.n} unfinished runs; the limit is ${maxActiveRuns} per person: finish or cancel some first`, {
            limit: maxActiveRuns,
            setting: 'NEXUS_MAX_ACTIVE_RUNS_PER_USER',
          });
        }
      }
      const [row] = await tx.insert(runs).values(run).returning();
      const created = row!;
      if (steps.length) await tx.insert(runSteps).values(steps.map((s) => ({ ...s, runId: created.id })));
      if (checks.length) await tx.insert(runChecks).values(checks.map((c) => ({ ...c, runId: created.id })));
      return created;
    });
  }

  async run(id: string): Promise<RunWithRunbook | null> {
    const [row] = await this.orm
      .select({ run: runs, runbook: { id: runbooks.id, slug: runbooks.slug, title: runbooks.title } })
      .from(runs)
      .innerJoin(runbooks, eq(runbooks.id, runs.runbookId))
      .where(eq(runs.id, id));
    return row ?? null;
  }

  async runRow(id: string): Promise<RunRow | null> {
    const [row] = await this.orm.select().from(runs).where(eq(runs.id, id));
    return row ?? null;
  }

  async list(filter: RunFilter, limit: number): Promise<RunWithRunbook[]> {
    const conditions: SQL[] = [];
    if (filter.incidentId) conditions.push(eq(runs.incidentId, filter.incidentId));
    if (filter.status) conditions.push(eq(runs.status, filter.status));
    if (filter.before) {
      const [at, id] = filter.before;
      const atDate = new Date(at);
      conditions.push(or(lt(runs.createdAt, atDate), and(eq(runs.createdAt, atDate), lt(runs.id, id)))!);
    }
    return this.orm
      .select({ run: runs, runbook: { id: runbooks.id, slug: runbooks.slug, title: runbooks.title } })
      .from(runs)
      .innerJoin(runbooks, eq(runbooks.id, runs.runbookId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(runs.createdAt), desc(runs.id))
      .limit(limit);
  }

  async steps(runId: string): Promise<StepRow[]> {
    return this.orm.select().from(runSteps).where(eq(runSteps.runId, runId)).orderBy(asc(runSteps.seq));
  }

  async step(id: string): Promise<StepRow | null> {
    const [row] = await this.orm.select().from(runSteps).where(eq(runSteps.id, id));
    return row ?? null;
  }

  async checks(runId: string): Promise<CheckRow[]> {
    return this.orm.select().from(runChecks).where(eq(runChecks.runId, runId)).orderBy(asc(runChecks.seq));
  }

  /** Moves a step only if it is still in one of `from`: two people clicking at once cannot both win. */
  /** Steps this person requested that are still to run: queued, or awaiting someone's approval. */
  async waitingStepsOf(userId: string): Promise<number> {
    const [row] = await this.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(runSteps)
      .where(and(eq(runSteps.requestedBy, userId), inArray(runSteps.state, ['queued', 'awaiting-approval'])));
    return row!.n;
  }

  async updateStep(id: string, from: readonly StepState[], patch: StepPatch): Promise<StepRow | null> {
    const [row] = await this.orm
      .update(runSteps)
      .set(patch)
      .where(and(eq(runSteps.id, id), inArray(runSteps.state, [...from])))
      .returning();
    return row ?? null;
  }

  /** Changes the status unless it already is that, or the run was cancelled or closed (both final). */
  async setStatus(runId: string, status: RunStatus, finished: boolean): Promise<RunRow | null> {
    const [row] = await this.orm
      .update(runs)
      .set({ status, finishedAt: finished ? sql`now()` : null })
      .where(and(eq(runs.id, runId), sql`${runs.status} <> ${status}`, sql`${runs.status} NOT IN ('cancelled', 'closed')`))
      .returning();
    return row ?? null;
  }

  /**
   * Marks the incident's unfinished runs (waiting or running) as closed with
   * it, once: a run already closed or finished is not returned.
   */
  async closeIncidentRuns(incidentId: string, reason: string): Promise<RunRow[]> {
    return this.orm
      .update(runs)
      .set({ closedReason: reason })
      .where(and(eq(runs.incidentId, incidentId), sql`${runs.closedReason} IS NULL`, inArray(runs.status, ['waiting', 'running'])))
      .returning();
  }

  async cancelRun(runId: string): Promise<RunRow | null> {
    const [row] = await this.orm
      .update(runs)
      .set({ status: 'cancelled', finishedAt: sql`now()` })
      .where(and(eq(runs.id, runId), sql`${runs.status} <> 'cancelled'`))
      .returning();
    return row ?? null;
  }

  async mergeVariables(runId: string, variables: Record<string, string>): Promise<void> {
    await this.orm
      .update(runs)
      .set({ variables: sql`${runs.variables} || ${JSON.stringify(variables)}::jsonb` })
      .where(eq(runs.id, runId));
  }

  async tickCheck(runId: string, checkId: string, userId: string | null, checked: boolean): Promise<CheckRow | null> {
    const [row] = await this.orm
      .update(runChecks)
      .set(checked ? { checkedBy: userId, checkedAt: sql`now()` } : { checkedBy: null, checkedAt: null })
      .where(and(eq(runChecks.runId, runId), eq(runChecks.checkId, checkId)))
      .returning();
    return row ?? null;
  }

  async putSecrets(runId: string, entries: Array<{ name: string; kind: 'parameter' | 'variable'; sealed: string }>): Promise<void> {
    if (!entries.length) return;
    await this.orm
      .insert(runSecrets)
      .values(entries.map((e) => ({ ...e, runId })))
      .onConflictDoUpdate({ target: [runSecrets.runId, runSecrets.name], set: { sealed: sql`excluded.sealed`, kind: sql`excluded.kind` } });
  }

  async secrets(runId: string): Promise<Array<{ name: string; kind: string; sealed: string }>> {
    return this.orm
      .select({ name: runSecrets.name, kind: runSecrets.kind, sealed: runSecrets.sealed })
      .from(runSecrets)
      .where(eq(runSecrets.runId, runId));
  }

  async deleteSecrets(runId: string): Promise<void> {
    await this.orm.delete(runSecrets).where(eq(runSecrets.runId, runId));
  }
}
