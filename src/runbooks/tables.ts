import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../platform/auth/tables.js';

/** A runbook in the library; its content lives in versions. */
export const runbooks = pgTable('runbooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stable name used in URLs and the CLI: `nexus-platform`. */
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  latestVersion: integer('latest_version').notNull(),
  builtin: boolean('builtin').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Every import is a new, immutable version; runs pin the version they used. */
export const runbookVersions = pgTable(
  'runbook_versions',
  {
    runbookId: uuid('runbook_id')
      .notNull()
      .references(() => runbooks.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    source: text('source').notNull(),
    /** ParsedRunbook (model.ts), kept so reads never re-parse. */
    parsed: jsonb('parsed').notNull(),
    /** SHA-256 of the source: re-importing identical text makes no new version. */
    checksum: text('checksum').notNull(),
    /** Username, or 'system' for the built-in library (kept as written when the user is renamed or removed). */
    importedBy: text('imported_by').notNull(),
    /** The user who imported it; null for the built-in library. */
    importedById: uuid('imported_by_id').references(() => users.id, { onDelete: 'set null' }),
    importedAt: timestamp('imported_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /**
     * An admin approved this version: its `risk=` annotations may then lower a
     * command below the classifier's risk. Unapproved, they can only raise it.
     */
    approvedBy: uuid('approved_by').references(() => users.id, { onDelete: 'set null' }),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.runbookId, t.version] })],
);

/** One execution of one procedure of one runbook version. */
export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runbookId: uuid('runbook_id')
      .notNull()
      .references(() => runbooks.id),
    version: integer('version').notNull(),
    procedureId: text('procedure_id').notNull(),
    /** Set by the incidents domain when a run belongs to an incident. */
    incidentId: uuid('incident_id'),
    /** Parameter values by name; values of secret parameters are never stored here. */
    parameters: jsonb('parameters').notNull().default({}),
    /** Variables captured from `assigns` commands (`BLUE_IP=$(…)`); secret-looking ones live in run_secrets. */
    variables: jsonb('variables').notNull().default({}),
    procedureTitle: text('procedure_title').notNull().default(''),
    status: text('status').notNull(),
    /**
     * Set when the run's incident was resolved while the run was unfinished
     * (why, when and by whom): steps not started were skipped, and the run
     * ends `closed` once nothing of it runs any more.
     */
    closedReason: text('closed_reason'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('runs_created_idx').on(t.createdAt, t.id), index('runs_incident_idx').on(t.incidentId)],
);

/**
 * One executable command of a run (the unit runners lease). States:
 * pending → awaiting-approval → queued → running → succeeded | failed | timed-out | cancelled | skipped | lost.
 */
export const runSteps = pgTable(
  'run_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** Position in the procedure, for ordering. */
    seq: integer('seq').notNull(),
    /** Command id from the parsed runbook (model.ts Command.id). */
    commandId: text('command_id').notNull(),
    /** Step id (the numbered item) the command belongs to. */
    stepId: text('step_id').notNull(),
    /** The step's title and the command's `# comment`, so a timeline reads without the runbook. */
    title: text('title').notNull().default(''),
    description: text('description'),
    command: text('command').notNull(),
    /** model.ts Placeholder[] of the command: how `<name>` becomes an environment reference. */
    placeholders: jsonb('placeholders').notNull().default([]),
    /** Variables the command defines for later commands. */
    assigns: jsonb('assigns').notNull().default([]),
    /** Text the output must contain (annotation `expect`). */
    expect: text('expect'),
    risk: text('risk').notNull(),
    /** The command is annotated `approval`: it waits for a second person whatever its risk. */
    needsApproval: boolean('needs_approval').notNull().default(false),
    state: text('state').notNull(),
    attempt: integer('attempt').notNull().default(0),
    requestedBy: uuid('requested_by').references(() => users.id),
    approvedBy: uuid('approved_by').references(() => users.id),
    runnerId: text('runner_id'),
    /** Runner selector the step needs (`key=value,…`), from annotations. */
    selector: text('selector'),
    /** The selector as labels, matched with `runner_labels @> selector_labels`. */
    selectorLabels: jsonb('selector_labels').notNull().default({}),
    timeoutSeconds: integer('timeout_seconds').notNull(),
    /** New for every lease: a runner's heartbeat, output and completion must name it. */
    leaseId: uuid('lease_id'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date' }),
    /** Set when someone cancels a running step; the runner kills the process group and reports back. */
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true, mode: 'date' }),
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    durationMs: integer('duration_ms'),
    exitCode: integer('exit_code'),
    /** Combined stdout/stderr (redacted), bounded; `outputTruncated` says bytes were dropped. */
    output: text('output').notNull().default(''),
    /** Once `output` holds its half of the bound, the latest output; what lies between is dropped. */
    outputTail: text('output_tail').notNull().default(''),
    outputBytes: bigint('output_bytes', { mode: 'number' }).notNull().default(0),
    outputTruncated: boolean('output_truncated').notNull().default(false),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('run_steps_run_command_idx').on(t.runId, t.commandId),
    index('run_steps_dispatch_idx').on(t.state, t.leaseExpiresAt),
    check(
      'run_steps_state_valid',
      sql`${t.state} IN ('pending','awaiting-approval','queued','running','succeeded','failed','timed-out','cancelled','skipped','lost')`,
    ),
    check('run_steps_risk_valid', sql`${t.risk} IN ('read','change','destructive')`),
  ],
);

/** Manual checks (`- [ ]`) of the procedure, created unticked with the run and ticked by a person. */
export const runChecks = pgTable(
  'run_checks',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    checkId: text('check_id').notNull(),
    seq: integer('seq').notNull().default(0),
    text: text('text').notNull().default(''),
    checkedBy: uuid('checked_by').references(() => users.id),
    /** Null while unticked. */
    checkedAt: timestamp('checked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.runId, t.checkId] })],
);

/**
 * Secret parameters and secret-looking captured variables of a run,
 * encrypted (AES-256-GCM, key derived from the server's secret) and deleted
 * when the run ends, so any replica or runner can execute the run's steps
 * without the values ever sitting in `runs.parameters` (ADR 0004).
 */
export const runSecrets = pgTable(
  'run_secrets',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    /** base64url(iv ‖ tag ‖ ciphertext). */
    sealed: text('sealed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.name] }), check('run_secrets_kind_valid', sql`${t.kind} IN ('parameter','variable')`)],
);
