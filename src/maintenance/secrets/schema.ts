import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../../platform/http/schemas.js';

/** 30 days: longer than any session lives (JWT_TTL_SECONDS at most), so a longer grace would mean nothing. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

export const RotateBody = Type.Object(
  {
    revokePrevious: Type.Optional(Type.Boolean({ description: 'Earlier keys verify nothing from now on: every session ends, the caller\'s included' })),
    graceSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_GRACE_SECONDS, description: 'How long earlier keys still verify (default NEXUS_SECRETS_GRACE_SECONDS, 24 h)' }),
    ),
    revokeApiTokens: Type.Optional(Type.Boolean({ description: 'Revoke every API token as well' })),
  },
  { additionalProperties: false },
);
export type RotateBody = Static<typeof RotateBody>;

export const Rotation = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    at: Timestamp,
    actor: Type.String(),
    mode: Type.Union([Type.Literal('grace'), Type.Literal('revoke')]),
    graceSeconds: Type.Union([Type.Integer(), Type.Null()]),
    /** Until when sessions and links signed before still verify; null in revoke mode. */
    verifiesUntil: NullableTimestamp,
    keyId: Type.String({ format: 'uuid', description: 'The new signing key\'s id (the `kid` of tokens it signs); never its value' }),
    keysRetired: Type.Integer(),
    sessionsRevoked: Type.Integer({ description: 'Users whose sessions ended' }),
    tokensRevoked: Type.Integer(),
    kubernetesSecret: Type.Boolean({ description: 'Whether the Kubernetes Secret was written too' }),
  },
  { additionalProperties: false },
);
export type Rotation = Static<typeof Rotation>;

export const RotationListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
