import { Type, type Static } from 'typebox';
import { NullableTimestamp, Timestamp } from '../../platform/http/schemas.js';

/** Validated again by the service (the id pattern), so a hostile value gets a 400 that names it. */
export const BackupIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80, description: 'A backup id, or `latest`' }) }, { additionalProperties: false });
export type BackupIdParams = Static<typeof BackupIdParams>;

export const Backup = Type.Object(
  {
    id: Type.String(),
    target: Type.String(),
    location: Type.String(),
    engine: Type.String(),
    format: Type.String(),
    createdAt: Timestamp,
    createdBy: Type.String(),
    sizeBytes: Type.Integer(),
    sha256: Type.String(),
    schemaVersion: Type.String(),
    rowCounts: Type.Record(Type.String(), Type.Integer()),
    verifiedAt: NullableTimestamp,
    verifyOk: Type.Union([Type.Boolean(), Type.Null()]),
    verifyMessage: Type.Union([Type.String(), Type.Null()]),
    drilledAt: NullableTimestamp,
    drillSeconds: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const BackupList = Type.Object({ items: Type.Array(Backup), next: Type.Null() }, { additionalProperties: false });

export const VerifyReport = Type.Object(
  {
    id: Type.String(),
    ok: Type.Boolean(),
    outcome: Type.Union([Type.Literal('verified'), Type.Literal('corrupt'), Type.Literal('mismatch'), Type.Literal('failed')]),
    problems: Type.Array(Type.String()),
    checks: Type.Object({ checksum: Type.Boolean(), rowCounts: Type.Union([Type.Boolean(), Type.Null()]), schema: Type.Union([Type.Boolean(), Type.Null()]) }),
    tables: Type.Array(Type.Object({ table: Type.String(), expected: Type.Integer(), restored: Type.Union([Type.Integer(), Type.Null()]) })),
    schemaVersion: Type.Union([Type.String(), Type.Null()]),
    restoreSeconds: Type.Union([Type.Number(), Type.Null()]),
    verifiedAt: Timestamp,
  },
  { additionalProperties: false },
);

export const RestoreBody = Type.Object(
  { confirm: Type.String({ maxLength: 80, description: 'The backup id again (the same text as in the path): a restore replaces every row' }) },
  { additionalProperties: false },
);
export type RestoreBody = Static<typeof RestoreBody>;

export const RetentionResult = Type.Object({ kept: Type.Array(Type.String()), deleted: Type.Array(Type.String()) }, { additionalProperties: false });

export const MaintenanceStatus = Type.Object(
  {
    active: Type.Boolean(),
    reason: Type.Union([Type.String(), Type.Null()]),
    startedBy: Type.Union([Type.String(), Type.Null()]),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    failed: Type.Boolean(),
  },
  { additionalProperties: false },
);
