import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp, TIMESTAMP_YEARS_PATTERN } from '../platform/http/schemas.js';
import { CreateRunBody } from '../runbooks/index.js';

export const SEVERITIES = ['P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const STATES = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentState = (typeof STATES)[number];
export const OPEN_STATES: readonly IncidentState[] = ['triggered', 'acknowledged', 'mitigated'];
export const CATEGORIES = ['security'] as const;

const Uuid = Type.String({ format: 'uuid' });
const NullableUuid = Type.Union([Uuid, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Title = Type.String({ minLength: 1, maxLength: 300 });
const Name = Type.String({ minLength: 1, maxLength: 200 });

/**
 * How one SLA clock ended, judged as the SLA check judges it (stopped after
 * the due time = missed). Running clocks are judged by the reader against its
 * own clock, so the same answer stays true while it is cached.
 */
export const SLA_RESULTS = ['running', 'met', 'missed'] as const;
export const SlaOutcome = Type.Object({
  result: Type.Enum(SLA_RESULTS),
  /** The trigger, or the reopen that restarted the clock. */
  startedAt: Timestamp,
  stoppedAt: NullableTimestamp,
  /** The acknowledge clock stops at the acknowledgement, or at a resolve nobody acknowledged before. */
  stoppedBy: Type.Union([Type.Literal('ack'), Type.Literal('resolve'), Type.Null()]),
  /** From the start to the stop. */
  tookMs: Type.Union([Type.Integer(), Type.Null()]),
  /** Missed: how long after the due time it stopped. */
  overdueMs: Type.Union([Type.Integer(), Type.Null()]),
});
export type SlaOutcome = Static<typeof SlaOutcome>;

export const RunbookRef = Type.Object({
  slug: Type.String(),
  version: Type.Integer(),
  procedureId: Type.String(),
  procedureTitle: Type.String(),
});

export const PAGED_LEVEL_STATES = ['paging', 'reached', 'unreached'] as const;

/** Someone reached by a level: a contact's or a channel's name, and how ("by e-mail", "on Slack"). */
export const ReachedRecipient = Type.Object({ name: Type.String(), how: Type.Array(Type.String()) });
export type ReachedRecipient = Static<typeof ReachedRecipient>;
/** Someone a level did not reach, with every way tried and why it did not work. */
export const UnreachedRecipient = Type.Object({
  name: Type.String(),
  why: Type.Array(Type.Object({ how: Type.String(), reason: Type.String() })),
});
export type UnreachedRecipient = Static<typeof UnreachedRecipient>;

export const PagedLevel = Type.Object({
  level: Type.Integer({ description: "The level's position in the escalation policy (0 = at trigger)" }),
  afterMinutes: Type.Integer(),
  early: Type.Boolean({ description: 'Paged before its time because the level before it reached nobody' }),
  targets: Type.Array(Type.String(), { description: 'Names of the contacts, rotations and channels paged' }),
  state: Type.Enum(PAGED_LEVEL_STATES, { description: 'paging: deliveries still under way; reached: at least one was accepted; unreached: none was' }),
  summary: Type.String({ description: 'Who was reached and how, who was not and why, in words' }),
  reached: Type.Array(ReachedRecipient),
  notReached: Type.Array(UnreachedRecipient),
  pagedAt: Timestamp,
  settledAt: NullableTimestamp,
});
export type PagedLevel = Static<typeof PagedLevel>;

/** Who the incident's escalation (since its trigger or last reopen) reached. */
export const Paging = Type.Object({
  /** The last level of the escalation policy was paged and reached nobody: nobody is left to page. */
  unreachable: Type.Boolean(),
  /** At least one level reached somebody. */
  reachedAnyone: Type.Boolean(),
  levels: Type.Array(PagedLevel),
});
export type Paging = Static<typeof Paging>;

export const Incident = Type.Object({
  id: Uuid,
  title: Type.String(),
  severity: Type.Enum(SEVERITIES),
  state: Type.Enum(STATES),
  groupKey: NullableString,
  service: NullableString,
  category: NullableString,
  assigneeId: NullableUuid,
  commanderId: NullableUuid,
  autoResolve: Type.Boolean(),
  escalationPolicyId: NullableUuid,
  /** When the next escalation level is paged if nobody acknowledges; null when none is left. */
  nextPageAt: NullableTimestamp,
  paging: Paging,
  runbook: Type.Union([RunbookRef, Type.Null()]),
  sla: Type.Object({
    responseMinutes: Type.Integer(),
    resolutionMinutes: Type.Integer(),
    ackDueAt: Timestamp,
    resolveDueAt: Timestamp,
    response: SlaOutcome,
    resolution: SlaOutcome,
  }),
  triggeredAt: Timestamp,
  acknowledgedAt: NullableTimestamp,
  mitigatedAt: NullableTimestamp,
  resolvedAt: NullableTimestamp,
  closedAt: NullableTimestamp,
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Incident = Static<typeof Incident>;

/**
 * A deployment of the incident's service that was under way when the
 * incident opened, or finished within the 30 minutes before, or ran while it
 * was open: the first suspect of a responder.
 */
export const ServiceChange = Type.Object({
  deploymentId: Uuid,
  service: Type.String(),
  version: Type.String(),
  stableVersion: Type.String(),
  strategy: NullableString,
  state: Type.String({ description: "The deployment's state: progressing, paused, aborting, rolling_back, succeeded, aborted, failed, rolled_back" }),
  /** Still moving or waiting: it can be aborted (or, while rolling out, rolled back) from the deployments API. */
  inProgress: Type.Boolean(),
  /** Percent of traffic on the new version. */
  weight: Type.Integer(),
  /** When traffic reached that weight. */
  weightAt: Timestamp,
  /** The deployment's latest event, e.g. "Traffic: v1 75 %, v2 25 %". */
  summary: Type.String(),
  startedAt: Timestamp,
  at: Timestamp,
  finishedAt: NullableTimestamp,
});
export type ServiceChange = Static<typeof ServiceChange>;

/** One incident as `GET /incidents/:id` shows it: with the changes to its service around it. */
export const IncidentDetail = Type.Object({ ...Incident.properties, changes: Type.Array(ServiceChange) });
export type IncidentDetail = Static<typeof IncidentDetail>;

export const TimelineEvent = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  kind: Type.String({ description: 'alert.fired, alert.joined, alert.refired, alert.resolved, alert.reopened, alert.recurred, state, severity, note, assignment, page, escalation, page.reached, page.unreachable, page.failed, notification.sent, notification.failed, notification.skipped, run.created, run.step, run.closed, change.deployment, approval.requested, approval.granted, sla.breach, postmortem' }),
  actor: Type.String(),
  summary: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type TimelineEvent = Static<typeof TimelineEvent>;

export const INCIDENT_SORTS = ['triggeredAt', 'resolvedAt', 'severity', 'duration'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
/** Free text is matched as a substring; longer than this names no title or label anyone searches for. */
export const SEARCH_MAX = 200;

/** `GET /api/v1/incidents`. Repeat a parameter for several values: `state=resolved&state=closed`. */
export const IncidentListQuery = Type.Object(
  {
    ...PageQuery,
    state: Type.Optional(Type.Array(Type.Enum(STATES), { maxItems: STATES.length, description: 'Any of these states; repeat for several' })),
    severity: Type.Optional(Type.Array(Type.Enum(SEVERITIES), { maxItems: SEVERITIES.length, description: 'Any of these severities; repeat for several' })),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The service, exactly' })),
    assigneeId: Type.Optional(Type.Union([Uuid, Type.Literal('unassigned')], { description: "A user's id, or `unassigned` for incidents nobody has" })),
    from: Type.Optional(Type.String({ format: 'date-time', pattern: TIMESTAMP_YEARS_PATTERN, description: 'Triggered at or after this time' })),
    to: Type.Optional(Type.String({ format: 'date-time', pattern: TIMESTAMP_YEARS_PATTERN, description: 'Triggered before this time' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: SEARCH_MAX,
        description: "Text in the title, or in a linked alert's label values or summary (case-insensitive substring)",
      }),
    ),
    sort: Type.Optional(
      Type.Enum(INCIDENT_SORTS, {
        description:
          'triggeredAt (default); resolvedAt and duration (trigger to resolve) put unresolved incidents last; severity: desc puts P1 first. Ties go by trigger time, then id, in the same order',
      }),
    ),
    order: Type.Optional(Type.Enum(SORT_ORDERS, { description: 'desc (default): newest, longest, most severe first' })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const POSTMORTEM_STATUSES = ['draft', 'edited'] as const;
/** Where an incident's post-mortem stands: the generated draft (version 0), or its latest saved edit. */
export const PostmortemState = Type.Object({
  status: Type.Enum(POSTMORTEM_STATUSES),
  version: Type.Integer(),
  editedBy: NullableString,
  updatedAt: NullableTimestamp,
});

/** An incident as the history lists it: the incident, its duration and its post-mortem's state. */
export const IncidentListItem = Type.Object({
  ...Incident.properties,
  /** Trigger to resolve; null while unresolved. */
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  postmortem: PostmortemState,
});
export type IncidentListItem = Static<typeof IncidentListItem>;

export const PostmortemSummary = Type.Object({
  incidentId: Uuid,
  title: Type.String(),
  severity: Type.Enum(SEVERITIES),
  state: Type.Enum(STATES),
  service: NullableString,
  triggeredAt: Timestamp,
  resolvedAt: NullableTimestamp,
  ...PostmortemState.properties,
});
export type PostmortemSummary = Static<typeof PostmortemSummary>;

export const PostmortemListQuery = Type.Object(
  { ...PageQuery, status: Type.Optional(Type.Enum(POSTMORTEM_STATUSES, { description: 'draft: never edited; edited: saved at least once' })) },
  { additionalProperties: false },
);
export const TimelineQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const CreateIncidentBody = Type.Object(
  {
    title: Title,
    severity: Type.Enum(SEVERITIES),
    service: Type.Optional(Name),
    category: Type.Optional(Type.Enum(CATEGORIES)),
    runbook: Type.Optional(Type.Object({ slug: Name, procedureId: Name }, { additionalProperties: false })),
    escalationPolicyId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type CreateIncidentBody = Static<typeof CreateIncidentBody>;

/** Ack and resolve have their own routes (the contract's paths); PATCH moves to the other states. */
export const PatchIncidentBody = Type.Object(
  {
    title: Type.Optional(Title),
    severity: Type.Optional(Type.Enum(SEVERITIES)),
    assigneeId: Type.Optional(NullableUuid),
    commanderId: Type.Optional(NullableUuid),
    state: Type.Optional(Type.Union([Type.Literal('mitigated'), Type.Literal('closed'), Type.Literal('triggered')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchIncidentBody = Static<typeof PatchIncidentBody>;

export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false });

/** The parameters of `POST /api/v1/runs`, secret ones included; the incident names the runbook, version and procedure. */
export const IncidentRunBody = Type.Union([
  Type.Object(
    {
      parameters: CreateRunBody.properties.parameters,
      secretParameters: CreateRunBody.properties.secretParameters,
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
export type IncidentRunBody = Static<typeof IncidentRunBody>;

export const Postmortem = Type.Object({
  incidentId: Uuid,
  version: Type.Integer({ description: '0: the generated draft, never edited' }),
  generated: Type.Boolean(),
  markdown: Type.String(),
  editedBy: NullableString,
  updatedAt: NullableTimestamp,
});
export type Postmortem = Static<typeof Postmortem>;

export const PutPostmortemBody = Type.Object(
  { markdown: Type.String({ minLength: 1, maxLength: 500_000 }), baseVersion: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
