import { NotAllowedError } from '../platform/errors.js';
import { decodeCursor, ErrorResponse, IdParams, Page, toPage } from '../platform/http/schemas.js';
import type { App, Principal } from '../platform/http/types.js';
import { CreateDeploymentBody, Deployment, DeploymentDetail, DeploymentListQuery, PromoteBody, ReasonBody } from './schema.js';
import type { DeploymentService } from './service.js';
import { toDeployment } from './views.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['deployments'];

function actorOf(request: { principal: Principal | null }): string {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal.username;
}

type Action = 'pause' | 'resume' | 'abort' | 'rollback';
const ACTIONS: Array<{ action: Action; summary: string }> = [
  { action: 'pause', summary: 'Pause: the controller takes no further step until resumed' },
  { action: 'resume', summary: 'Resume a paused deployment (an inconclusive analysis is measured again)' },
  { action: 'abort', summary: 'Abort: all traffic back on the stable version' },
  { action: 'rollback', summary: 'Roll back: during a rollout like abort; after it, the previous version takes all traffic again' },
];

export function deploymentRoutes(app: App, deployments: DeploymentService): void {
  app.get(
    '/api/v1/deployments',
    { schema: { tags, summary: 'Deployments, newest first', querystring: DeploymentListQuery, response: { 200: Page(Deployment), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const before = decodeCursor(request.query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
      const rows = await deployments.list({ service: request.query.service, state: request.query.state, before }, limit);
      return toPage(rows, limit, (row) => toDeployment(row, row.stepRows), (row) => [row.createdAt.toISOString(), row.id]);
    },
  );

  app.post(
    '/api/v1/deployments',
    {
      schema: { tags, summary: 'Start a deployment (canary or blue-green)', body: CreateDeploymentBody, response: { 201: Deployment, ...errors } },
      config: { access: 'operator', audit: 'deployment.create' },
    },
    async (request, reply) => {
      request.auditDetails = { service: request.body.service, version: request.body.version, strategy: request.body.strategy ?? 'canary' };
      const deployment = await deployments.create(actorOf(request), request.body);
      request.auditTarget = deployment.id;
      return reply.status(201).send(deployment);
    },
  );

  app.get(
    '/api/v1/deployments/:id',
    {
      schema: { tags, summary: 'One deployment with its steps, measurements and timeline', params: IdParams, response: { 200: DeploymentDetail, ...errors } },
      config: { access: 'viewer' },
    },
    async (request) => deployments.detail(request.params.id),
  );

  app.post(
    '/api/v1/deployments/:id/promote',
    {
      schema: { tags, summary: 'Promote: skip the pause or analysis it waits in (all of them with full: true)', params: IdParams, body: PromoteBody, response: { 200: Deployment, ...errors } },
      config: { access: 'operator', audit: 'deployment.promote' },
    },
    async (request) => {
      request.auditTarget = request.params.id;
      const full = request.body?.full ?? false;
      request.auditDetails = { full };
      return deployments.promote(actorOf(request), request.params.id, full);
    },
  );

  for (const { action, summary } of ACTIONS) {
    app.post(
      `/api/v1/deployments/:id/${action}`,
      {
        schema: { tags, summary, params: IdParams, body: ReasonBody, response: { 200: Deployment, ...errors } },
        config: { access: 'operator', audit: `deployment.${action}` },
      },
      async (request) => {
        request.auditTarget = request.params.id;
        const reason = request.body?.reason;
        if (reason) request.auditDetails = { reason };
        const actor = actorOf(request);
        const id = request.params.id;
        switch (action) {
          case 'pause':
            return deployments.pause(actor, id, reason);
          case 'resume':
            return deployments.resume(actor, id);
          case 'abort':
            return deployments.abort(actor, id, reason);
          case 'rollback':
            return deployments.rollback(actor, id, reason);
        }
      },
    );
  }
}
