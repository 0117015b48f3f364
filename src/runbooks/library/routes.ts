import { NotAllowedError } from '../../platform/errors.js';
import { Type } from 'typebox';
import { hasRole } from '../../platform/auth/roles.js';
import { decodeCursor, ErrorResponse, NoBody, Page, toPage } from '../../platform/http/schemas.js';
import type { App, Principal } from '../../platform/http/types.js';
import {
  ImportBody,
  ImportResponse,
  Runbook,
  RunbookDetail,
  RunbookGetQuery,
  RunbookListQuery,
  RunbookRefParams,
  RunbookVersion,
  VersionParams,
} from './schema.js';
import { statsOf, toPublicRunbook, toPublicVersion, type RunbookLibrary } from './service.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const ApproveResponse = Type.Object({ runbook: Runbook, version: RunbookVersion });

/**
 * The import body may be up to 2 MiB of Markdown (ImportBody), and JSON
 * escaping (quotes, newlines) makes it bigger: this route alone accepts more
 * than the app-wide NEXUS_BODY_LIMIT_BYTES.
 */
export const IMPORT_BODY_LIMIT = 3 * 1024 * 1024;

function principalOf(request: { principal: Principal | null }): Principal {
  // access != 'public' guarantees it; this only satisfies the type checker.
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal;
}

export function runbookRoutes(app: App, options: { library: RunbookLibrary }): void {
  const { library } = options;

  app.get(
    '/api/v1/runbooks',
    {
      schema: { tags: ['runbooks'], summary: 'The runbook library, by slug', querystring: RunbookListQuery, response: { 200: Page(Runbook), ...errors } },
      config: { access: 'viewer' },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = decodeCursor(request.query.cursor, ['string']);
      const rows = await library.list(limit, (after?.[0] as string | undefined) ?? null);
      return toPage(rows, limit, toPublicRunbook, (row) => [row.slug]);
    },
  );

  app.post(
    '/api/v1/runbooks',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['runbooks'],
        summary: 'Import a Markdown runbook as a new version (200 and no new version when identical to the latest)',
        body: ImportBody,
        response: { 200: ImportResponse, 201: ImportResponse, ...errors },
      },
      config: { access: 'operator', audit: 'runbook.import' },
    },
    async (request, reply) => {
      const { source, slug } = request.body;
      request.auditDetails = { ...(slug !== undefined ? { slug } : {}), bytes: Buffer.byteLength(source) };
      const principal = principalOf(request);
      const outcome = await library.importMarkdown(source, {
        slug,
        importedBy: principal.username,
        importedById: principal.userId,
        mayChangeBuiltin: hasRole(principal.role, 'admin'),
      });
      request.auditTarget = outcome.runbook.id;
      request.auditDetails = { slug: outcome.runbook.slug, version: outcome.version.version, created: outcome.created, ...(outcome.copyOf ? { copyOf: outcome.copyOf } : {}) };
      const { parsed: _parsed, ...body } = outcome;
      return reply.status(outcome.created ? 201 : 200).send(body);
    },
  );

  app.get(
    '/api/v1/runbooks/:id',
    {
      schema: {
        tags: ['runbooks'],
        summary: 'A runbook version (the latest unless ?version=N): metadata, parsed model and Markdown source',
        params: RunbookRefParams,
        querystring: RunbookGetQuery,
        response: { 200: RunbookDetail, ...errors },
      },
      config: { access: 'viewer' },
    },
    async (request) => {
      const found = await library.getVersion(request.params.id, request.query.version);
      return { runbook: found.runbook, version: found.info, stats: statsOf(found.parsed), parsed: found.parsed, source: found.source };
    },
  );

  app.post(
    '/api/v1/runbooks/:id/versions/:version/approve',
    {
      schema: {
        tags: ['runbooks'],
        summary: "Approve a runbook version (admin): its risk= annotations may then lower a command's risk below what NEXUS detects",
        params: VersionParams,
        body: NoBody,
        response: { 200: ApproveResponse, ...errors },
      },
      config: { access: 'admin', audit: 'runbook.version_approve' },
    },
    async (request) => {
      const { id, version } = request.params;
      request.auditDetails = { runbook: id, version };
      const approved = await library.approveVersion(id, version, principalOf(request).userId);
      request.auditTarget = approved.runbook.id;
      request.auditDetails = { slug: approved.runbook.slug, version, approvedBy: approved.version.approvedBy };
      return approved;
    },
  );

  app.get(
    '/api/v1/runbooks/:id/versions',
    {
      schema: {
        tags: ['runbooks'],
        summary: 'Versions of a runbook, newest first',
        params: RunbookRefParams,
        querystring: RunbookListQuery,
        response: { 200: Page(RunbookVersion), ...errors },
      },
      config: { access: 'viewer' },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const before = decodeCursor(request.query.cursor, ['number']);
      const rows = await library.listVersions(request.params.id, limit, (before?.[0] as number | undefined) ?? null);
      return toPage(rows, limit, toPublicVersion, (row) => [row.version]);
    },
  );
}
