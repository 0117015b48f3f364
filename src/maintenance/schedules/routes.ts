import { Type } from 'typebox';
import { NotAllowedError } from '../../platform/errors.js';
import { decodeCursor, ErrorResponse, IdParams, NoBody, Page, toPage } from '../../platform/http/schemas.js';
import type { App, Principal } from '../../platform/http/types.js';
import { BuiltInTaskView, CreateScheduleBody, RunListQuery, Schedule, ScheduleListQuery, ScheduleRun, UpdateScheduleBody } from './schema.js';
import type { ScheduleService } from './service.js';
import { toSchedule, toScheduleRun } from './views.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['schedules'];
const RunParams = Type.Object({ id: Type.String({ format: 'uuid' }), runId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
}

/** What a schedule change may say in the audit log: the fields, and the timing and target as set (no parameter values). */
function auditDetails(body: Partial<CreateScheduleBody> | UpdateScheduleBody) {
  const { parameters, ...rest } = body;
  return { ...rest, ...(parameters ? { parameters: Object.keys(parameters) } : {}) };
}

export function scheduleRoutes(app: App, schedules: ScheduleService): void {
  app.get(
    '/api/v1/schedules',
    {
      schema: { tags, summary: 'Schedules by name, with their next due time and last run', querystring: ScheduleListQuery, response: { 200: Page(Schedule), ...errors } },
      config: { access: 'viewer' },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const { views, names } = await schedules.list(limit, decodeCursor(request.query.cursor, ['string', 'uuid']) as [string, string] | null);
      return toPage(views, limit, (v) => toSchedule(v, names.get(v.schedule.id)!), (v) => [v.schedule.name, v.schedule.id]);
    },
  );
  app.get(
    '/api/v1/schedules/tasks',
    { schema: { tags, summary: 'The built-in tasks a schedule can run', response: { 200: Type.Object({ items: Type.Array(BuiltInTaskView) }), ...errors } }, config: { access: 'viewer' } },
    async () => ({ items: schedules.tasks().map(({ key, title, description }) => ({ key, title, description })) }),
  );
  app.post(
    '/api/v1/schedules',
    { schema: { tags, summary: 'Create a schedule', body: CreateScheduleBody, response: { 201: Schedule, ...errors } }, config: { access: 'admin', audit: 'schedule.create' } },
    async (request, reply) => {
      request.auditDetails = auditDetails(request.body);
      const schedule = await schedules.create(principalOf(request), request.body);
      request.auditTarget = schedule.id;
      return reply.status(201).send(schedule);
    },
  );
  app.get(
    '/api/v1/schedules/:id',
    { schema: { tags, summary: 'One schedule', params: IdParams, response: { 200: Schedule, ...errors } }, config: { access: 'viewer' } },
    async (request) => schedules.get(request.params.id),
  );
  app.patch(
    '/api/v1/schedules/:id',
    {
      schema: { tags, summary: 'Change a schedule (a new cron, time zone or enabling counts from now)', params: IdParams, body: UpdateScheduleBody, response: { 200: Schedule, ...errors } },
      config: { access: 'admin', audit: 'schedule.update' },
    },
    async (request) => {
      request.auditDetails = auditDetails(request.body);
      return schedules.update(request.params.id, request.body);
    },
  );
  app.delete(
    '/api/v1/schedules/:id',
    { schema: { tags, summary: 'Delete a schedule and its run history', params: IdParams, response: { 204: Type.Null(), ...errors } }, config: { access: 'admin', audit: 'schedule.delete' } },
    async (request, reply) => {
      const deleted = await schedules.delete(request.params.id);
      request.auditDetails = { name: deleted.name };
      return reply.status(204).send(null);
    },
  );
  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(
      `/api/v1/schedules/:id/${verb}`,
      {
        schema: { tags, summary: enabled ? 'Enable a schedule (its next due time counts from now)' : 'Disable a schedule', params: IdParams, body: NoBody, response: { 200: Schedule, ...errors } },
        config: { access: 'admin', audit: `schedule.${verb}` },
      },
      async (request) => schedules.setEnabled(request.params.id, enabled),
    );
  }
  app.post(
    '/api/v1/schedules/:id/run',
    {
      schema: { tags, summary: 'Run a schedule now (a runbook target runs as the caller, under their role)', params: IdParams, body: NoBody, response: { 202: ScheduleRun, ...errors } },
      config: { access: 'operator', audit: 'schedule.run' },
    },
    async (request, reply) => {
      const run = await schedules.runNow(principalOf(request), request.params.id);
      request.auditDetails = { run: run.id };
      return reply.status(202).send(run);
    },
  );
  app.get(
    '/api/v1/schedules/:id/runs',
    { schema: { tags, summary: 'Runs of a schedule, newest first', params: IdParams, querystring: RunListQuery, response: { 200: Page(ScheduleRun), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const before = decodeCursor(request.query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await schedules.runs(request.params.id, limit, before);
      return toPage(rows, limit, toScheduleRun, (row) => [row.createdAt.toISOString(), row.id]);
    },
  );
  app.get(
    '/api/v1/schedules/:id/runs/:runId',
    { schema: { tags, summary: 'One run of a schedule, with its progress', params: RunParams, response: { 200: ScheduleRun, ...errors } }, config: { access: 'viewer' } },
    async (request) => schedules.run(request.params.id, request.params.runId),
  );
}
