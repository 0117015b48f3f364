import { InputError, NotAllowedError } from '../../platform/errors.js';
import { ErrorResponse, NoBody } from '../../platform/http/schemas.js';
import type { App, Principal } from '../../platform/http/types.js';
import type { MaintenanceMode } from '../../platform/maintenance-mode/index.js';
import { Backup, BackupIdParams, BackupList, MaintenanceStatus, RestoreBody, RetentionResult, VerifyReport } from './schema.js';
import type { BackupService } from './service.js';
import type { BackupRow } from './store.js';

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };
const tags = ['backups'];

function actorOf(request: { principal: Principal | null }): string {
  if (!request.principal) throw new NotAllowedError('No caller');
  return request.principal.username;
}

function view(row: BackupRow) {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    drilledAt: row.drilledAt?.toISOString() ?? null,
  };
}

/**
 * Who may do what: reading the catalog is for everyone (the dashboard shows
 * it); making and verifying a backup are operator work (they copy or read the
 * data only into the configured target and a scratch database, never to the
 * caller, and the seed's weekly verification is an operator task); a restore,
 * which replaces every row, pruning, and ending maintenance are admin only.
 */
export function backupRoutes(app: App, backups: BackupService, maintenance: MaintenanceMode): void {
  app.get(
    '/api/v1/backups',
    { schema: { tags, summary: 'Backups, newest first', response: { 200: BackupList, ...errors } }, config: { access: 'viewer' } },
    async () => ({ items: (await backups.list()).map(view), next: null }),
  );

  app.get(
    '/api/v1/backups/:id',
    { schema: { tags, summary: 'One backup: manifest figures and the last verification', params: BackupIdParams, response: { 200: Backup, ...errors } }, config: { access: 'viewer' } },
    async (request) => view(await backups.get(await backups.resolve(request.params.id))),
  );

  app.post(
    '/api/v1/backups',
    { schema: { tags, summary: 'Back up the NEXUS database now (dump, checksum, manifest) to the configured target', body: NoBody, response: { 201: Backup, ...errors } }, config: { access: 'operator', audit: 'backup.create' } },
    async (request, reply) => {
      const manifest = await backups.create(actorOf(request));
      request.auditTarget = manifest.id;
      request.auditDetails = { sizeBytes: manifest.sizeBytes, sha256: manifest.sha256 };
      return reply.status(201).send(view(await backups.get(manifest.id)));
    },
  );

  app.post(
    '/api/v1/backups/:id/verify',
    {
      schema: { tags, summary: 'Verify a backup: checksum, restore into a scratch database, row counts and schema against the manifest', params: BackupIdParams, response: { 200: VerifyReport, ...errors } },
      config: { access: 'operator', audit: 'backup.verify' },
    },
    async (request) => {
      const report = await backups.verify(request.params.id);
      request.auditTarget = report.id;
      request.auditDetails = { ok: report.ok, outcome: report.outcome };
      return report;
    },
  );

  app.post(
    '/api/v1/backups/:id/restore',
    {
      schema: {
        tags,
        summary: 'Restore a backup over the NEXUS database (verified first; maintenance mode meanwhile). Confirm with the id in the body',
        params: BackupIdParams,
        body: RestoreBody,
        response: { 200: VerifyReport, ...errors },
      },
      config: { access: 'admin', audit: 'backup.restore' },
    },
    async (request) => {
      if (request.body.confirm !== request.params.id) {
        throw new InputError(`A restore replaces every row: confirm it by sending {"confirm": "${request.params.id}"}`);
      }
      const report = await backups.restore(request.params.id, actorOf(request));
      request.auditTarget = report.id;
      return report;
    },
  );

  app.post(
    '/api/v1/backups/retention',
    { schema: { tags, summary: 'Apply retention now: keep the newest per day and per week as configured, delete the rest', body: NoBody, response: { 200: RetentionResult, ...errors } }, config: { access: 'admin', audit: 'backup.retention' } },
    async (request) => {
      const result = await backups.applyRetention();
      request.auditDetails = { deleted: result.deleted };
      return result;
    },
  );

  app.get(
    '/api/v1/maintenance-mode',
    { schema: { tags, summary: 'Whether NEXUS refuses changes (a restore in progress, or one that failed)', response: { 200: MaintenanceStatus, ...errors } }, config: { access: 'viewer' } },
    async () => maintenance.refresh(),
  );

  app.delete(
    '/api/v1/maintenance-mode',
    { schema: { tags, summary: 'End maintenance mode (after a failed restore was dealt with)', body: NoBody, response: { 200: MaintenanceStatus, ...errors } }, config: { access: 'admin', audit: 'maintenance.end' } },
    async () => {
      await maintenance.leave();
      return maintenance.current();
    },
  );
}
