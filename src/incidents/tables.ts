import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../platform/auth/tables.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * An incident one of whose SLA clocks stopped after its due time (the ack
 * clock stops at the acknowledgement, or at the resolve without one). The
 * partial index on it and the SLA check's query (sla-store.ts `dueBreaches`)
 * share this text, so the planner can match them.
 */
export const LATE_STOP = sql`COALESCE(acknowledged_at, resolved_at) > ack_due_at OR resolved_at > resolve_due_at`;

/**
 * One incident. SLA due times are stored (not derived at read time) so a
 * restart, or another replica taking over the SLA loop, sees the same clocks.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    severity: text('severity').notNull(),
    state: text('state').notNull(),
    /** Alerts of one group join one open incident (partial unique index below). Null for manual incidents. */
    groupKey: text('group_key'),
    service: text('service'),
    category: text('category'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    commanderId: uuid('commander_id').references(() => users.id),
    autoResolve: boolean('auto_resolve').notNull().default(true),
    escalationPolicyId: uuid('escalation_policy_id'),
    /** Paging keys and level delays count from here: the trigger, or the last reopen. */
    escalationStartedAt: at('escalation_started_at'),
    /** When the pager next has a level to page; null when nothing is left (or no policy). */
    nextPageAt: at('next_page_at'),
    runbookSlug: text('runbook_slug'),
    runbookVersion: integer('runbook_version'),
    procedureId: text('procedure_id'),
    procedureTitle: text('procedure_title'),
    responseMinutes: integer('response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    ackDueAt: at('ack_due_at').notNull(),
    resolveDueAt: at('resolve_due_at').notNull(),
    triggeredAt: at('triggered_at').notNull(),
    acknowledgedAt: at('acknowledged_at'),
    mitigatedAt: at('mitigated_at'),
    resolvedAt: at('resolved_at'),
    closedAt: at('closed_at'),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('incidents_open_group_idx')
      .on(t.groupKey)
      .where(sql`state IN ('triggered', 'acknowledged', 'mitigated')`),
    // The history (history-store.ts): newest triggered first, alone or within a service or an assignee's.
    index('incidents_triggered_idx').on(t.triggeredAt, t.id),
    index('incidents_service_idx').on(t.service, t.triggeredAt),
    index('incidents_assignee_idx').on(t.assigneeId, t.triggeredAt),
    index('incidents_state_idx').on(t.state),
    index('incidents_next_page_idx')
      .on(t.nextPageAt)
      .where(sql`next_page_at IS NOT NULL`),
    // The SLA check reads only clocks that can still breach (sla-store.ts `dueBreaches`): open ones, and late stops lately.
    index('incidents_ack_due_idx')
      .on(t.ackDueAt)
      .where(sql`acknowledged_at IS NULL AND resolved_at IS NULL`),
    index('incidents_resolve_due_idx')
      .on(t.resolveDueAt)
      .where(sql`resolved_at IS NULL`),
    index('incidents_late_stop_idx').on(t.updatedAt).where(LATE_STOP),
  ],
);

/** Alerts linked to an incident; the alerts domain owns the alert itself. */
export const incidentAlerts = pgTable(
  'incident_alerts',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    alertId: text('alert_id').notNull(),
    fingerprint: text('fingerprint').notNull(),
    labels: jsonb('labels').notNull().default({}),
    summary: text('summary').notNull().default(''),
    firedAt: at('fired_at').notNull(),
    resolvedAt: at('resolved_at'),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.alertId] }), index('incident_alerts_alert_idx').on(t.alertId)],
);

/**
 * The timeline: one ordered table of everything that happened. `seq` orders
 * it; `dedupeKey` makes events heard on the bus idempotent, since with Redis
 * every replica hears every event and would otherwise record it N times.
 */
export const incidentEvents = pgTable(
  'incident_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    summary: text('summary').notNull(),
    data: jsonb('data').notNull().default({}),
    dedupeKey: text('dedupe_key').unique(),
    at: at('at').notNull(),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.seq)],
);

/**
 * A breach is recorded once per clock: (incident, kind, due time) is the
 * "once". A reopen starts new clocks with new due times, which can breach
 * again; the check counts a breach as the current clock's when its due time
 * is not before that clock's start (sla-store.ts `dueBreaches`).
 */
export const incidentSlaBreaches = pgTable(
  'incident_sla_breaches',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    dueAt: at('due_at').notNull(),
    detectedAt: at('detected_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.kind, t.dueAt] })],
);

/** Edited post-mortems; version 0 is the generated draft and is never stored. */
export const incidentPostmortems = pgTable(
  'incident_postmortems',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    markdown: text('markdown').notNull(),
    editedBy: text('edited_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.version] })],
);

/**
 * Acknowledge links already used: the nonce of a signed link (the delivery it
 * was sent in) is written here when it acknowledges, so each link works once.
 * Rows go with their incident.
 */
export const incidentAckLinksUsed = pgTable('incident_ack_links_used', {
  nonce: uuid('nonce').primaryKey(),
  incidentId: uuid('incident_id')
    .notNull()
    .references(() => incidents.id, { onDelete: 'cascade' }),
  /** Who the link was sent to (`On-Call Engineer`, `#nexus-platform-alerts`). */
  actor: text('actor').notNull(),
  usedAt: at('used_at').notNull().defaultNow(),
});

/**
 * One escalation level paged for an incident, and what came of it: whether
 * anybody was reached, once every delivery of its notification has an end
 * (sent, failed for good, skipped). Rows still unsettled are what the clock
 * loop looks at, so an outcome that no process heard (a crash, a restart) is
 * still recorded. `started_at` is the escalation's start, as in paging keys:
 * a reopen pages (and settles) its levels anew.
 */
export const incidentPages = pgTable(
  'incident_pages',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    startedAt: at('started_at').notNull(),
    level: integer('level').notNull(),
    /** The notify domain's notification (no foreign key: the domains keep their own tables). */
    notificationId: uuid('notification_id').notNull(),
    afterMinutes: integer('after_minutes').notNull(),
    /** Paged before its time because the level before it reached nobody. */
    early: boolean('early').notNull().default(false),
    /** No level came after it in the plan it was paged from. */
    last: boolean('last').notNull(),
    /** Names of the targets paged: `[{ type, id, name }]`. */
    targets: jsonb('targets').notNull().default([]),
    pagedAt: at('paged_at').notNull(),
    settledAt: at('settled_at'),
    /** Null until settled: true when at least one delivery was accepted by its receiver. */
    reached: boolean('reached'),
    /** Who was reached and how, who was not and why (see paging-outcome.ts `LevelOutcome`). */
    outcome: jsonb('outcome'),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.startedAt, t.level] }),
    index('incident_pages_notification_idx').on(t.notificationId),
    index('incident_pages_unsettled_idx')
      .on(t.pagedAt)
      .where(sql`settled_at IS NULL`),
  ],
);

/**
 * The latest state of each recent deployment, as heard on the bus
 * (`deployment.<kind>`): incidents never import the deployments domain, so
 * they keep what responders need to see of a change here. One row per
 * deployment, written idempotently by every replica that hears an event:
 * only a later deployment event (`lastSeq`) overwrites it.
 */
export const serviceChanges = pgTable(
  'service_changes',
  {
    deploymentId: uuid('deployment_id').primaryKey(),
    service: text('service').notNull(),
    version: text('version').notNull(),
    stableVersion: text('stable_version').notNull(),
    /** canary or blue-green, when the `created` event was heard. */
    strategy: text('strategy'),
    state: text('state').notNull(),
    /** Percent of traffic on the new version. */
    weight: integer('weight').notNull(),
    /** When traffic reached `weight`: "reached 25 % 4 min before this alert". */
    weightAt: at('weight_at').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    lastKind: text('last_kind').notNull(),
    lastSummary: text('last_summary').notNull(),
    startedAt: at('started_at').notNull(),
    lastAt: at('last_at').notNull(),
    /** Null while the deployment still moves or waits (it can still be aborted or rolled back). */
    finishedAt: at('finished_at'),
  },
  (t) => [index('service_changes_service_idx').on(t.service, t.lastAt)],
);
