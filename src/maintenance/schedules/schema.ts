import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery } from '../../platform/http/schemas.js';

export const MISSED_POLICIES = ['run-once', 'skip'] as const;
export type MissedPolicy = (typeof MISSED_POLICIES)[number];
export const RUN_TRIGGERS = ['due', 'catch-up', 'manual', 'missed'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export const RUN_STATUSES = ['queued', 'running', 'ok', 'failed', 'missed', 'cancelled'] as const;
export type ScheduleRunStatus = (typeof RUN_STATUSES)[number];

const Uuid = Type.String({ format: 'uuid' });
const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f]+$' });
const Description = Type.String({ maxLength: 1000 });
/** Checked again, field by field, by the service (cron.ts): the pattern only keeps control characters out of error messages. */
const Cron = Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f]+$', description: 'Five-field cron: minute hour day-of-month month day-of-week' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. UTC or Europe/Berlin' });
const TaskKey = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9.-]*$', description: 'A built-in task key (GET /api/v1/schedules/tasks)' });
const RunbookRef = Type.String({ minLength: 1, maxLength: 200, description: 'Runbook id or slug' });
const ProcedureRef = Type.String({ minLength: 1, maxLength: 300, description: 'Procedure id from the parsed runbook' });
const ParamName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' });
const Parameters = Type.Record(ParamName, Type.String({ maxLength: 4096 }), { additionalProperties: false, maxProperties: 200 });
const OwnerRef = Type.String({ minLength: 1, maxLength: 100, description: 'Username or user id; default: whoever creates it' });

/** What create and update both take as optional, with the same meaning. */
const OptionalFields = {
  timeZone: Type.Optional(TimeZone),
  task: Type.Optional(TaskKey),
  runbook: Type.Optional(RunbookRef),
  procedure: Type.Optional(ProcedureRef),
  parameters: Type.Optional(Parameters),
  owner: Type.Optional(OwnerRef),
  missedPolicy: Type.Optional(Type.Enum(MISSED_POLICIES, { description: 'After downtime over a due time: run once when back, or record it as missed' })),
};

export const CreateScheduleBody = Type.Object(
  { name: Name, description: Type.Optional(Description), cron: Cron, enabled: Type.Optional(Type.Boolean({ description: 'Default: true' })), ...OptionalFields },
  { additionalProperties: false },
);
export type CreateScheduleBody = Static<typeof CreateScheduleBody>;

export const UpdateScheduleBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Type.Union([Description, Type.Null()])),
    cron: Type.Optional(Cron),
    enabled: Type.Optional(Type.Boolean()),
    ...OptionalFields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateScheduleBody = Static<typeof UpdateScheduleBody>;

export const ScheduleRun = Type.Object({
  id: Uuid,
  scheduleId: Uuid,
  trigger: Type.Enum(RUN_TRIGGERS),
  dueAt: NullableTimestamp,
  status: Type.Enum(RUN_STATUSES),
  requestedBy: Type.String(),
  startedAt: NullableTimestamp,
  finishedAt: NullableTimestamp,
  progress: Type.Union([Type.Object({ fraction: Type.Union([Type.Number(), Type.Null()]), message: Type.String() }), Type.Null()]),
  summary: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  runbookRunId: Type.Union([Uuid, Type.Null()]),
  notification: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ScheduleRun = Static<typeof ScheduleRun>;

export const Schedule = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  cron: Type.String(),
  timeZone: Type.String(),
  targetKind: Type.Enum(['task', 'runbook']),
  task: Type.Union([Type.String(), Type.Null()]),
  /** Title of the task or procedure, for lists. */
  targetTitle: Type.String(),
  runbookId: Type.Union([Uuid, Type.Null()]),
  runbook: Type.Union([Type.String(), Type.Null()]),
  procedure: Type.Union([Type.String(), Type.Null()]),
  parameters: Type.Record(Type.String(), Type.String()),
  owner: Type.Object({ id: Uuid, username: Type.String() }),
  enabled: Type.Boolean(),
  missedPolicy: Type.Enum(MISSED_POLICIES),
  nextDueAt: NullableTimestamp,
  lastRun: Type.Union([ScheduleRun, Type.Null()]),
  /** Imported from the built-in runbook's Maintenance Tasks. */
  seeded: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Schedule = Static<typeof Schedule>;

export const BuiltInTaskView = Type.Object({ key: Type.String(), title: Type.String(), description: Type.String() });

export const ScheduleListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const RunListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
