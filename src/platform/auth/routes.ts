import { Type } from 'typebox';
import type { Config } from '../config.js';
import { NotAllowedError } from '../errors.js';
import { decodeCursor, ErrorResponse, IdParams, NoBody, Page, toPage } from '../http/schemas.js';
import { SharedReads } from '../http/shared-reads.js';
import type { App, Principal } from '../http/types.js';
import {
  ApiToken,
  ChangePasswordBody,
  CreatedToken,
  CreateTokenBody,
  CreateUserBody,
  LoginBody,
  LoginResponse,
  Me,
  TokenListQuery,
  UpdateMeBody,
  UpdateUserBody,
  User,
  UserListQuery,
} from './schema.js';
import { toPublicToken, type AuthService } from './service.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };

function principalOf(request: { principal: Principal | null }): Principal {
  // access != 'public' guarantees it; this only satisfies the type checker.
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
}

export function authRoutes(app: App, options: { auth: AuthService; config: Config }): void {
  const sharedReads = new SharedReads();
  const { auth, config } = options;

  app.post(
    '/api/v1/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in; returns a bearer JWT', body: LoginBody, response: { 200: LoginResponse, ...errors } },
      config: {
        access: 'public',
        audit: 'auth.login',
        rateLimit: { max: config.loginRateLimit.max, timeWindow: config.loginRateLimit.windowSeconds * 1000 },
      },
      preValidation: async (request) => {
        const name = (request.body as { username?: unknown } | undefined)?.username;
        if (typeof name === 'string') request.auditActor = name.slice(0, 63);
      },
    },
    async (request) => {
      const result = await auth.login(request.body.username, request.body.password);
      request.auditTarget = result.user.id;
      return result;
    },
  );

  app.get(
    '/api/v1/me',
    { schema: { tags: ['auth'], summary: 'The caller', response: { 200: Me, ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const principal = principalOf(request);
      const user = await auth.getUser(principal.userId);
      return { user, via: principal.via, role: principal.role, ...(principal.tokenId ? { tokenId: principal.tokenId } : {}) };
    },
  );

  app.patch(
    '/api/v1/me',
    {
      schema: { tags: ['auth'], summary: 'Change your display name or e-mail', body: UpdateMeBody, response: { 200: User, ...errors } },
      config: { access: 'viewer', audit: 'user.update_self' },
    },
    async (request) => {
      const principal = principalOf(request);
      request.auditTarget = principal.userId;
      return auth.updateUser(principal.userId, request.body);
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password; signs out your other sessions',
        body: ChangePasswordBody,
        response: { 204: Type.Null(), ...errors },
      },
      config: { access: 'viewer', audit: 'user.change_password' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      request.auditTarget = principal.userId;
      await auth.changeOwnPassword(principal, request.body.currentPassword, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/users',
    {
      schema: { tags: ['users'], summary: 'List users', querystring: UserListQuery, response: { 200: Page(User), ...errors } },
      config: { access: 'admin' },
    },
    async (request, reply) => {
      const limit = request.query.limit ?? 50;
      const after = decodeCursor(request.query.cursor, ['string']);
      // Admins all see the same page: concurrent identical requests share one read,
      // and a read that finds the users table unchanged answers with the page it last built.
      return sharedReads.versionedJson(reply, `users:${limit}:${request.query.cursor ?? ''}`, async (knownVersion) => {
        const { version, users } = await auth.listUsers(limit, (after?.[0] as string | undefined) ?? null, knownVersion);
        return { version, value: users && toPage(users, limit, (row) => row, (row) => [row.username]) };
      });
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: { tags: ['users'], summary: 'Create a user', body: CreateUserBody, response: { 201: User, ...errors } },
      config: { access: 'admin', audit: 'user.create' },
    },
    async (request, reply) => {
      request.auditDetails = { username: request.body.username, role: request.body.role };
      const user = await auth.createUser(request.body);
      request.auditTarget = user.id;
      return reply.status(201).send(user);
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      schema: { tags: ['users'], summary: 'One user', params: IdParams, response: { 200: User, ...errors } },
      config: { access: 'admin' },
    },
    async (request) => auth.getUser(request.params.id),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change role, disable, rename or reset the password of a user',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User, ...errors },
      },
      config: { access: 'admin', audit: 'user.update' },
    },
    async (request) => {
      const { password, ...visible } = request.body;
      request.auditDetails = { ...visible, ...(password !== undefined ? { passwordReset: true } : {}) };
      return auth.updateUser(request.params.id, request.body);
    },
  );

  app.post(
    '/api/v1/users/:id/sessions/revoke',
    {
      schema: {
        tags: ['users'],
        summary: 'Sign a user out everywhere (session JWTs; API tokens are revoked one by one)',
        params: IdParams,
        body: NoBody,
        response: { 204: Type.Null(), ...errors },
      },
      config: { access: 'admin', audit: 'user.revoke_sessions' },
    },
    async (request, reply) => {
      await auth.revokeSessions(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Your API tokens (scope=all: everyone\'s, admin only)',
        querystring: TokenListQuery,
        response: { 200: Page(ApiToken), ...errors },
      },
      config: { access: 'viewer' },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = decodeCursor(request.query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await auth.listTokens(principalOf(request), request.query.scope ?? 'mine', limit, after);
      return toPage(rows, limit, toPublicToken, (row) => [row.createdAt.toISOString(), row.id]);
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the token is shown once',
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...errors },
      },
      config: { access: 'viewer', audit: 'token.create' },
    },
    async (request, reply) => {
      request.auditDetails = { name: request.body.name, role: request.body.role ?? principalOf(request).role };
      const created = await auth.createToken(principalOf(request), request.body);
      request.auditTarget = created.info.id;
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 200: ApiToken, ...errors } },
      config: { access: 'viewer', audit: 'token.revoke' },
    },
    async (request) => auth.revokeToken(principalOf(request), request.params.id),
  );
}
