import { and, asc, desc, eq, gte, inArray, isNotNull, lt, lte, min, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { ACTIVE_STATES, MOVING_STATES, type DeploymentState } from './schema.js';
import { deploymentEvents, deploymentMeasurements, deployments, deploymentSteps } from './tables.js';

export type DeploymentRow = typeof deployments.$inferSelect;
export type NewDeployment = typeof deployments.$inferInsert;
export type StepRow = typeof deploymentSteps.$inferSelect;
export type MeasurementRow = typeof deploymentMeasurements.$inferSelect;
export type NewMeasurement = typeof deploymentMeasurements.$inferInsert;
export type EventRow = typeof deploymentEvents.$inferSelect;
export type NewEvent = typeof deploymentEvents.$inferInsert;

export type DeploymentPatch = Partial<
  Pick<
    DeploymentRow,
    'state' | 'outcome' | 'reason' | 'currentStep' | 'intentWeight' | 'canaryWeight' | 'stableRetired' | 'stableHandover' | 'incidentId' | 'nextAt' | 'finishedAt'
  >
>;
export type StepPatch = Partial<Pick<StepRow, 'state' | 'message' | 'roundBase' | 'startedAt' | 'finishedAt'>>;

/** SQL of the deployments domain: deployments, their steps, measurements and timeline. */
export class DeploymentStore {
  constructor(private readonly orm: Orm) {}

  async insert(row: NewDeployment, steps: Array<Pick<StepRow, 'kind' | 'spec'>>): Promise<DeploymentRow> {
    return this.orm.transaction(async (tx) => {
      const [created] = await tx.insert(deployments).values(row).returning();
      await tx.insert(deploymentSteps).values(steps.map((step, index) => ({ deploymentId: created!.id, index, kind: step.kind, spec: step.spec })));
      return created!;
    });
  }

  async get(id: string): Promise<DeploymentRow | null> {
    const [row] = await this.orm.select().from(deployments).where(eq(deployments.id, id));
    return row ?? null;
  }

  async steps(id: string): Promise<StepRow[]> {
    return this.orm.select().from(deploymentSteps).where(eq(deploymentSteps.deploymentId, id)).orderBy(asc(deploymentSteps.index));
  }

  async stepsOf(ids: string[]): Promise<StepRow[]> {
    if (ids.length === 0) return [];
    return this.orm.select().from(deploymentSteps).where(inArray(deploymentSteps.deploymentId, ids)).orderBy(asc(deploymentSteps.index));
  }

  /** Newest first; `before` is the keyset cursor (created_at, id) of the last row seen. */
  async list(filter: { service?: string | undefined; state?: DeploymentState | undefined; before: [string, string] | null }, limit: number): Promise<DeploymentRow[]> {
    const where: SQL[] = [];
    if (filter.service) where.push(eq(deployments.service, filter.service));
    if (filter.state) where.push(eq(deployments.state, filter.state));
    if (filter.before) {
      const [createdAt, id] = filter.before;
      where.push(or(lt(deployments.createdAt, new Date(createdAt)), and(eq(deployments.createdAt, new Date(createdAt)), lt(deployments.id, id)))!);
    }
    return this.orm
      .select()
      .from(deployments)
      .where(and(...where))
      .orderBy(desc(deployments.createdAt), desc(deployments.id))
      .limit(limit);
  }

  /** The service's newest finished deployment: what runs now is its new version if it succeeded, else its stable one. */
  async lastFinished(service: string): Promise<DeploymentRow | null> {
    const [row] = await this.orm
      .select()
      .from(deployments)
      .where(and(eq(deployments.service, service), isNotNull(deployments.finishedAt)))
      .orderBy(desc(deployments.finishedAt))
      .limit(1);
    return row ?? null;
  }

  async active(service: string): Promise<DeploymentRow | null> {
    const [row] = await this.orm
      .select()
      .from(deployments)
      .where(and(eq(deployments.service, service), inArray(deployments.state, [...ACTIVE_STATES])));
    return row ?? null;
  }

  /** Writes `patch` only if nobody wrote the row since `revision` was read; null when someone did. */
  async update(id: string, revision: number, patch: DeploymentPatch): Promise<DeploymentRow | null> {
    const [row] = await this.orm
      .update(deployments)
      .set({ ...patch, revision: revision + 1, updatedAt: sql`now()` })
      .where(and(eq(deployments.id, id), eq(deployments.revision, revision)))
      .returning();
    return row ?? null;
  }

  /**
   * The deployment row (checked against `revision`) and its steps together,
   * so the current step and the steps' states never disagree after a crash.
   * null when someone else wrote the deployment first; then nothing is written.
   */
  async write(id: string, revision: number, patch: DeploymentPatch, steps: Array<{ index: number; patch: StepPatch }> = []): Promise<DeploymentRow | null> {
    if (steps.length === 0) return this.update(id, revision, patch);
    return this.orm.transaction(async (tx) => {
      const [row] = await tx
        .update(deployments)
        .set({ ...patch, revision: revision + 1, updatedAt: sql`now()` })
        .where(and(eq(deployments.id, id), eq(deployments.revision, revision)))
        .returning();
      if (!row) return null;
      for (const step of steps) {
        await tx
          .update(deploymentSteps)
          .set(step.patch)
          .where(and(eq(deploymentSteps.deploymentId, id), eq(deploymentSteps.index, step.index)));
      }
      return row;
    });
  }

  /**
   * The router confirmed `weight`: it becomes the applied weight, unless the
   * intent changed meanwhile (an abort asked for another), which then wins.
   */
  async commitWeight(id: string, weight: number, stableRetired: boolean): Promise<DeploymentRow | null> {
    const [row] = await this.orm
      .update(deployments)
      .set({ canaryWeight: weight, intentWeight: null, stableRetired, revision: sql`${deployments.revision} + 1`, updatedAt: sql`now()` })
      .where(and(eq(deployments.id, id), eq(deployments.intentWeight, weight)))
      .returning();
    return row ?? null;
  }

  /** Marks every pending pause, analysis and gate step from `from` on as skipped (a full promotion). */
  async skipWaits(id: string, from: number, at: Date, message: string): Promise<void> {
    await this.orm
      .update(deploymentSteps)
      .set({ state: 'skipped', message, finishedAt: at })
      .where(
        and(
          eq(deploymentSteps.deploymentId, id),
          gte(deploymentSteps.index, from),
          inArray(deploymentSteps.kind, ['pause', 'analysis', 'gate']),
          inArray(deploymentSteps.state, ['pending', 'running']),
        ),
      );
  }

  /** Deployments the controller should act on now. */
  async due(now: Date, limit: number): Promise<string[]> {
    const rows = await this.orm
      .select({ id: deployments.id })
      .from(deployments)
      .where(and(inArray(deployments.state, [...MOVING_STATES]), lte(deployments.nextAt, now)))
      .orderBy(asc(deployments.nextAt))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  /** When the controller next has something to do; null when nothing moves. */
  async nextDue(): Promise<Date | null> {
    const [row] = await this.orm
      .select({ next: min(deployments.nextAt) })
      .from(deployments)
      .where(inArray(deployments.state, [...MOVING_STATES]));
    return row?.next ?? null;
  }

  /** Idempotent per (step, round, metric): a round re-measured after a restart keeps its first values. */
  async addMeasurements(rows: NewMeasurement[]): Promise<void> {
    if (rows.length > 0) await this.orm.insert(deploymentMeasurements).values(rows).onConflictDoNothing();
  }

  async stepMeasurements(id: string, step: number, fromRound: number): Promise<MeasurementRow[]> {
    return this.orm
      .select()
      .from(deploymentMeasurements)
      .where(and(eq(deploymentMeasurements.deploymentId, id), eq(deploymentMeasurements.stepIndex, step), gte(deploymentMeasurements.round, fromRound)))
      .orderBy(asc(deploymentMeasurements.seq));
  }

  async measurements(id: string, limit: number): Promise<MeasurementRow[]> {
    const rows = await this.orm
      .select()
      .from(deploymentMeasurements)
      .where(eq(deploymentMeasurements.deploymentId, id))
      .orderBy(desc(deploymentMeasurements.seq))
      .limit(limit);
    return rows.reverse();
  }

  async addEvent(event: NewEvent): Promise<EventRow> {
    const [row] = await this.orm.insert(deploymentEvents).values(event).returning();
    return row!;
  }

  async events(id: string, limit: number): Promise<EventRow[]> {
    const rows = await this.orm.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, id)).orderBy(desc(deploymentEvents.seq)).limit(limit);
    return rows.reverse();
  }
}
