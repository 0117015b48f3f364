import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { UsageError, cell, time } from './output.js';

interface BackupView {
  id: string;
  target: string;
  location: string;
  createdAt: string;
  createdBy: string;
  sizeBytes: number;
  sha256: string;
  schemaVersion: string;
  verifiedAt: string | null;
  verifyOk: boolean | null;
  verifyMessage: string | null;
}

interface ReportView {
  id: string;
  ok: boolean;
  outcome: string;
  problems: string[];
  tables: Array<{ table: string; expected: number; restored: number | null }>;
  restoreSeconds: number | null;
}

interface JsonOption {
  json?: boolean;
}

/** A dump, verification or restore of a large database takes minutes: the one request waits this long. */
const LONG_REQUEST_MS = 6 * 3600 * 1000;
const TICK_MS = 5000;

function size(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

function verified(b: BackupView): string {
  if (b.verifyOk === null) return 'never';
  return `${b.verifyOk ? 'ok' : 'FAILED'} ${time(b.verifiedAt)}`;
}

/**
 * The server does the work in one request; meanwhile a person sees time pass
 * (on a terminal, one line rewritten; in a pipe, a plain line every 5 s).
 */
async function withProgress<T>(ctx: CliContext, label: string, work: Promise<T>): Promise<T> {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    if (tty) process.stderr.write(`\r${label}… ${seconds} s`);
    else ctx.out.note(`${label}… ${seconds} s`);
  }, TICK_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    if (tty && Date.now() - started >= TICK_MS) process.stderr.write('\n');
  }
}

function printReport(ctx: CliContext, report: ReportView, o: JsonOption): void {
  if (o.json) return ctx.out.json(report);
  ctx.out.table(
    ['TABLE', 'MANIFEST', 'RESTORED'],
    report.tables.map((t) => [t.table, String(t.expected), cell(t.restored)]),
    'No tables',
  );
  const timing = report.restoreSeconds === null ? '' : ` (restore ${report.restoreSeconds.toFixed(1)} s)`;
  if (report.ok) ctx.out.print(`Backup ${report.id}: ${report.outcome}${timing}`);
  else ctx.out.print(`Backup ${report.id}: ${report.outcome.toUpperCase()}: ${report.problems.join('; ')}`);
}

export function registerBackupCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('backup').description('Backups of the NEXUS database: create, list, verify, restore');
  const client = () => ctx.client().withTimeout(LONG_REQUEST_MS);

  group
    .command('create')
    .description('Back up the NEXUS database now to the configured target (operator)')
    .option('--json', 'print JSON')
    .action(async (o: JsonOption) => {
      const backup = await withProgress(ctx, 'backing up', client().request<BackupView>('POST', '/api/v1/backups'));
      if (o.json) return ctx.out.json(backup);
      ctx.out.print(`Backup ${backup.id}: ${size(backup.sizeBytes)} at ${backup.location}, sha256 ${backup.sha256}`);
    });

  group
    .command('list')
    .description('Backups, newest first, with their size and last verification')
    .option('--json', 'print JSON')
    .action(async (o: JsonOption) => {
      const page = await ctx.client().request<{ items: BackupView[] }>('GET', '/api/v1/backups');
      if (o.json) return ctx.out.json(page);
      ctx.out.table(
        ['ID', 'CREATED', 'SIZE', 'TARGET', 'SCHEMA', 'VERIFIED'],
        page.items.map((b) => [b.id, time(b.createdAt), size(b.sizeBytes), b.target, cell(b.schemaVersion), verified(b)]),
        'No backups yet: nexus backup create',
      );
    });

  group
    .command('verify')
    .description('Restore a backup into a scratch database and check it against its manifest (operator); exit 1 unless it verifies')
    .argument('[id]', 'a backup id, or latest', 'latest')
    .option('--json', 'print JSON')
    .action(async (id: string, o: JsonOption) => {
      const report = await withProgress(ctx, `verifying ${id}`, client().request<ReportView>('POST', `/api/v1/backups/${encodeURIComponent(id)}/verify`));
      printReport(ctx, report, o);
      if (!report.ok) process.exitCode = 1;
    });

  group
    .command('restore')
    .description('Replace every row of the NEXUS database with a backup (admin; needs --yes)')
    .argument('<id>', 'a backup id, or latest')
    .option('--yes', 'yes, replace the database: everything since the backup is lost')
    .option('--offline', 'restore in this process, straight into the database DATABASE_URL (or NEXUS_DATA_DIR) names, with every NEXUS on it stopped: for a database lost or too damaged to sign in to')
    .option('--json', 'print JSON')
    .action(async (id: string, o: JsonOption & { yes?: boolean; offline?: boolean }) => {
      if (!o.yes) {
        throw new UsageError(`a restore replaces every row of NEXUS's database with backup ${id}; run again with --yes to do it`, 'nexus backup list shows the backups; nexus backup verify <id> checks one first');
      }
      if (o.offline) {
        ctx.out.note(`Restoring backup ${id} offline into the configured database: keep every NEXUS on it stopped until this ends`);
        const report = await (await import('./backup-offline.js')).restoreBackupOffline(id, (line) => ctx.out.note(line));
        return printReport(ctx, report, o);
      }
      ctx.out.note(`Restoring backup ${id}: NEXUS refuses changes until it is done`);
      const report = await withProgress(
        ctx,
        `restoring ${id}`,
        client().request<ReportView>('POST', `/api/v1/backups/${encodeURIComponent(id)}/restore`, { body: { confirm: id } }),
      );
      printReport(ctx, report, o);
    });

  group
    .command('end-maintenance')
    .description('End maintenance mode after a failed restore has been dealt with (admin)')
    .action(async () => {
      await ctx.client().request('DELETE', '/api/v1/maintenance-mode');
      ctx.out.print('Maintenance mode ended: NEXUS accepts changes again');
    });
  return group;
}
