import { Type } from 'typebox';
import { NotAllowedError } from '../platform/errors.js';
import { decodeCursor, ErrorResponse, IdParams, NoBody, Page, toPage } from '../platform/http/schemas.js';
import { SharedReads } from '../platform/http/shared-reads.js';
import type { App, Principal } from '../platform/http/types.js';
import { Run } from '../runbooks/index.js';
import type { IncidentHistory } from './history.js';
import type { Transition } from './lifecycle.js';
import type { ServiceChanges } from './changes.js';
import type { Postmortems } from './postmortem.js';
import {
  CreateIncidentBody,
  Incident,
  IncidentDetail,
  IncidentListItem,
  IncidentListQuery,
  IncidentRunBody,
  NoteBody,
  PatchIncidentBody,
  Postmortem,
  PostmortemListQuery,
  PostmortemSummary,
  PutPostmortemBody,
  TimelineEvent,
  TimelineQuery,
} from './schema.js';
import type { IncidentService } from './service.js';
import { toTimelineEvent } from './views.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['incidents'];

function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
}

export interface IncidentRouteDeps {
  incidents: IncidentService;
  history: IncidentHistory;
  postmortems: Postmortems;
  changes: ServiceChanges;
}

const ACTIONS: Array<{ path: string; action: Transition; summary: string }> = [
  { path: 'ack', action: 'ack', summary: 'Acknowledge (stops the acknowledge clock and escalation)' },
  { path: 'mitigate', action: 'mitigate', summary: 'Mark mitigated: impact stopped, cause not yet fixed' },
  { path: 'resolve', action: 'resolve', summary: 'Resolve (stops the resolve clock)' },
  { path: 'close', action: 'close', summary: 'Close a resolved incident' },
  { path: 'reopen', action: 'reopen', summary: 'Reopen a resolved or closed incident (back to triggered)' },
];

export function incidentRoutes(app: App, deps: IncidentRouteDeps): void {
  const sharedReads = new SharedReads();
  const { incidents, history, changes } = deps;

  app.get(
    '/api/v1/incidents',
    {
      schema: {
        tags,
        summary: 'Incidents, filtered and sorted (newest triggered first by default), with SLA outcomes and post-mortem state',
        querystring: IncidentListQuery,
        response: { 200: Page(IncidentListItem), ...errors },
      },
      config: { access: 'viewer' },
    },
    async (request, reply) =>
      // Every viewer sees the same list: consoles refetching it on one event share the read.
      sharedReads.json(reply, `incidents:${JSON.stringify(request.query)}`, async () => history.list(request.query)),
  );

  app.get(
    '/api/v1/postmortems',
    {
      schema: {
        tags,
        summary: "Post-mortems: every resolved incident's, and any edited one, most recently changed first",
        querystring: PostmortemListQuery,
        response: { 200: Page(PostmortemSummary), ...errors },
      },
      config: { access: 'viewer' },
    },
    async (request) => history.postmortems(request.query),
  );

  app.post(
    '/api/v1/incidents',
    {
      schema: { tags, summary: 'Open an incident by hand', body: CreateIncidentBody, response: { 201: Incident, ...errors } },
      config: { access: 'responder', audit: 'incident.create' },
    },
    async (request, reply) => {
      const incident = await incidents.create(principalOf(request).username, request.body);
      request.auditTarget = incident.id;
      request.auditDetails = { severity: incident.severity, title: incident.title };
      return reply.status(201).send(incident);
    },
  );

  app.get(
    '/api/v1/incidents/:id',
    { schema: { tags, summary: 'One incident, with the deployments of its service around it', params: IdParams, response: { 200: IncidentDetail, ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const incident = await incidents.get(request.params.id);
      return { ...incident, changes: await changes.around(incident) };
    },
  );

  app.patch(
    '/api/v1/incidents/:id',
    {
      schema: { tags, summary: 'Change title, severity, assignee, commander, or move to mitigated/closed/triggered', params: IdParams, body: PatchIncidentBody, response: { 200: Incident, ...errors } },
      config: { access: 'responder', audit: 'incident.update' },
    },
    async (request) => {
      request.auditDetails = { fields: Object.keys(request.body) };
      // Fields and state in one call: the service writes all of them or none.
      return incidents.patch(principalOf(request).username, request.params.id, request.body);
    },
  );

  lifecycleRoutes(app, deps);
  postmortemRoutes(app, deps);
  incidentRunRoute(app, deps);
}

function lifecycleRoutes(app: App, deps: IncidentRouteDeps): void {
  const { incidents } = deps;
  for (const { path, action, summary } of ACTIONS) {
    app.post(
      `/api/v1/incidents/:id/${path}`,
      { schema: { tags, summary, params: IdParams, body: NoBody, response: { 200: Incident, ...errors } }, config: { access: 'responder', audit: `incident.${action}` } },
      async (request) => incidents.transition(principalOf(request).username, request.params.id, action),
    );
  }

  app.post(
    '/api/v1/incidents/:id/notes',
    { schema: { tags, summary: 'Add a note to the timeline', params: IdParams, body: NoteBody, response: { 201: TimelineEvent, ...errors } }, config: { access: 'responder', audit: 'incident.note' } },
    async (request, reply) => reply.status(201).send(await incidents.addNote(principalOf(request).username, request.params.id, request.body.text)),
  );

  app.get(
    '/api/v1/incidents/:id/timeline',
    { schema: { tags, summary: 'The timeline, oldest first', params: IdParams, querystring: TimelineQuery, response: { 200: Page(TimelineEvent), ...errors } }, config: { access: 'viewer' } },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = (decodeCursor(request.query.cursor, ['number'])?.[0] as number | undefined) ?? 0;
      const rows = await incidents.timeline(request.params.id, after, limit);
      return toPage(rows, limit, toTimelineEvent, (row) => [row.seq]);
    },
  );

}

function incidentRunRoute(app: App, deps: IncidentRouteDeps): void {
  const { incidents } = deps;
  app.post(
    '/api/v1/incidents/:id/runs',
    {
      schema: { tags, summary: "Start a run of the incident's attached runbook procedure, linked to it", params: IdParams, body: IncidentRunBody, response: { 201: Run, ...errors } },
      config: { access: 'responder', audit: 'incident.run_create' },
    },
    async (request, reply) => {
      const { body } = request;
      const run = await incidents.startRun(principalOf(request), request.params.id, body, ({ slug, version, procedureId }) => {
        // Names only: values may be secret, and the audit log is read by more people than the run.
        request.auditDetails = {
          runbook: slug,
          version,
          procedure: procedureId,
          parameters: Object.keys(body?.parameters ?? {}),
          ...(body?.secretParameters ? { secretParameters: body.secretParameters } : {}),
        };
      });
      return reply.status(201).send(run);
    },
  );
}

function postmortemRoutes(app: App, deps: IncidentRouteDeps): void {
  const { incidents, postmortems } = deps;
  app.get(
    '/api/v1/incidents/:id/postmortem',
    { schema: { tags, summary: 'The post-mortem: the latest edit, or the generated draft (version 0)', params: IdParams, response: { 200: Postmortem, ...errors } }, config: { access: 'viewer' } },
    async (request) => postmortems.get(await incidents.row(request.params.id)),
  );

  app.put(
    '/api/v1/incidents/:id/postmortem',
    {
      schema: { tags, summary: 'Save an edit as a new version; baseVersion must be the latest (409 otherwise)', params: IdParams, body: PutPostmortemBody, response: { 200: Postmortem, ...errors } },
      config: { access: 'responder', audit: 'incident.postmortem_edit' },
    },
    async (request) => {
      request.auditDetails = { baseVersion: request.body.baseVersion };
      return postmortems.save(principalOf(request).username, await incidents.row(request.params.id), request.body.markdown, request.body.baseVersion);
    },
  );

  app.get(
    '/api/v1/incidents/:id/postmortem.md',
    { schema: { tags, summary: 'The post-mortem as a Markdown file', params: IdParams, response: { 200: Type.String(), ...errors } }, config: { access: 'viewer' } },
    async (request, reply) => {
      const pm = await postmortems.get(await incidents.row(request.params.id));
      reply.type('text/markdown; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="postmortem-${pm.incidentId}-v${pm.version}.md"`);
      return pm.markdown;
    },
  );
}
