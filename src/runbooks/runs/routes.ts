import { Type } from 'typebox';
import { NotAllowedError } from '../../platform/errors.js';
import { decodeCursor, ErrorResponse, NoBody, Page, toPage } from '../../platform/http/schemas.js';
import type { App, Principal } from '../../platform/http/types.js';
import type { StepActions } from './actions.js';
import {
  CheckBody,
  CheckParams,
  CreateRunBody,
  RejectBody,
  Run,
  RunCheck,
  RunListQuery,
  RunParams,
  RunSummary,
  SecretsBody,
  StepOutput,
  StepParams,
  StepsResponse,
} from './schema.js';
import type { RunService } from './service.js';
import { toRunSummary } from './views.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['runs'];

function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
}

type StepAction = 'run' | 'approve' | 'cancel' | 'retry' | 'skip';
const STEP_ACTIONS: Array<{ action: StepAction; audit: string; summary: string }> = [
  { action: 'run', audit: 'run.step_request', summary: 'Request a command (or every pending command of a step): queued, or awaiting approval' },
  { action: 'approve', audit: 'run.step_approve', summary: 'Approve a step awaiting approval (a second person with the approver role)' },
  { action: 'cancel', audit: 'run.step_cancel', summary: 'Cancel a step; a running one has its process group killed' },
  { action: 'retry', audit: 'run.step_retry', summary: 'Run a failed, timed-out, lost or cancelled step again (a new attempt)' },
  { action: 'skip', audit: 'run.step_skip', summary: 'Mark a step skipped' },
];

export function runRoutes(app: App, options: { runs: RunService; actions: StepActions }): void {
  const { runs, actions } = options;

  app.get(
    '/api/v1/runs',
    {
      schema: { tags, summary: 'Runs, newest first', querystring: RunListQuery, response: { 200: Page(RunSummary), ...errors } },
      config: { access: 'viewer' },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const before = decodeCursor(request.query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await runs.list({ incidentId: request.query.incidentId, status: request.query.status, before }, limit);
      return toPage(rows, limit, toRunSummary, (row) => [row.run.createdAt.toISOString(), row.run.id]);
    },
  );

  app.post(
    '/api/v1/runs',
    {
      schema: { tags, summary: 'Start a run of one procedure of a runbook version', body: CreateRunBody, response: { 201: Run, ...errors } },
      config: { access: 'responder', audit: 'run.create' },
    },
    async (request, reply) => {
      const { runbook, version, procedure, incidentId, secretParameters } = request.body;
      // Names only: values may be secret, and the audit log is read by more people than the run.
      request.auditDetails = { runbook, version, procedure, incidentId, parameters: Object.keys(request.body.parameters ?? {}), secretParameters };
      const run = await runs.create(principalOf(request), request.body);
      request.auditTarget = run.id;
      return reply.status(201).send(run);
    },
  );

  app.get(
    '/api/v1/runs/:id',
    { schema: { tags, summary: 'A run with its steps and checks', params: RunParams, response: { 200: Run, ...errors } }, config: { access: 'viewer' } },
    async (request) => runs.get(request.params.id),
  );

  app.get(
    '/api/v1/runs/:id/steps/:step/output',
    {
      schema: { tags, summary: 'The stored (redacted, bounded) output of one command', params: StepParams, response: { 200: StepOutput, ...errors } },
      config: { access: 'viewer' },
    },
    async (request) => runs.output(request.params.id, request.params.step),
  );

  stepRoutes(app, actions);
  runActionRoutes(app, runs, actions);
}

function stepRoutes(app: App, actions: StepActions): void {
  for (const { action, audit, summary } of STEP_ACTIONS) {
    app.post(
      `/api/v1/runs/:id/steps/:step/${action}`,
      { schema: { tags, summary, params: StepParams, body: NoBody, response: { 200: StepsResponse, ...errors } }, config: { access: 'responder', audit } },
      async (request) => {
        const { id, step } = request.params;
        request.auditDetails = { step };
        const principal = principalOf(request);
        const changed = await stepAction(actions, action, principal, id, step);
        request.auditDetails = { step, commands: changed.map((s) => ({ commandId: s.commandId, risk: s.risk, state: s.state })) };
        return { steps: changed };
      },
    );
  }

  app.post(
    '/api/v1/runs/:id/steps/:step/reject',
    {
      schema: { tags, summary: 'Refuse a step awaiting approval (back to pending)', params: StepParams, body: RejectBody, response: { 200: StepsResponse, ...errors } },
      config: { access: 'responder', audit: 'run.step_reject' },
    },
    async (request) => {
      const { id, step } = request.params;
      const reason = request.body?.reason;
      request.auditDetails = { step, ...(reason ? { reason } : {}) };
      return { steps: await actions.reject(principalOf(request), id, step, reason) };
    },
  );

}

function runActionRoutes(app: App, runs: RunService, actions: StepActions): void {
  app.post(
    '/api/v1/runs/:id/cancel',
    {
      schema: { tags, summary: 'Cancel the run: nothing more runs, running commands are killed', params: RunParams, body: NoBody, response: { 200: Run, ...errors } },
      config: { access: 'responder', audit: 'run.cancel' },
    },
    async (request) => {
      await actions.cancelRun(principalOf(request), request.params.id);
      return runs.get(request.params.id);
    },
  );

  app.post(
    '/api/v1/runs/:id/checks/:check',
    {
      schema: { tags, summary: 'Tick (or untick) a manual check', params: CheckParams, body: CheckBody, response: { 200: RunCheck, ...errors } },
      config: { access: 'responder', audit: 'run.check' },
    },
    async (request) => {
      const checked = request.body?.checked ?? true;
      request.auditDetails = { check: request.params.check, checked };
      return runs.tickCheck(principalOf(request), request.params.id, request.params.check, checked);
    },
  );

  app.post(
    '/api/v1/runs/:id/secrets',
    {
      schema: {
        tags,
        summary: 'Supply secret parameter values again (after a server key change made them unreadable)',
        params: RunParams,
        body: SecretsBody,
        response: { 200: Type.Object({ supplied: Type.Array(Type.String()) }), ...errors },
      },
      config: { access: 'responder', audit: 'run.secrets' },
    },
    async (request) => {
      request.auditDetails = { names: Object.keys(request.body.secrets) };
      return { supplied: await runs.supplySecrets(request.params.id, request.body.secrets) };
    },
  );
}

function stepAction(actions: StepActions, action: StepAction, principal: Principal, runId: string, step: string) {
  switch (action) {
    case 'run':
      return actions.request(principal, runId, step);
    case 'approve':
      return actions.approve(principal, runId, step);
    case 'cancel':
      return actions.cancel(principal, runId, step);
    case 'retry':
      return actions.retry(principal, runId, step);
    case 'skip':
      return actions.skip(principal, runId, step);
  }
}
