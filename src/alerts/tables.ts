import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per fingerprint: a repeat (Alertmanager re-sends every group
 * interval) updates `last_seen_at` and `receive_count` instead of adding rows,
 * and a fingerprint that fires again after resolving reuses its row. Repeats
 * are most of what the receivers write, so they are kept to heap-only (HOT)
 * updates: no index covers a column a repeat changes.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fingerprint: text('fingerprint').notNull().unique(),
    source: text('source').notNull(),
    status: text('status').notNull(),
    labels: jsonb('labels').$type<Record<string, string>>().notNull(),
    annotations: jsonb('annotations').$type<Record<string, string>>().notNull(),
    /** The incident group this alert pages into (Alertmanager's groupKey, or rule + labels). */
    groupKey: text('group_key').notNull(),
    severity: text('severity'),
    ruleId: uuid('rule_id'),
    silencedBy: uuid('silenced_by'),
    /** Set once the incidents domain has taken the alert; null means "not paged yet" (retried on the next delivery). */
    incidentId: uuid('incident_id'),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at'),
    generatorUrl: text('generator_url'),
    receiveCount: bigint('receive_count', { mode: 'number' }).notNull().default(1),
    firstSeenAt: at('first_seen_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    resolvedAt: at('resolved_at'),
    /**
     * Which write last set the content (labels, annotations, status, …): a
     * version of the writing process's own (src/alerts/store.ts). A process
     * that finds its own version here may bump only count and last-seen for an
     * unchanged repeat.
     */
    contentVersion: text('content_version'),
  },
  // No index on last_seen_at: a repeat changes it, and any index on a changed
  // column makes every repeat write a new entry into every index (no HOT
  // update). Lists go newest-started first instead; starts_at changes only
  // when an alert fires again. Fillfactor (migration 0007) leaves room on each
  // page for those in-place (HOT) row versions.
  (t) => [index('alerts_starts_idx').on(t.startsAt, t.id), index('alerts_status_starts_idx').on(t.status, t.startsAt, t.id)],
);

/** Routing rules, tried in `position` order; the first whose matchers all hold wins. */
export const routingRules = pgTable(
  'alert_routing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    position: integer('position').notNull(),
    matchers: jsonb('matchers').$type<Array<{ name: string; op: string; value: string }>>().notNull(),
    /** Null: the alert's own `severity` label decides (config.alerts.severityMap). */
    severity: text('severity'),
    title: text('title'),
    service: text('service'),
    runbookSlug: text('runbook_slug'),
    procedureId: text('procedure_id'),
    escalationPolicy: text('escalation_policy'),
    category: text('category'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('alert_routing_rules_position_idx').on(t.position, t.createdAt)],
);

/** Silences and maintenance windows: same matching, different intent (`kind`). */
export const silences = pgTable(
  'alert_silences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    matchers: jsonb('matchers').$type<Array<{ name: string; op: string; value: string }>>().notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    comment: text('comment').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('alert_silences_ends_idx').on(t.endsAt)],
);

/** Whether the default rules were created: deleting them later must not bring them back at the next start. */
export const alertDefaults = pgTable('alert_defaults', {
  name: text('name').primaryKey(),
  appliedAt: at('applied_at').notNull().defaultNow(),
});
