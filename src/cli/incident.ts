import { InvalidArgumentError, type Command } from 'commander';
import type { Incident, Postmortem, TimelineEvent } from '../incidents/index.js';
import type { CliContext } from './context.js';
import { cell, time } from './output.js';
import { isUuid } from '../platform/uuid.js';

interface JsonOption {
  json?: boolean;
}
interface ListOptions extends JsonOption {
  state?: string;
  severity?: string;
  limit?: number;
}

const STATES = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed'];
const SEVERITIES = ['P1', 'P2', 'P3'];

function oneOf(values: string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value;
  };
}

function incidentId(value: string): string {
  if (!isUuid(value)) throw new InvalidArgumentError('must be an incident id (a UUID, as `nexus incident list` shows)');
  return value;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be a whole number from 1 to 100000');
  return n;
}

const path = (id: string, tail = '') => `/api/v1/incidents/${encodeURIComponent(id)}${tail}`;

function row(i: Incident): string[] {
  return [i.id, i.severity, i.state, cell(i.title), cell(i.service ?? ''), time(i.triggeredAt)];
}

async function list(ctx: CliContext, options: ListOptions): Promise<void> {
  const client = ctx.client();
  const query = { state: options.state, severity: options.severity };
  const items: Incident[] = [];
  const pages = client.paginate((page) => client.request<{ items: Incident[]; next: string | null }>('GET', '/api/v1/incidents', { query: { ...query, ...page } }), options.limit ?? 100);
  for await (const incident of pages) items.push(incident);
  if (options.json) return ctx.out.json({ items });
  ctx.out.table(['ID', 'SEV', 'STATE', 'TITLE', 'SERVICE', 'TRIGGERED'], items.map(row), 'No incidents.');
}

async function show(ctx: CliContext, id: string, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const incident = await client.request<Incident>('GET', path(id));
  const events: TimelineEvent[] = [];
  for await (const e of client.paginate((page) => client.request<{ items: TimelineEvent[]; next: string | null }>('GET', path(id, '/timeline'), { query: page }))) {
    events.push(e);
  }
  if (options.json) return ctx.out.json({ ...incident, timeline: events });
  const runbook = incident.runbook ? `${incident.runbook.slug} v${incident.runbook.version} · ${incident.runbook.procedureTitle}` : 'none';
  ctx.out.print(`${incident.severity} ${cell(incident.title)} [${incident.state}]`);
  ctx.out.print(`  id ${incident.id}`);
  ctx.out.print(`  runbook ${cell(runbook)}`);
  ctx.out.print(`  ack due ${time(incident.sla.ackDueAt)} · resolve due ${time(incident.sla.resolveDueAt)}`);
  if (incident.nextPageAt) ctx.out.print(`  next escalation ${time(incident.nextPageAt)} unless acknowledged`);
  ctx.out.print('');
  ctx.out.table(['TIME', 'ACTOR', 'EVENT'], events.map((e) => [time(e.at), cell(e.actor), cell(e.summary)]), 'No events.');
}

async function transition(ctx: CliContext, id: string, action: 'ack' | 'resolve', options: JsonOption): Promise<void> {
  const incident = await ctx.client().request<Incident>('POST', path(id, `/${action}`), { body: {} });
  if (options.json) return ctx.out.json(incident);
  ctx.out.print(`Incident ${incident.id} is ${incident.state}`);
}

async function note(ctx: CliContext, id: string, text: string, options: JsonOption): Promise<void> {
  const event = await ctx.client().request<TimelineEvent>('POST', path(id, '/notes'), { body: { text } });
  if (options.json) return ctx.out.json(event);
  ctx.out.print(`Note added to ${id}`);
}

async function postmortem(ctx: CliContext, id: string, options: JsonOption): Promise<void> {
  const pm = await ctx.client().request<Postmortem>('GET', path(id, '/postmortem'));
  if (options.json) return ctx.out.json(pm);
  // Raw Markdown, so `nexus incident postmortem ID > pm.md` is the download.
  ctx.out.print(pm.markdown.replace(/\n$/, ''));
}

/** `nexus incident list|show|ack|resolve|note|postmortem`. */
export function registerIncidentCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('incident').description('Incidents: list, show with timeline, acknowledge, resolve, notes, post-mortem');
  group
    .command('list')
    .description('Incidents, newest first')
    .option('--state <state>', `only this state (${STATES.join(', ')})`, oneOf(STATES))
    .option('--severity <severity>', 'only this severity (P1, P2, P3)', oneOf(SEVERITIES))
    .option('--limit <n>', 'at most this many (default 100)', positive)
    .option('--json', 'print JSON')
    .action((options: ListOptions) => list(ctx, options));
  group.command('show').description('One incident with its timeline').argument('<id>', 'incident id', incidentId).option('--json', 'print JSON').action((id: string, o: JsonOption) => show(ctx, id, o));
  group.command('ack').description('Acknowledge').argument('<id>', 'incident id', incidentId).option('--json', 'print JSON').action((id: string, o: JsonOption) => transition(ctx, id, 'ack', o));
  group.command('resolve').description('Resolve').argument('<id>', 'incident id', incidentId).option('--json', 'print JSON').action((id: string, o: JsonOption) => transition(ctx, id, 'resolve', o));
  group
    .command('note')
    .description('Add a note to the timeline')
    .argument('<id>', 'incident id', incidentId)
    .argument('<text>', 'the note')
    .option('--json', 'print JSON')
    .action((id: string, text: string, o: JsonOption) => note(ctx, id, text, o));
  group
    .command('postmortem')
    .description('Print the post-mortem Markdown (the latest edit, or the generated draft)')
    .argument('<id>', 'incident id', incidentId)
    .option('--json', 'print JSON (with version)')
    .action((id: string, o: JsonOption) => postmortem(ctx, id, o));
  return group;
}
