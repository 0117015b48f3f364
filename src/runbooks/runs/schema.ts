import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../../platform/http/schemas.js';

export const STEP_STATES = [
  'pending',
  'awaiting-approval',
  'queued',
  'running',
  'succeeded',
  'failed',
  'timed-out',
  'cancelled',
  'skipped',
  'lost',
] as const;
export type StepState = (typeof STEP_STATES)[number];

/** `closed`: its incident was resolved before it finished (see `closedReason`). */
export const RUN_STATUSES = ['waiting', 'running', 'succeeded', 'failed', 'cancelled', 'closed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const Uuid = Type.String({ format: 'uuid' });
const NullableUuid = Type.Union([Uuid, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

/** Environment variable names: what `<affected-pod>` becomes (`AFFECTED_POD`). */
export const ParamName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' });
export const PARAM_VALUE_MAX_BYTES = 4096;
const ParamValue = Type.String({ maxLength: PARAM_VALUE_MAX_BYTES });
const ParamValues = Type.Record(ParamName, ParamValue, { additionalProperties: false, maxProperties: 200 });

/** A command id (`…-c1`) or a step id (all of its commands), as the parsed runbook names them. */
const StepKey = Type.String({ minLength: 1, maxLength: 300, pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$' });

export const CreateRunBody = Type.Object(
  {
    runbook: Type.String({ minLength: 1, maxLength: 200, description: 'Runbook id or slug' }),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Default: the latest version' })),
    procedure: Type.String({ minLength: 1, maxLength: 300, description: 'Procedure id from the parsed runbook' }),
    incidentId: Type.Optional(Uuid),
    parameters: Type.Optional(ParamValues),
    secretParameters: Type.Optional(Type.Array(ParamName, { maxItems: 200, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateRunBody = Static<typeof CreateRunBody>;

export const RunListQuery = Type.Object(
  {
    ...PageQuery,
    incidentId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum(RUN_STATUSES)),
  },
  { additionalProperties: false },
);

export const RunParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const StepParams = Type.Object({ id: Uuid, step: StepKey }, { additionalProperties: false });
export const CheckParams = Type.Object({ id: Uuid, check: StepKey }, { additionalProperties: false });

export const CheckBody = Type.Union([
  Type.Object({ checked: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  Type.Null(),
]);
export const RejectBody = Type.Union([
  Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
  Type.Null(),
]);
export const SecretsBody = Type.Object({ secrets: ParamValues }, { additionalProperties: false });

export const RunStep = Type.Object({
  id: Uuid,
  seq: Type.Integer(),
  commandId: Type.String(),
  stepId: Type.String(),
  title: Type.String(),
  description: NullableString,
  command: Type.String(),
  risk: Type.Union([Type.Literal('read'), Type.Literal('change'), Type.Literal('destructive')]),
  state: Type.Enum(STEP_STATES),
  attempt: Type.Integer(),
  requestedBy: NullableUuid,
  approvedBy: NullableUuid,
  runnerId: NullableString,
  selector: NullableString,
  timeoutSeconds: Type.Integer(),
  queuedAt: NullableTimestamp,
  startedAt: NullableTimestamp,
  finishedAt: NullableTimestamp,
  durationMs: NullableInteger,
  exitCode: NullableInteger,
  error: NullableString,
  cancelRequested: Type.Boolean(),
  outputBytes: Type.Integer(),
  outputTruncated: Type.Boolean(),
  outputExcerpt: Type.String({ description: 'The last ~2 KiB of the stored output' }),
});
export type RunStep = Static<typeof RunStep>;

export const RunCheck = Type.Object({
  id: Type.String(),
  text: Type.String(),
  checked: Type.Boolean(),
  checkedBy: NullableUuid,
  checkedAt: NullableTimestamp,
});
export type RunCheck = Static<typeof RunCheck>;

const RunCommon = {
  id: Uuid,
  runbook: Type.Object({ id: Uuid, slug: Type.String(), title: Type.String() }),
  version: Type.Integer(),
  procedureId: Type.String(),
  procedureTitle: Type.String(),
  incidentId: NullableUuid,
  status: Type.Enum(RUN_STATUSES),
  closedReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Set when the incident was resolved while the run was unfinished: its steps not started were skipped for this reason',
  }),
  parameters: Type.Record(Type.String(), Type.String(), { description: 'Secret values read "[secret]"' }),
  variables: Type.Record(Type.String(), Type.String(), { description: 'Captured from `assigns` commands; secret-looking ones read "[secret]"' }),
  createdBy: NullableUuid,
  createdAt: Timestamp,
  finishedAt: NullableTimestamp,
};

export const RunSummary = Type.Object(RunCommon);
export type RunSummary = Static<typeof RunSummary>;
export const Run = Type.Object({ ...RunCommon, steps: Type.Array(RunStep), checks: Type.Array(RunCheck) });
export type Run = Static<typeof Run>;

export const StepOutput = Type.Object({
  commandId: Type.String(),
  attempt: Type.Integer(),
  state: Type.String(),
  output: Type.String({ description: 'Redacted; head and tail with a marker when truncated' }),
  bytes: Type.Integer({ description: 'All bytes the command wrote, including dropped ones' }),
  truncated: Type.Boolean(),
});

export const StepsResponse = Type.Object({ steps: Type.Array(RunStep) });
