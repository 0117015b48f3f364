import type { BuiltInTask } from '../tasks.js';
import type { BackupService, VerifyReport } from './service.js';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function verifyResult(report: VerifyReport, what: string) {
  return {
    ok: report.ok,
    summary: report.ok ? `${what} ${report.id}: verified, ${report.tables.length} tables${report.restoreSeconds !== null ? `, restored in ${report.restoreSeconds.toFixed(1)} s` : ''}` : `${what} ${report.id}: ${report.outcome}: ${report.problems.join('; ')}`,
    details: { id: report.id, outcome: report.outcome, restoreSeconds: report.restoreSeconds, problems: report.problems, tables: report.tables.length },
  };
}

/** The seed's backup tasks as built-in tasks: daily backup, weekly verification, monthly disaster-recovery drill, and retention. */
export function backupTasks(backups: BackupService): BuiltInTask[] {
  return [
    {
      key: 'backup.create',
      title: 'Back up the database',
      description: 'Dumps the NEXUS database with a SHA-256 and a manifest to the configured target, then applies retention.',
      async run(context) {
        const manifest = await backups.create(context.actor, context.progress, context.signal);
        const retention = await backups.applyRetention();
        return {
          ok: true,
          summary: `Backup ${manifest.id}: ${mb(manifest.sizeBytes)}; ${retention.deleted.length} old backup(s) pruned`,
          details: { id: manifest.id, sizeBytes: manifest.sizeBytes, sha256: manifest.sha256, schemaVersion: manifest.schemaVersion, pruned: retention.deleted },
        };
      },
    },
    {
      key: 'backup.verify',
      title: 'Verify the latest backup',
      description: 'The seed\'s weekly "Backup Verification": checksum, restore into a scratch database, row counts and schema against the manifest.',
      async run(context) {
        return verifyResult(await backups.verify('latest', context.progress, context.signal), 'Backup');
      },
    },
    {
      key: 'backup.drill',
      title: 'Disaster-recovery drill',
      description: 'The seed\'s monthly disaster-recovery test: restores the latest backup into a scratch database, verifies it and records time-to-restore.',
      async run(context) {
        return verifyResult(await backups.drill(context.progress, context.signal), 'Drill of backup');
      },
    },
  ];
}
