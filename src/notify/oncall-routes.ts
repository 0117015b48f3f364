import { toPage, ErrorResponse, IdParams, Page } from '../platform/http/schemas.js';
import type { App } from '../platform/http/types.js';
import {
  CreateOverrideBody,
  CreatePolicyBody,
  CreateRotationBody,
  EscalationPolicy,
  OnCall,
  OnCallQuery,
  Override,
  Rotation,
  UpdatePolicyBody,
  UpdateRotationBody,
} from './oncall-schema.js';
import { toPolicy, type OnCallService } from './oncall-service.js';
import { nameCursor } from './routes.js';
import { NameListQuery } from './schema.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };

export function rotationRoutes(app: App, oncall: OnCallService): void {
  const tags = ['on-call'];
  app.get(
    '/api/v1/rotations',
    { schema: { tags, summary: 'Weekly rotations by name', querystring: NameListQuery, response: { 200: Page(Rotation), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await oncall.listRotations(limit, nameCursor(request.query.cursor));
      return toPage(rows, limit, (row) => row, (row) => [row.name, row.id]);
    },
  );
  app.post(
    '/api/v1/rotations',
    { schema: { tags, summary: 'Create a weekly rotation', body: CreateRotationBody, response: { 201: Rotation, ...errors } }, config: { access: 'operator', audit: 'rotation.create' } },
    async (request, reply) => {
      request.auditDetails = { name: request.body.name, members: request.body.members };
      const rotation = await oncall.createRotation(request.body);
      request.auditTarget = rotation.id;
      return reply.status(201).send(rotation);
    },
  );
  app.get(
    '/api/v1/rotations/:id',
    { schema: { tags, summary: 'One rotation with its current and future overrides', params: IdParams, response: { 200: Rotation, ...errors } }, config: { access: 'viewer' } },
    async (request) => oncall.getRotation(request.params.id),
  );
  app.patch(
    '/api/v1/rotations/:id',
    {
      schema: { tags, summary: 'Change a rotation (members replaces the whole ordered list)', params: IdParams, body: UpdateRotationBody, response: { 200: Rotation, ...errors } },
      config: { access: 'operator', audit: 'rotation.update' },
    },
    async (request) => {
      request.auditDetails = { ...request.body };
      return oncall.updateRotation(request.params.id, request.body);
    },
  );
  app.post(
    '/api/v1/rotations/:id/overrides',
    {
      schema: { tags, summary: 'Put a contact on call from startsAt to endsAt, over the schedule', params: IdParams, body: CreateOverrideBody, response: { 201: Override, ...errors } },
      config: { access: 'operator', audit: 'rotation.override' },
    },
    async (request, reply) => {
      request.auditDetails = { ...request.body };
      const actor = request.principal?.username ?? 'unknown';
      return reply.status(201).send(await oncall.addOverride(actor, request.params.id, request.body));
    },
  );
  app.get(
    '/api/v1/rotations/:id/oncall',
    {
      schema: { tags, summary: 'Who is on call at `at` (default: now), and since/until when', params: IdParams, querystring: OnCallQuery, response: { 200: OnCall, ...errors } },
      config: { access: 'viewer' },
    },
    async (request) => oncall.onCallView(request.params.id, request.query.at === undefined ? undefined : new Date(request.query.at)),
  );
}

export function policyRoutes(app: App, oncall: OnCallService): void {
  const tags = ['on-call'];
  app.get(
    '/api/v1/escalation-policies',
    { schema: { tags, summary: 'Escalation policies by name', querystring: NameListQuery, response: { 200: Page(EscalationPolicy), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await oncall.listPolicies(limit, nameCursor(request.query.cursor));
      return toPage(rows, limit, toPolicy, (row) => [row.name, row.id]);
    },
  );
  app.post(
    '/api/v1/escalation-policies',
    {
      schema: { tags, summary: 'Create an escalation policy: levels with delays and targets, plus always-notified targets', body: CreatePolicyBody, response: { 201: EscalationPolicy, ...errors } },
      config: { access: 'operator', audit: 'escalation_policy.create' },
    },
    async (request, reply) => {
      request.auditDetails = { name: request.body.name, levels: request.body.levels.length };
      const policy = await oncall.createPolicy(request.body);
      request.auditTarget = policy.id;
      return reply.status(201).send(policy);
    },
  );
  app.get(
    '/api/v1/escalation-policies/:id',
    { schema: { tags, summary: 'One escalation policy', params: IdParams, response: { 200: EscalationPolicy, ...errors } }, config: { access: 'viewer' } },
    async (request) => oncall.getPolicy(request.params.id),
  );
  app.patch(
    '/api/v1/escalation-policies/:id',
    {
      schema: { tags, summary: 'Change an escalation policy (levels and always are replaced whole)', params: IdParams, body: UpdatePolicyBody, response: { 200: EscalationPolicy, ...errors } },
      config: { access: 'operator', audit: 'escalation_policy.update' },
    },
    async (request) => {
      request.auditDetails = { fields: Object.keys(request.body) };
      return oncall.updatePolicy(request.params.id, request.body);
    },
  );
}
