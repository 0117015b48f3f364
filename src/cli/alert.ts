import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Alert, ReceiveOutcome } from '../alerts/index.js';
import type { CliContext } from './context.js';
import { UsageError, cell, time } from './output.js';

interface SendOptions {
  label: Record<string, string>;
  annotation: Record<string, string>;
  resolved?: boolean;
  fingerprint?: string;
  groupKey?: string;
  json?: boolean;
}
interface ListOptions {
  state?: string;
  severity?: string;
  json?: boolean;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function collectPair(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value');
  const name = value.slice(0, at);
  if (!LABEL_NAME.test(name)) throw new InvalidArgumentError(`${JSON.stringify(name)} is not a label name ([A-Za-z_][A-Za-z0-9_]*)`);
  return { ...previous, [name]: value.slice(at + 1) };
}

function oneOf(values: string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value;
  };
}

/** Through the generic receiver, as any other sender would: tests routing, silences and paging end to end. */
async function send(ctx: CliContext, options: SendOptions): Promise<void> {
  if (Object.keys(options.label).length === 0) throw new UsageError('at least one --label is needed (e.g. --label alertname=NexusHighErrorRate)');
  const body = {
    labels: options.label,
    ...(Object.keys(options.annotation).length > 0 ? { annotations: options.annotation } : {}),
    status: options.resolved ? 'resolved' : 'firing',
    ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
    ...(options.groupKey ? { groupKey: options.groupKey } : {}),
  };
  const outcome = await ctx.client().request<ReceiveOutcome>('POST', '/api/v1/alerts', { body });
  if (options.json) return ctx.out.json(outcome);
  const incidents = outcome.incidents.length > 0 ? `; incident ${outcome.incidents.join(', ')}` : '';
  ctx.out.print(`Sent ${body.status} alert${outcome.silenced > 0 ? ' (silenced)' : ''}${incidents}`);
  for (const resolved of outcome.resolvedIncidents) ctx.out.print(`Resolved incident ${resolved.id}: ${cell(resolved.title)}`);
}

async function list(ctx: CliContext, options: ListOptions): Promise<void> {
  const client = ctx.client();
  const query = { state: options.state, severity: options.severity };
  const items: Alert[] = [];
  const pages = client.paginate((page) => client.request<{ items: Alert[]; next: string | null }>('GET', '/api/v1/alerts', { query: { ...query, ...page } }), 100);
  for await (const alert of pages) items.push(alert);
  if (options.json) return ctx.out.json({ items });
  const rows = items.map((a) => [a.fingerprint, a.severity ?? '-', a.status + (a.silencedBy ? ' (silenced)' : ''), cell(a.labels.alertname ?? ''), String(a.count), time(a.startsAt), time(a.lastSeenAt)]);
  ctx.out.table(['FINGERPRINT', 'SEV', 'STATUS', 'ALERTNAME', 'COUNT', 'STARTED', 'LAST SEEN'], rows, 'No alerts.');
}

/** `nexus alert send|list`. */
export function registerAlertCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('alert').description('Alerts: send one (to test receivers and routing), list');
  group
    .command('send')
    .description('Send an alert to the generic receiver (POST /api/v1/alerts)')
    .addOption(new Option('--label <key=value>', 'a label (repeatable; alertname=… picks the routing rule)').argParser(collectPair).default({}, 'none'))
    .addOption(new Option('--annotation <key=value>', 'an annotation such as summary=… (repeatable)').argParser(collectPair).default({}, 'none'))
    .option('--resolved', 'send it as resolved')
    .option('--fingerprint <id>', "the alert's identity (default: a hash of the labels)")
    .option('--group-key <key>', 'alerts with one group key join one incident')
    .option('--json', 'print JSON')
    .action((options: SendOptions) => send(ctx, options));
  group
    .command('list')
    .description('Alerts, most recently started first (at most 100)')
    .option('--state <state>', 'firing or resolved', oneOf(['firing', 'resolved']))
    .option('--severity <severity>', 'P1, P2 or P3', oneOf(['P1', 'P2', 'P3']))
    .option('--json', 'print JSON')
    .action((options: ListOptions) => list(ctx, options));
  return group;
}
