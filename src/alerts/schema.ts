import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../platform/http/schemas.js';

export const SEVERITIES = ['P1', 'P2', 'P3'] as const;
export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export const ALERT_STATUSES = ['firing', 'resolved'] as const;
export const SILENCE_KINDS = ['silence', 'maintenance'] as const;

const Uuid = Type.String({ format: 'uuid' });
const NullableUuid = Type.Union([Uuid, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
/** Prometheus label names; values are free text but bounded. */
const LabelName = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });
/**
 * Names 1–200 characters, values up to 4,096. Written out: `Type.Record` emits its key schema as
 * `patternProperties: {"^.*$": …}` and drops the key's length limits, so an empty name got through.
 */
const LabelMap = Type.Unsafe<Record<string, string>>({
  type: 'object',
  propertyNames: { type: 'string', minLength: 1, maxLength: 200 },
  additionalProperties: { type: 'string', maxLength: 4096 },
  maxProperties: 100,
});
const Status = Type.Enum(ALERT_STATUSES);
const Severity = Type.Enum(SEVERITIES);
/** Alertmanager writes RFC 3339 with nanoseconds and `0001-01-01T00:00:00Z` for "not ended". */
const AmTime = Type.String({ maxLength: 64 });

export const Matcher = Type.Object(
  { name: LabelName, op: Type.Enum(MATCH_OPS), value: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);
export type Matcher = Static<typeof Matcher>;
const Matchers = Type.Array(Matcher, { maxItems: 50 });

/**
 * Alertmanager's webhook v4 body. Objects are open (additionalProperties
 * allowed) because Alertmanager adds fields across versions (`truncatedAlerts`
 * came in 0.24); only what NEXUS reads is required.
 */
export const AlertmanagerAlert = Type.Object({
  status: Status,
  labels: LabelMap,
  annotations: Type.Optional(LabelMap),
  startsAt: Type.Optional(AmTime),
  endsAt: Type.Optional(AmTime),
  generatorURL: Type.Optional(Type.String({ maxLength: 4096 })),
  fingerprint: Type.Optional(Type.String({ maxLength: 200 })),
});
export const AlertmanagerPayload = Type.Object({
  version: Type.Optional(Type.String({ maxLength: 10 })),
  groupKey: Type.String({ minLength: 1, maxLength: 4096 }),
  status: Status,
  receiver: Type.Optional(Type.String({ maxLength: 500 })),
  groupLabels: Type.Optional(LabelMap),
  commonLabels: Type.Optional(LabelMap),
  commonAnnotations: Type.Optional(LabelMap),
  externalURL: Type.Optional(Type.String({ maxLength: 4096 })),
  truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
  alerts: Type.Array(AlertmanagerAlert, { minItems: 1, maxItems: 5000 }),
});
export type AlertmanagerPayload = Static<typeof AlertmanagerPayload>;

export const GenericAlert = Type.Object(
  {
    labels: LabelMap,
    annotations: Type.Optional(LabelMap),
    status: Type.Optional(Status),
    startsAt: Type.Optional(Timestamp),
    endsAt: Type.Optional(Timestamp),
    fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    groupKey: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    generatorURL: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type GenericAlert = Static<typeof GenericAlert>;
export const GenericPayload = Type.Union([GenericAlert, Type.Array(GenericAlert, { minItems: 1, maxItems: 5000 })]);

/** Only the receivers accept `?token=` (see config.tokenInQuery); nothing else may be in the query. */
export const ReceiverQuery = Type.Object(
  { token: Type.Optional(Type.String({ maxLength: 8192, description: 'API token, for senders that cannot set headers' })) },
  { additionalProperties: false },
);

export const ReceiveResult = Type.Object({
  received: Type.Integer(),
  firing: Type.Integer(),
  resolved: Type.Integer(),
  silenced: Type.Integer(),
  incidents: Type.Array(Uuid),
  resolvedIncidents: Type.Array(Type.Object({ id: Uuid, title: Type.String() }), {
    description: "Incidents this delivery resolved: their last firing alert resolved (and their policy resolves them by themselves)",
  }),
});

export const Alert = Type.Object({
  id: Uuid,
  fingerprint: Type.String(),
  source: Type.String(),
  status: Status,
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  groupKey: Type.String(),
  severity: Type.Union([Severity, Type.Null()]),
  ruleId: NullableUuid,
  silencedBy: NullableUuid,
  incidentId: NullableUuid,
  startsAt: Timestamp,
  endsAt: NullableTimestamp,
  generatorURL: NullableString,
  count: Type.Integer(),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  resolvedAt: NullableTimestamp,
});
export type Alert = Static<typeof Alert>;

export const AlertListQuery = Type.Object(
  {
    ...PageQuery,
    state: Type.Optional(Status),
    severity: Type.Optional(Severity),
    fingerprint: Type.Optional(Type.String({ maxLength: 200 })),
    incident: Type.Optional(Type.String({ format: 'uuid', description: 'Only the alerts ever linked to this incident (404 if there is no such incident)' })),
  },
  { additionalProperties: false },
);

const RunbookTarget = Type.Object(
  { slug: Type.String({ minLength: 1, maxLength: 200 }), procedureId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const RuleFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  position: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  matchers: Matchers,
  severity: Type.Union([Severity, Type.Null()], {
    description: "null: the alert's own `severity` label decides (critical/page/P1 → P1, warning/P2 → P2, info/P3 → P3; NEXUS_ALERT_SEVERITY_MAP)",
  }),
  title: Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()]),
  service: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
  runbook: Type.Union([RunbookTarget, Type.Null()]),
  escalationPolicy: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
  category: Type.Union([Type.Literal('security'), Type.Null()]),
};
export const RoutingRule = Type.Object({ id: Uuid, ...RuleFields, createdAt: Timestamp, updatedAt: Timestamp });
export type RoutingRule = Static<typeof RoutingRule>;
export const CreateRuleBody = Type.Object(
  {
    name: RuleFields.name,
    position: Type.Optional(RuleFields.position),
    matchers: RuleFields.matchers,
    severity: RuleFields.severity,
    title: Type.Optional(RuleFields.title),
    service: Type.Optional(RuleFields.service),
    runbook: Type.Optional(RuleFields.runbook),
    escalationPolicy: Type.Optional(RuleFields.escalationPolicy),
    category: Type.Optional(RuleFields.category),
  },
  { additionalProperties: false },
);
export type CreateRuleBody = Static<typeof CreateRuleBody>;
export const UpdateRuleBody = Type.Partial(CreateRuleBody, { additionalProperties: false, minProperties: 1 });
export type UpdateRuleBody = Static<typeof UpdateRuleBody>;

export const Silence = Type.Object({
  id: Uuid,
  kind: Type.Enum(SILENCE_KINDS),
  matchers: Matchers,
  startsAt: Timestamp,
  endsAt: Timestamp,
  comment: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  active: Type.Boolean(),
});
export type Silence = Static<typeof Silence>;
export const CreateSilenceBody = Type.Object(
  {
    kind: Type.Optional(Type.Enum(SILENCE_KINDS)),
    matchers: Type.Array(Matcher, { minItems: 1, maxItems: 50 }),
    startsAt: Type.Optional(Timestamp),
    endsAt: Timestamp,
    comment: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
export type CreateSilenceBody = Static<typeof CreateSilenceBody>;
export const SilenceListQuery = Type.Object(
  { ...PageQuery, active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
