import { Type } from 'typebox';
import { InputError } from '../errors.js';
import { decodeCursor, ErrorResponse, Page, PageQuery, Timestamp, toPage } from '../http/schemas.js';
import type { App } from '../http/types.js';
import type { AuditService } from './service.js';

export const AuditEntrySchema = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    actor: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    target: Type.Union([Type.String(), Type.Null()]),
    targetLabel: Type.Union([Type.String(), Type.Null()], { description: "The target's name today (an incident's title, a channel's name); null when unknown or deleted" }),
    outcome: Type.String(),
    statusCode: Type.Union([Type.Integer(), Type.Null()]),
    requestId: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    details: Type.Unknown(),
  },
  { $id: 'AuditEntry' },
);

const AuditQuery = Type.Object(
  {
    ...PageQuery,
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'exact, or a prefix ending in "." such as "user."' })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    outcome: Type.Optional(
      Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('rejected'), Type.Literal('error')]),
    ),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export function auditRoutes(app: App, options: { audit: AuditService }): void {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, with filters',
        querystring: AuditQuery,
        response: { 200: Page(AuditEntrySchema), '4xx': ErrorResponse, '5xx': ErrorResponse },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const { limit = 50, cursor, since, until, ...filter } = request.query;
      const sinceDate = since ? new Date(since) : undefined;
      const untilDate = until ? new Date(until) : undefined;
      if (sinceDate && untilDate && sinceDate > untilDate) throw new InputError('query/since must not be after query/until');
      const after = decodeCursor(cursor, ['number']);
      const rows = await options.audit.list(
        { ...filter, since: sinceDate, until: untilDate, beforeId: after?.[0] as number | undefined },
        limit,
      );
      return toPage(rows, limit, (entry) => entry, (entry) => [entry.id]);
    },
  );
}
