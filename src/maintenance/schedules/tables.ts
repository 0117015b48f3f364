import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../../platform/auth/tables.js';
import { runbooks } from '../../runbooks/tables.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A cron schedule that starts a built-in task (`task_key`) or a runbook
 * procedure (`runbook_id` + `procedure_id`) as its owner. `next_due_at` is
 * the one due time the scheduler waits for; it is null while disabled.
 */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique(),
    description: text('description'),
    cron: text('cron').notNull(),
    timeZone: text('time_zone').notNull(),
    targetKind: text('target_kind').notNull(),
    taskKey: text('task_key'),
    runbookId: uuid('runbook_id').references(() => runbooks.id),
    procedureId: text('procedure_id'),
    /** Values for the procedure's placeholders; never secrets (schedules take no secret parameters). */
    parameters: jsonb('parameters').notNull().default({}),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    enabled: boolean('enabled').notNull().default(false),
    missedPolicy: text('missed_policy').notNull().default('run-once'),
    nextDueAt: at('next_due_at'),
    /** The seed procedure a built-in schedule was imported from: the import never makes a second one. */
    seedKey: text('seed_key').unique(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('schedules_target_kind_valid', sql`${t.targetKind} IN ('task', 'runbook')`),
    check(
      'schedules_target_complete',
      sql`(${t.targetKind} = 'task' AND ${t.taskKey} IS NOT NULL) OR (${t.targetKind} = 'runbook' AND ${t.runbookId} IS NOT NULL AND ${t.procedureId} IS NOT NULL)`,
    ),
    check('schedules_missed_policy_valid', sql`${t.missedPolicy} IN ('run-once', 'skip')`),
    index('schedules_due_idx').on(t.nextDueAt).where(sql`${t.enabled}`),
  ],
);

/**
 * One run of a schedule: due, caught up after downtime, started by a person,
 * or a due time recorded as missed. The unique (schedule, due time) pair is
 * what makes a due time run once however many replicas tick at it.
 */
export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    trigger: text('trigger').notNull(),
    /** The due time this run is for; null for a run a person started. */
    dueAt: at('due_at'),
    status: text('status').notNull(),
    /** A username, or `scheduler`. */
    requestedBy: text('requested_by').notNull(),
    /** The person who started a manual run: the runbook run is theirs. Null for due runs (they run as the owner). */
    requestedById: uuid('requested_by_id').references(() => users.id, { onDelete: 'set null' }),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    /** Written by the process running it; a stale one means that process stopped mid-run. */
    heartbeatAt: at('heartbeat_at'),
    progressFraction: real('progress_fraction'),
    progressMessage: text('progress_message'),
    summary: text('summary'),
    details: jsonb('details'),
    /** The runbook run a procedure target started. */
    runbookRunId: uuid('runbook_run_id'),
    /** Who was told of a failure, or why nobody was. */
    notification: text('notification'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('schedule_runs_trigger_valid', sql`${t.trigger} IN ('due', 'catch-up', 'manual', 'missed')`),
    check('schedule_runs_status_valid', sql`${t.status} IN ('queued', 'running', 'ok', 'failed', 'missed', 'cancelled')`),
    uniqueIndex('schedule_runs_due_once').on(t.scheduleId, t.dueAt),
    index('schedule_runs_history_idx').on(t.scheduleId, t.createdAt, t.id),
    index('schedule_runs_open_idx').on(t.status).where(sql`${t.status} IN ('queued', 'running')`),
  ],
);

/**
 * Seed procedures already imported as schedules, kept apart from the
 * schedules themselves: one an admin deleted is not imported again.
 */
export const scheduleSeeds = pgTable('schedule_seeds', {
  seedKey: text('seed_key').primaryKey(),
  importedAt: at('imported_at').notNull().defaultNow(),
});
