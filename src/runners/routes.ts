import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditService } from '../platform/audit/service.js';
import { NotAllowedError } from '../platform/errors.js';
import { ErrorResponse } from '../platform/http/schemas.js';
import type { App, Principal } from '../platform/http/types.js';
import type { StepLease } from '../runbooks/runs/index.js';
import type { RemoteRunners } from './remote.js';
import {
  CompleteBody,
  CompleteResponse,
  HeartbeatBody,
  HeartbeatResponse,
  LeaseBody,
  OutputBody,
  RunnerStepParams,
  StepLeaseSchema,
} from './schema.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['runners'];

function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
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
async function recordLease(audit: AuditService, request: FastifyRequest, body: LeaseBody, lease: StepLease): Promise<void> {
  const principal = principalOf(request);
  try {
    await audit.record({
      actor: principal.username,
      actorId: principal.userId,
      action: 'runner.lease',
      target: lease.runId,
      outcome: 'success',
      statusCode: 200,
      requestId: request.id,
      ip: request.ip,
      details: {
        ...(principal.via === 'token' ? { tokenId: principal.tokenId } : {}),
        runnerId: body.runnerId,
        ...(body.name ? { name: body.name } : {}),
        stepId: lease.stepId,
        commandId: lease.commandId,
        attempt: lease.attempt,
      },
    });
  } catch (err) {
    // The step is leased already; refusing it now would only strand it until its lease expires.
    request.log.error({ err, action: 'runner.lease' }, 'audit entry could not be written');
  }
}

export function runnerRoutes(app: App, options: { runners: RemoteRunners; audit: AuditService }): void {
  const { runners, audit } = options;

  app.post(
    '/api/v1/runners/lease',
    {
      schema: {
        tags,
        summary: 'Long-poll for the next queued command this runner’s labels satisfy (200 with the lease, 204 when none came)',
        body: LeaseBody,
        response: { 200: StepLeaseSchema, 204: Type.Null(), ...errors },
      },
      config: { access: 'operator', audit: 'runner.lease', auditFailuresOnly: true },
    },
    async (request, reply) => {
      request.auditDetails = { runnerId: request.body.runnerId };
      const gone = disconnectSignal(reply);
      try {
        const lease = await runners.lease(principalOf(request), request.body, gone.signal);
        if (!lease) return reply.status(204).send(null);
        await recordLease(audit, request, request.body, lease);
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
      config: { access: 'operator', audit: 'runner.heartbeat', auditFailuresOnly: true },
    },
    async (request) => {
      request.auditDetails = { leaseId: request.body.leaseId };
      return runners.heartbeat({ stepId: request.params.id, leaseId: request.body.leaseId });
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
      config: { access: 'operator', audit: 'runner.output', auditFailuresOnly: true },
    },
    async (request, reply) => {
      request.auditDetails = { leaseId: request.body.leaseId, chunks: request.body.chunks.length };
      await runners.output({ stepId: request.params.id, leaseId: request.body.leaseId }, request.body.chunks);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/runners/steps/:id/complete',
    {
      schema: {
        tags,
        summary: 'Report how a command ended; the server decides the step’s state (expect, follow-style, exit code)',
        params: RunnerStepParams,
        body: CompleteBody,
        response: { 200: CompleteResponse, ...errors },
      },
      config: { access: 'operator', audit: 'runner.complete' },
    },
    async (request) => {
      const { leaseId, ...report } = request.body;
      // Variable names only: their values may be secret.
      request.auditDetails = { leaseId, outcome: report.outcome, exitCode: report.exitCode, variables: Object.keys(report.variables) };
      const answer = await runners.complete({ stepId: request.params.id, leaseId }, report);
      request.auditDetails = { ...request.auditDetails, stepId: request.params.id, state: answer.state };
      request.auditTarget = answer.runId;
      return { accepted: answer.accepted, state: answer.state };
    },
  );
}
