import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../http/schemas.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.js';
import { ROLES } from './roles.js';

export const RoleSchema = Type.Union(
  [Type.Literal('viewer'), Type.Literal('responder'), Type.Literal('operator'), Type.Literal('admin')],
  { description: 'viewer < responder < operator < admin' },
);
// The schema above must list exactly ROLES; fail at load if they drift apart.
if (RoleSchema.anyOf.map((s) => s.const).join() !== ROLES.join()) throw new Error('RoleSchema is out of step with ROLES');

export const Username = Type.String({
  minLength: 2,
  maxLength: 63,
  pattern: '^[a-z0-9][a-z0-9._-]*$',
  description: 'lowercase letters, digits, ".", "_" and "-"',
});
export const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH });
const DisplayName = Type.String({ minLength: 1, maxLength: 200 });
const Email = Type.String({ format: 'email', maxLength: 254 });

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    role: RoleSchema,
    disabled: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'User' },
);

export const LoginBody = Type.Object(
  {
    // Login accepts any name an old account might have; the policy applies to new ones.
    username: Type.String({ minLength: 1, maxLength: 63 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);
export const LoginResponse = Type.Object({ token: Type.String(), expiresAt: Timestamp, user: User });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    password: Password,
    role: RoleSchema,
    displayName: Type.Optional(DisplayName),
    email: Type.Optional(Email),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    disabled: Type.Optional(Type.Boolean()),
    displayName: Type.Optional(Type.Union([DisplayName, Type.Null()])),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    password: Type.Optional(Password),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UpdateMeBody = Type.Object(
  {
    displayName: Type.Optional(Type.Union([DisplayName, Type.Null()])),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }), newPassword: Password },
  { additionalProperties: false },
);

export const Me = Type.Object({
  user: User,
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  tokenId: Type.Optional(Type.String()),
  role: RoleSchema,
});

export const ApiToken = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    prefix: Type.String(),
    role: RoleSchema,
    ownerId: Type.String({ format: 'uuid' }),
    createdAt: Timestamp,
    expiresAt: NullableTimestamp,
    lastUsedAt: NullableTimestamp,
    revokedAt: NullableTimestamp,
  },
  { $id: 'ApiToken' },
);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Type.Optional(RoleSchema),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export const CreatedToken = Type.Object({
  token: Type.String({ description: 'Shown once; only its hash is stored.' }),
  info: ApiToken,
});

export const TokenListQuery = Type.Object(
  { ...PageQuery, scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('all')], { default: 'mine' })) },
  { additionalProperties: false },
);

export const UserListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
