import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditService } from '../platform/audit/service.js';
import { InputError, NotAllowedError } from '../platform/errors.js';
import { decodeCursor, ErrorResponse, IdParams, Page, PageQuery, toPage } from '../platform/http/schemas.js';
import type { App, Principal, RunnerPrincipal } from '../platform/http/types.js';
import type { StepLease } from '../runbooks/index.js';
import { toPublicRunner, type RunnerRegistry } from './registry.js';
import { displayId, type RemoteRunners } from './remote.js';
import {
  CLAIMED_IDENTITY_FIELDS,
  CompleteBody,
  CompleteResponse,
  CreateEnrolmentBody,
  CreatedEnrolment,
  EnrolBody,
  EnrolResponse,
  HeartbeatBody,
  HeartbeatResponse,
  LeaseBody,
  OutputBody,
  RunnerSchema,
  RunnerSelf,
  RunnerStepParams,
  StepLeaseSchema,
} from './schema.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['runners'];
const ListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
}

function runnerOf(request: { runner: RunnerPrincipal | null }): RunnerPrincipal {
  // access 'runner' guarantees it; this only satisfies the type checker.
  if (!request.runner) throw new NotAllowedError('No runner');
  return request.runner;
}

/** Aborts when the client goes away before its answer was sent (an agent stopped mid-poll). */
function disconnectSignal(reply: FastifyReply): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.once('close', onClose);
  return { signal: controller.signal, dispose: () => reply.raw.off('close', onClose) };
}

/**
 * The lease route records only failures through the recorder (an idle
 * agent polls every 25 s per slot); a lease actually handed out is the start
 * of a command, so it is recorded here, before the runner gets it.
 */
async function recordLease(audit: AuditService, request: FastifyRequest, runnerId: string, lease: StepLease): Promise<void> {
  const runner = runnerOf(request);
  try {
    await audit.record({
      actor: `runner:${runner.name}`,
      action: 'runner.lease',
      target: lease.runId,
      outcome: 'success',
      statusCode: 200,
      requestId: request.id,
      ip: request.ip,
      details: { runnerId: runner.id, instance: runnerId, labels: runner.labels, stepId: lease.stepId, commandId: lease.commandId, attempt: lease.attempt },
    });
  } catch (err) {
    // The step is leased already; refusing it now would only strand it until its lease expires.
    request.log.error({ err, action: 'runner.lease' }, 'audit entry could not be written');
  }
}

/** Enrolment and the admin's view of runners. */
function enrolmentRoutes(app: App, registry: RunnerRegistry, rateLimit: { max: number; windowSeconds: number }): void {
  app.post(
    '/api/v1/runners/enrolments',
    {
      schema: {
        tags,
        summary: 'Create a one-time enrolment token for a runner, with the name and labels the server will give it',
        body: CreateEnrolmentBody,
        response: { 201: CreatedEnrolment, ...errors },
      },
      config: { access: 'admin', audit: 'runner.enrolment_create' },
    },
    async (request, reply) => {
      const { name, labels } = request.body;
      request.auditDetails = { name, labels };
      const created = await registry.createEnrolment(principalOf(request), { name, labels, expiresInMinutes: request.body.expiresInMinutes ?? 60 });
      request.auditTarget = created.runner.id;
      request.auditDetails = { name, labels, expiresAt: created.runner.enrolmentExpiresAt };
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/runners/enrol',
    {
      schema: {
        tags,
        summary: 'A runner exchanges its enrolment token (once) for its own credential',
        body: EnrolBody,
        response: { 201: EnrolResponse, ...errors },
      },
      // The enrolment token is the credential here; it is checked by the handler (401 if not usable).
      // Anonymous: limited per address like login, so nobody can try token after token.
      config: { access: 'public', audit: 'runner.enrol', rateLimit: { max: rateLimit.max, timeWindow: rateLimit.windowSeconds * 1000 } },
    },
    async (request, reply) => {
      const enrolled = await registry.enrol(request.body.enrolmentToken);
      request.auditActor = `runner:${enrolled.runner.name}`;
      request.auditTarget = enrolled.runner.id;
      request.auditDetails = { name: enrolled.runner.name, labels: enrolled.runner.labels, credentialPrefix: enrolled.runner.credentialPrefix };
      return reply.status(201).send(enrolled);
    },
  );

  app.get(
    '/api/v1/runners',
    {
      schema: { tags, summary: 'Enrolled runners and pending enrolments', querystring: ListQuery, response: { 200: Page(RunnerSchema), ...errors } },
      config: { access: 'admin' },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = decodeCursor(request.query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await registry.list(limit, after);
      const now = new Date();
      return toPage(rows, limit, (row) => toPublicRunner(row, now), (row) => [row.createdAt.toISOString(), row.id]);
    },
  );

  app.delete(
    '/api/v1/runners/:id',
    {
      schema: { tags, summary: 'Revoke a runner (its credential stops working at once) or an unused enrolment', params: IdParams, response: { 200: RunnerSchema, ...errors } },
      config: { access: 'admin', audit: 'runner.revoke' },
    },
    async (request) => {
      const runner = await registry.revoke(principalOf(request), request.params.id);
      request.auditDetails = { name: runner.name };
      return runner;
    },
  );

  app.get(
    '/api/v1/runners/me',
    {
      schema: { tags, summary: 'The calling runner: its name and the labels it serves (runner credential only)', response: { 200: RunnerSelf, ...errors } },
      config: { access: 'runner' },
    },
    async (request) => runnerOf(request),
  );
}

export function runnerRoutes(
  app: App,
  options: { runners: RemoteRunners; registry: RunnerRegistry; audit: AuditService; enrolRateLimit: { max: number; windowSeconds: number } },
): void {
  const { runners, audit, registry } = options;
  enrolmentRoutes(app, registry, options.enrolRateLimit);

  app.post(
    '/api/v1/runners/lease',
    {
      schema: {
        tags,
        summary: 'Long-poll for the next queued command this runner’s enrolled labels satisfy (200 with the lease, 204 when none came)',
        body: LeaseBody,
        response: { 200: StepLeaseSchema, 204: Type.Null(), ...errors },
      },
      config: { access: 'runner', audit: 'runner.lease', auditFailuresOnly: true },
      preValidation: async (request) => {
        const body = request.body as Record<string, unknown> | null;
        if (body === null || typeof body !== 'object') return;
        const claimed = Object.keys(CLAIMED_IDENTITY_FIELDS).filter((field) => field in body);
        if (claimed.length) {
          request.auditDetails = { claimed };
          throw new InputError(claimed.map((field) => CLAIMED_IDENTITY_FIELDS[field]).join('; '), { fields: claimed });
        }
      },
    },
    async (request, reply) => {
      const runner = runnerOf(request);
      const runnerId = displayId(runner, request.body.instance);
      request.auditDetails = { instance: runnerId };
      const gone = disconnectSignal(reply);
      try {
        const lease = await runners.lease(runner, request.body, gone.signal);
        if (!lease) return reply.status(204).send(null);
        await recordLease(audit, request, runnerId, lease);
        return lease;
      } finally {
        gone.dispose();
      }
    },
  );

  app.post(
    '/api/v1/runners/steps/:id/heartbeat',
    {
      schema: {
        tags,
        summary: 'Extend the lease on a running command; says whether cancel was requested (409: the lease is gone)',
        params: RunnerStepParams,
        body: HeartbeatBody,
        response: { 200: HeartbeatResponse, ...errors },
      },
      config: { access: 'runner', audit: 'runner.heartbeat', auditFailuresOnly: true },
    },
    async (request) => {
      request.auditDetails = { leaseId: request.body.leaseId };
      return runners.heartbeat(runnerOf(request), { stepId: request.params.id, leaseId: request.body.leaseId });
    },
  );

  app.post(
    '/api/v1/runners/steps/:id/output',
    {
      schema: {
        tags,
        summary: 'A batch of output chunks of a running command; redacted again, published live and stored',
        params: RunnerStepParams,
        body: OutputBody,
        response: { 204: Type.Null(), ...errors },
      },
      config: { access: 'runner', audit: 'runner.output', auditFailuresOnly: true },
    },
    async (request, reply) => {
      request.auditDetails = { leaseId: request.body.leaseId, chunks: request.body.chunks.length };
      await runners.output(runnerOf(request), { stepId: request.params.id, leaseId: request.body.leaseId }, request.body.chunks);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/runners/steps/:id/complete',
    {
      schema: {
        tags,
        summary:
          'Report how a command ended; the server decides the step’s state (expect, follow-style, exit code). ' +
          'Only variables the command declares it assigns are kept; others are dropped and named in the audit log',
        params: RunnerStepParams,
        body: CompleteBody,
        response: { 200: CompleteResponse, ...errors },
      },
      config: { access: 'runner', audit: 'runner.complete' },
    },
    async (request) => {
      const { leaseId, ...report } = request.body;
      // Variable names only: their values may be secret.
      request.auditDetails = { leaseId, outcome: report.outcome, exitCode: report.exitCode, variables: Object.keys(report.variables) };
      const answer = await runners.complete(runnerOf(request), { stepId: request.params.id, leaseId }, report);
      request.auditDetails = {
        ...request.auditDetails,
        stepId: request.params.id,
        state: answer.state,
        ...(answer.droppedVariables.length ? { droppedVariables: answer.droppedVariables } : {}),
      };
      request.auditTarget = answer.runId;
      return { accepted: answer.accepted, state: answer.state, droppedVariables: answer.droppedVariables };
    },
  );
}
