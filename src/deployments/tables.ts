import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One rollout of a new version of a service. The row is the controller's
 * whole memory: a restart, or another replica taking over the controller,
 * reads the current step, the weight the router was last told (`canaryWeight`)
 * and a traffic change that was asked for but not yet confirmed
 * (`intentWeight`), so no step and no traffic change runs twice.
 */
export const deployments = pgTable(
  'deployments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    service: text('service').notNull(),
    strategy: text('strategy').notNull(),
    router: text('router').notNull(),
    /** The version traffic goes back to on abort: the last promoted one of the service, or the one given at create. */
    stableVersion: text('stable_version').notNull(),
    stableUpstream: text('stable_upstream').notNull(),
    version: text('version').notNull(),
    upstream: text('upstream').notNull(),
    image: text('image'),
    /** Analysis settings and metrics (schema.ts Analysis); null: analysis steps pass without measuring. */
    analysis: jsonb('analysis'),
    /** Blue-green: seconds the old colour stays ready for a switch back before it is scaled down. */
    scaleDownDelaySeconds: integer('scale_down_delay_seconds').notNull().default(30),
    state: text('state').notNull(),
    /** While aborting: the state it ends in once traffic is back on the stable version (aborted, failed, rolled_back). */
    outcome: text('outcome'),
    /** Why it is paused, aborting or failed, in words people read. */
    reason: text('reason'),
    currentStep: integer('current_step').notNull().default(0),
    /** Percent of traffic on the new version, as last confirmed by the router. */
    canaryWeight: integer('canary_weight').notNull().default(0),
    /** A traffic change sent (or about to be) but not yet confirmed; null when none is in flight. */
    intentWeight: integer('intent_weight'),
    /** The old version has been taken out of the router (blue-green scale-down). */
    stableRetired: boolean('stable_retired').notNull().default(false),
    /** The image the stable Deployment ran when the deployment started (Kubernetes routers): what a rollback after promotion puts back. */
    stableImage: text('stable_image'),
    /**
     * A canary's promotion on a Kubernetes router hands the new version over to
     * the stable Deployment: `promoting` (intent: stable gets the new image and
     * all traffic, the canary goes to 0) is written before the router is asked,
     * `promoted` after. null: no hand-over (nginx, no image, or not yet there).
     */
    stableHandover: text('stable_handover'),
    incidentId: uuid('incident_id'),
    /** When the controller should look at it next. */
    nextAt: at('next_at').notNull().defaultNow(),
    /** Bumped by every write, so a person's action and the controller never overwrite each other. */
    revision: integer('revision').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    check('deployments_strategy_check', sql`${t.strategy} IN ('canary', 'blue-green')`),
    check('deployments_handover_check', sql`${t.stableHandover} IS NULL OR ${t.stableHandover} IN ('promoting', 'promoted')`),
    check('deployments_weight_check', sql`${t.canaryWeight} BETWEEN 0 AND 100 AND (${t.intentWeight} IS NULL OR ${t.intentWeight} BETWEEN 0 AND 100)`),
    index('deployments_created_idx').on(t.createdAt, t.id),
    index('deployments_service_idx').on(t.service, t.createdAt),
    // The controller's work list: only deployments that still move.
    index('deployments_due_idx')
      .on(t.nextAt)
      .where(sql`state IN ('progressing', 'aborting', 'rolling_back')`),
    // One rollout per service at a time: two would fight over the same router entry.
    uniqueIndex('deployments_active_service_idx')
      .on(t.service)
      .where(sql`state IN ('progressing', 'paused', 'aborting', 'rolling_back')`),
  ],
);

/** The plan of a deployment, one row per step, with each step's own state. */
export const deploymentSteps = pgTable(
  'deployment_steps',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    index: integer('index').notNull(),
    kind: text('kind').notNull(),
    /** The step as given (schema.ts Step). */
    spec: jsonb('spec').notNull(),
    state: text('state').notNull().default('pending'),
    message: text('message'),
    /** Analysis: rounds below this were measured before a person resumed it, and no longer count against its limits. */
    roundBase: integer('round_base').notNull().default(0),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.index] })],
);

/** Every analysis measurement: one row per metric per round. */
export const deploymentMeasurements = pgTable(
  'deployment_measurements',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    stepIndex: integer('step_index').notNull(),
    round: integer('round').notNull(),
    metric: text('metric').notNull(),
    /** null when the query returned no number (no data, NaN, an error). */
    value: doublePrecision('value'),
    phase: text('phase').notNull(),
    message: text('message'),
    /** Traffic share of the new version when this was measured, for the chart. */
    weight: integer('weight').notNull(),
    at: at('at').notNull(),
  },
  (t) => [
    index('deployment_measurements_idx').on(t.deploymentId, t.seq),
    // A round is measured once, also when a controller restarts in the middle of it.
    uniqueIndex('deployment_measurements_round_idx').on(t.deploymentId, t.stepIndex, t.round, t.metric),
  ],
);

/** The deployment's timeline: each step, traffic change, measurement round and action, in order. */
export const deploymentEvents = pgTable(
  'deployment_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    summary: text('summary').notNull(),
    data: jsonb('data').notNull().default({}),
    at: at('at').notNull(),
  },
  (t) => [index('deployment_events_idx').on(t.deploymentId, t.seq)],
);
