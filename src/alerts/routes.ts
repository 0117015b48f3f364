import { Type } from 'typebox';
import type { Clock } from '../platform/clock.js';
import { NotAllowedError } from '../platform/errors.js';
import { decodeCursor, ErrorResponse, IdParams, Page, toPage } from '../platform/http/schemas.js';
import { SharedReads } from '../platform/http/shared-reads.js';
import type { App } from '../platform/http/types.js';
import { fromAlertmanager, fromGeneric } from './receive.js';
import type { RoutingService } from './routing.js';
import { toRule } from './routing.js';
import {
  Alert,
  AlertListQuery,
  AlertmanagerPayload,
  CreateRuleBody,
  CreateSilenceBody,
  GenericPayload,
  ReceiveResult,
  ReceiverQuery,
  RoutingRule,
  Silence,
  SilenceListQuery,
  UpdateRuleBody,
} from './schema.js';
import { toSilence, type SilenceService } from './silences.js';
import { toAlert, type AlertViews } from './views.js';
import type { AlertIntake } from './intake.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };

export interface AlertRouteDeps {
  alerts: AlertIntake;
  views: AlertViews;
  routing: RoutingService;
  silences: SilenceService;
  clock: Clock;
}

/**
 * Receivers take the API token as a bearer header or as `?token=` (an
 * Alertmanager webhook_config cannot always set headers). Create one token per
 * sender (`nexus tokens create --role responder`) so each can be revoked alone.
 */
const receiverConfig = (audit: string) => ({ access: 'responder' as const, audit, auditFailuresOnly: true, tokenInQuery: 'token' as const });

export function receiverRoutes(app: App, deps: AlertRouteDeps): void {
  const sharedReads = new SharedReads();
  const tags = ['alerts'];
  app.post(
    '/api/v1/alerts/alertmanager',
    {
      schema: { tags, summary: 'Alertmanager webhook (v4); answers once the alerts are committed', querystring: ReceiverQuery, body: AlertmanagerPayload, response: { 200: ReceiveResult, ...errors } },
      config: receiverConfig('alert.receive'),
      // The answer is a few counts: nothing to compress, and no hook to pass through per webhook.
      compress: false,
    },
    async (request) => {
      const now = deps.clock();
      return deps.alerts.receive(fromAlertmanager(request.body, now), now);
    },
  );
  app.post(
    '/api/v1/alerts',
    {
      schema: { tags, summary: 'Generic alert receiver: one alert or an array', querystring: ReceiverQuery, body: GenericPayload, response: { 200: ReceiveResult, ...errors } },
      config: receiverConfig('alert.receive'),
      // The answer is a few counts: nothing to compress, and no hook to pass through per webhook.
      compress: false,
    },
    async (request) => {
      const now = deps.clock();
      return deps.alerts.receive(fromGeneric(request.body, now), now);
    },
  );
  app.get(
    '/api/v1/alerts',
    { schema: { tags, summary: 'Alerts, most recently started first', querystring: AlertListQuery, response: { 200: Page(Alert), ...errors } }, config: { access: 'viewer' } },
    async (request, reply) => {
      const { limit = 50, cursor, state, severity, fingerprint, incident } = request.query;
      const before = decodeCursor(cursor, ['timestamp', 'uuid']) as [string, string] | null;
      // Every viewer sees the same list: consoles refetching it on one event share the read.
      return sharedReads.json(reply, `alerts:${JSON.stringify(request.query)}`, async () => {
        const rows = await deps.views.list({ state, severity, fingerprint, incident, before }, limit);
        return toPage(rows, limit, toAlert, (row) => [row.startsAt.toISOString(), row.id]);
      });
    },
  );
}

export function ruleRoutes(app: App, deps: AlertRouteDeps): void {
  const tags = ['routing-rules'];
  const { routing } = deps;
  app.get(
    '/api/v1/routing-rules',
    { schema: { tags, summary: 'Routing rules in match order (first match wins)', response: { 200: Page(RoutingRule), ...errors } }, config: { access: 'viewer' } },
    async () => ({ items: (await routing.rules()).map(toRule), next: null }),
  );
  app.post(
    '/api/v1/routing-rules',
    { schema: { tags, summary: 'Add a routing rule', body: CreateRuleBody, response: { 201: RoutingRule, ...errors } }, config: { access: 'admin', audit: 'routing_rule.create' } },
    async (request, reply) => {
      request.auditDetails = { name: request.body.name };
      const rule = await routing.create(request.body);
      request.auditTarget = rule.id;
      return reply.status(201).send(rule);
    },
  );
  app.patch(
    '/api/v1/routing-rules/:id',
    { schema: { tags, summary: 'Change a routing rule', params: IdParams, body: UpdateRuleBody, response: { 200: RoutingRule, ...errors } }, config: { access: 'admin', audit: 'routing_rule.update' } },
    async (request) => {
      request.auditDetails = { fields: Object.keys(request.body) };
      return routing.update(request.params.id, request.body);
    },
  );
  app.delete(
    '/api/v1/routing-rules/:id',
    { schema: { tags, summary: 'Delete a routing rule', params: IdParams, response: { 204: Type.Null(), ...errors } }, config: { access: 'admin', audit: 'routing_rule.delete' } },
    async (request, reply) => {
      await routing.remove(request.params.id);
      return reply.status(204).send(null);
    },
  );
}

export function silenceRoutes(app: App, deps: AlertRouteDeps): void {
  const tags = ['silences'];
  const { silences } = deps;
  app.get(
    '/api/v1/silences',
    { schema: { tags, summary: 'Silences and maintenance windows, newest first', querystring: SilenceListQuery, response: { 200: Page(Silence), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const { limit = 50, cursor, active } = request.query;
      const before = decodeCursor(cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await silences.list(limit + 1, active, before);
      const now = silences.now();
      return toPage(rows, limit, (row) => toSilence(row, now), (row) => [row.createdAt.toISOString(), row.id]);
    },
  );
  app.post(
    '/api/v1/silences',
    { schema: { tags, summary: 'Silence alerts, or declare a maintenance window', body: CreateSilenceBody, response: { 201: Silence, ...errors } }, config: { access: 'responder', audit: 'silence.create' } },
    async (request, reply) => {
      if (!request.principal) throw new NotAllowedError('No caller');
      request.auditDetails = { kind: request.body.kind ?? 'silence', endsAt: request.body.endsAt };
      const silence = await silences.create(request.principal.username, request.body);
      request.auditTarget = silence.id;
      return reply.status(201).send(silence);
    },
  );
  app.delete(
    '/api/v1/silences/:id',
    { schema: { tags, summary: 'Expire a silence now (kept on record)', params: IdParams, response: { 204: Type.Null(), ...errors } }, config: { access: 'responder', audit: 'silence.expire' } },
    async (request, reply) => {
      await silences.expire(request.params.id);
      return reply.status(204).send(null);
    },
  );
}
