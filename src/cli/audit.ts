import type { Command } from 'commander';
import { integerIn, parseOutcome, parseTime } from './args.js';
import type { AuditEntryView, AuditQuery } from './client.js';
import type { CliContext } from './context.js';
import { cell, time } from './output.js';

interface AuditOptions extends AuditQuery {
  limit: number;
  json?: boolean;
}

/** Enough to page through a busy day; an export of everything belongs to the API, not a terminal. */
const MAX_LIMIT = 10_000;

function row(entry: AuditEntryView): string[] {
  return [time(entry.at), cell(entry.actor), cell(entry.action), cell(entry.target), cell(entry.outcome), cell(entry.statusCode)];
}

async function showAudit(ctx: CliContext, options: AuditOptions): Promise<void> {
  const { limit, json, ...filter } = options;
  const client = ctx.client();
  const entries: AuditEntryView[] = [];
  for await (const entry of client.paginate((page) => client.listAudit({ ...filter, ...page }), limit)) entries.push(entry);
  if (json) return ctx.out.json({ items: entries });
  ctx.out.table(['TIME', 'ACTOR', 'ACTION', 'TARGET', 'OUTCOME', 'STATUS'], entries.map(row), 'No audit entries match.');
}

export function registerAudit(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('Show the audit log, newest first (admin)')
    .option('--actor <username>', 'only entries by this actor')
    .option('--action <action>', 'an action ("user.create"), or a prefix ending in "." ("user.")')
    .option('--target <id>', 'only entries about this target (usually an id)')
    .option('--outcome <outcome>', 'success, denied, rejected or error', parseOutcome)
    .option('--since <time>', 'from this time: ISO 8601 (2025-03-01T12:00:00Z) or an age (15m, 2h, 7d)', (v: string) => parseTime(v))
    .option('--until <time>', 'up to this time, same forms as --since', (v: string) => parseTime(v))
    .option('--limit <n>', `at most this many entries, 1 to ${MAX_LIMIT}`, integerIn(1, MAX_LIMIT), 50)
    .option('--json', 'print {items} as JSON')
    .action((options: AuditOptions) => showAudit(ctx, options));
}
