import { Type, type Static } from 'typebox';
import { NullableTimestamp, Timestamp } from '../platform/http/schemas.js';
import { Contact, Name, Uuid } from './schema.js';

export const TARGET_TYPES = ['contact', 'rotation', 'channel'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** An incident category such as `security` (the incidents domain decides the vocabulary). */
export const Category = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' });

/** Who or what to notify; `whenCategory` limits it to incidents of that category. */
export const PolicyTarget = Type.Object(
  { type: Type.Enum(TARGET_TYPES), id: Uuid, whenCategory: Type.Optional(Category) },
  { additionalProperties: false },
);
export type PolicyTarget = Static<typeof PolicyTarget>;

export const RESPONSE_TIME = 'response-time';
/** Minutes after the trigger, or `response-time`: the incident's response-time SLA, supplied by the caller. */
export const LevelDelay = Type.Union([Type.Integer({ minimum: 0, maximum: 10_080 }), Type.Literal(RESPONSE_TIME)]);
export type LevelDelay = Static<typeof LevelDelay>;

export const EscalationLevel = Type.Object(
  { delay: LevelDelay, targets: Type.Array(PolicyTarget, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
export type EscalationLevel = Static<typeof EscalationLevel>;

const Levels = Type.Array(EscalationLevel, { minItems: 1, maxItems: 20 });
const AlwaysTargets = Type.Array(PolicyTarget, { maxItems: 50 });
const Description = Type.String({ maxLength: 2000 });

export const EscalationPolicy = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  levels: Type.Array(EscalationLevel),
  always: Type.Array(PolicyTarget),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EscalationPolicy = Static<typeof EscalationPolicy>;

export const CreatePolicyBody = Type.Object(
  { name: Name, description: Type.Optional(Description), levels: Levels, always: Type.Optional(AlwaysTargets) },
  { additionalProperties: false },
);
export type CreatePolicyBody = Static<typeof CreatePolicyBody>;

export const UpdatePolicyBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    levels: Type.Optional(Levels),
    always: Type.Optional(AlwaysTargets),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePolicyBody = Static<typeof UpdatePolicyBody>;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HandoffTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time HH:MM' });
/** IANA names (`Europe/Berlin`, `UTC`); the service also asks Intl whether it knows the zone. */
const TimeZone = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$' });
const Members = Type.Array(Uuid, { minItems: 1, maxItems: 100 });

export const RotationMember = Type.Object({ id: Uuid, name: Type.String() });

export const Override = Type.Object({
  id: Uuid,
  rotationId: Uuid,
  contact: RotationMember,
  startsAt: Timestamp,
  endsAt: Timestamp,
  reason: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Timestamp,
});
export type Override = Static<typeof Override>;

export const Rotation = Type.Object({
  id: Uuid,
  name: Type.String(),
  members: Type.Array(RotationMember),
  handoffWeekday: Type.Enum(WEEKDAYS),
  handoffTime: Type.String(),
  timezone: Type.String(),
  startDate: Type.String({ format: 'date' }),
  /** Current and future overrides (ended ones are history and left out). */
  overrides: Type.Array(Override),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Rotation = Static<typeof Rotation>;

export const CreateRotationBody = Type.Object(
  {
    name: Name,
    members: Members,
    handoffWeekday: Type.Enum(WEEKDAYS),
    handoffTime: HandoffTime,
    timezone: TimeZone,
    startDate: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type CreateRotationBody = Static<typeof CreateRotationBody>;

export const UpdateRotationBody = Type.Object(
  {
    name: Type.Optional(Name),
    members: Type.Optional(Members),
    handoffWeekday: Type.Optional(Type.Enum(WEEKDAYS)),
    handoffTime: Type.Optional(HandoffTime),
    timezone: Type.Optional(TimeZone),
    startDate: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRotationBody = Static<typeof UpdateRotationBody>;

export const CreateOverrideBody = Type.Object(
  {
    contactId: Uuid,
    startsAt: Timestamp,
    endsAt: Timestamp,
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CreateOverrideBody = Static<typeof CreateOverrideBody>;

export const OnCallQuery = Type.Object({ at: Type.Optional(Timestamp) }, { additionalProperties: false });

export const OnCall = Type.Object({
  rotationId: Uuid,
  at: Timestamp,
  contact: Type.Union([Contact, Type.Null()]),
  source: Type.Union([Type.Literal('schedule'), Type.Literal('override'), Type.Null()]),
  /** The current shift (or override) window; null bounds before the rotation starts, and `until` null past year 9999. */
  from: NullableTimestamp,
  until: NullableTimestamp,
});
export type OnCall = Static<typeof OnCall>;
