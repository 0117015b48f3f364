import { Type, type Static } from 'typebox';

/**
 * The remote-runner protocol (ADR 0004, "Remote runners"): what `nexus
 * runner` agents send and receive. The agent imports these as types only.
 */

const Uuid = Type.String({ format: 'uuid' });

/** Same alphabet as NEXUS_LOCAL_RUNNER_LABELS and the `runner=` annotation. */
export const LABEL_KEY = '^[A-Za-z0-9_./-]{1,63}$';
export const LABEL_VALUE = '^[A-Za-z0-9_./-]{0,63}$';
export const RUNNER_ID = '^[A-Za-z0-9][A-Za-z0-9_.:@/-]{0,127}$';
/** A long-poll must end before common proxy read timeouts (nginx: 60 s). */
export const MAX_LEASE_WAIT_MS = 30_000;
export const DEFAULT_LEASE_WAIT_MS = 25_000;
/** One output chunk; the agent sends batches of about 64 KiB. */
export const MAX_CHUNK_CHARS = 256 * 1024;
export const MAX_VARIABLE_CHARS = 256 * 1024;

export const Labels = Type.Record(Type.String({ pattern: LABEL_KEY }), Type.String({ pattern: LABEL_VALUE }), {
  additionalProperties: false,
  maxProperties: 32,
});

export const INSTANCE = '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$';

export const LeaseBody = Type.Object(
  {
    instance: Type.Optional(
      Type.String({
        pattern: INSTANCE,
        description: 'Which process of this runner asks (the agent sends its pid); steps and the audit log show `<runner name>:<instance>`',
      }),
    ),
    waitMs: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_LEASE_WAIT_MS, description: `How long to wait for a step (default ${DEFAULT_LEASE_WAIT_MS})` }),
    ),
  },
  {
    additionalProperties: false,
    description: 'The runner is known by its credential; its name and labels were assigned by an admin at enrolment and are not sent.',
  },
);
export type LeaseBody = Static<typeof LeaseBody>;

/** Fields older agents sent, each refused with its own reason (not a generic "additional property"). */
export const CLAIMED_IDENTITY_FIELDS: Record<string, string> = {
  labels: 'labels are assigned to a runner by an admin at enrolment (`nexus runners enrol --label …`); a runner cannot claim them',
  name: 'a runner\'s name is assigned at enrolment; a runner cannot claim one',
  runnerId: 'a runner is known by its credential, not by a runnerId it sends (send `instance` to tell its processes apart)',
};

export const NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$';

export const RunnerSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')], {
      description: 'pending: enrolment token not used yet; expired: not used in time',
    }),
    credentialPrefix: Type.Union([Type.String(), Type.Null()], { description: 'First characters of the credential, to tell runners apart' }),
    createdBy: Type.Union([Uuid, Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    enrolmentExpiresAt: Type.String({ format: 'date-time' }),
    enrolledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastSeenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Runner' },
);

export const CreateEnrolmentBody = Type.Object(
  {
    name: Type.String({ pattern: NAME, description: 'How runs and the audit log name the runner; unique among runners not revoked' }),
    labels: Labels,
    expiresInMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60, default: 60, description: 'How long the token may be used (default 60)' })),
  },
  { additionalProperties: false },
);

export const CreatedEnrolment = Type.Object({
  enrolmentToken: Type.String({ description: 'Shown once; usable once, before it expires. Only its hash is stored.' }),
  runner: RunnerSchema,
});

export const EnrolBody = Type.Object({ enrolmentToken: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const EnrolResponse = Type.Object({
  credential: Type.String({ description: 'The runner\'s own bearer credential (nxr_…), shown once. Only its hash is stored.' }),
  runner: RunnerSchema,
});

export const RunnerSelf = Type.Object({ id: Uuid, name: Type.String(), labels: Type.Record(Type.String(), Type.String()) });

/** Everything the agent needs to run one command: `StepLease` of the runs queue. */
export const StepLeaseSchema = Type.Object({
  leaseId: Uuid,
  stepId: Uuid,
  runId: Uuid,
  incidentId: Type.Union([Uuid, Type.Null()]),
  commandId: Type.String(),
  attempt: Type.Integer(),
  script: Type.String({ description: 'The command with placeholders rewritten to environment references' }),
  env: Type.Record(Type.String(), Type.String(), { description: 'Parameters and captured variables, secret ones opened' }),
  secrets: Type.Array(Type.String(), { description: 'Values to redact from the output' }),
  assigns: Type.Array(Type.String()),
  timeoutSeconds: Type.Integer(),
  followStyle: Type.Boolean(),
  expect: Type.Union([Type.String(), Type.Null()]),
  leaseSeconds: Type.Integer({ description: 'Heartbeat well within this (the agent beats every third of it)' }),
});

export const RunnerStepParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const HeartbeatBody = Type.Object({ leaseId: Uuid }, { additionalProperties: false });
export const HeartbeatResponse = Type.Object({
  held: Type.Boolean(),
  cancelRequested: Type.Boolean({ description: 'Someone asked to cancel: kill the process group and report `cancelled`' }),
});

export const OutputChunk = Type.Object(
  {
    stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
    text: Type.String({ maxLength: MAX_CHUNK_CHARS }),
    offset: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Byte offset in everything the command wrote' }),
  },
  { additionalProperties: false },
);
export type OutputChunk = Static<typeof OutputChunk>;

export const OutputBody = Type.Object(
  { leaseId: Uuid, chunks: Type.Array(OutputChunk, { maxItems: 1000 }) },
  { additionalProperties: false },
);

export const COMPLETION_OUTCOMES = ['exited', 'timed-out', 'stopped-at-timeout', 'cancelled', 'failed-to-start', 'abandoned'] as const;

export const CompleteBody = Type.Object(
  {
    leaseId: Uuid,
    outcome: Type.Enum(COMPLETION_OUTCOMES),
    exitCode: Type.Union([Type.Integer({ minimum: -2147483648, maximum: 2147483647 }), Type.Null()]),
    signal: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
    durationMs: Type.Integer({ minimum: 0, maximum: 366 * 24 * 3600 * 1000 }),
    expectMet: Type.Union([Type.Boolean(), Type.Null()]),
    error: Type.Union([Type.String({ maxLength: 4096 }), Type.Null()]),
    variables: Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' }), Type.String({ maxLength: MAX_VARIABLE_CHARS }), {
      additionalProperties: false,
      maxProperties: 200,
    }),
  },
  { additionalProperties: false },
);
export type CompleteBody = Static<typeof CompleteBody>;

export const CompleteResponse = Type.Object({
  accepted: Type.Boolean(),
  state: Type.String(),
  droppedVariables: Type.Array(Type.String(), { description: 'Reported variables not kept: not declared by the command, reserved, or a secret parameter' }),
});
