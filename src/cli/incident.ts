import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseTime } from './args.js';
import type { Incident, IncidentDetail, ServiceChange, TimelineEvent } from '../incidents/index.js';
import type { NexusClient } from './client.js';
import type { CliContext } from './context.js';
import { idArgument, ids } from './ids.js';
import { CliError, EXIT, UsageError, cell, time } from './output.js';
import { showPostmortem } from './postmortem.js';
import { resolveUser } from './users.js';
import { isUuid } from '../platform/uuid.js';

interface JsonOption {
  json?: boolean;
}
interface ListOptions extends JsonOption {
  state: string[];
  severity: string[];
  service?: string;
  assignee?: string;
  from?: string;
  to?: string;
  search?: string;
  sort?: string;
  order?: string;
  limit?: number;
}

const STATES = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed'];
const SORTS = ['triggeredAt', 'resolvedAt', 'severity', 'duration'];
const SEVERITIES = ['P1', 'P2', 'P3'];

function oneOf(values: string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value;
  };
}

const incidentId = idArgument('incident');

/** A repeatable option, each value checked; its empty start is not shown as "(default: [])". */
function repeatable(flags: string, description: string, check: (value: string) => string): Option {
  return new Option(flags, description).argParser((value: string, previous: string[]) => [...previous, check(value)]).default([], 'all');
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

/** `--assignee`: `unassigned` is the API's own word; anyone else as `nexus incident assign` takes them. */
async function assigneeFilter(client: NexusClient, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined || ref === 'unassigned') return ref;
  const who = await person(client, ref);
  return who.id ?? 'unassigned';
}

async function list(ctx: CliContext, options: ListOptions): Promise<void> {
  const client = ctx.client();
  // Passed through as the API names them; the server checks the combinations.
  const query = {
    state: options.state.length > 0 ? options.state : undefined,
    severity: options.severity.length > 0 ? options.severity : undefined,
    service: options.service,
    assigneeId: await assigneeFilter(client, options.assignee),
    from: options.from,
    to: options.to,
    q: options.search,
    sort: options.sort,
    order: options.order,
  };
  const items: Incident[] = [];
  const pages = client.paginate((page) => client.request<{ items: Incident[]; next: string | null }>('GET', '/api/v1/incidents', { query: { ...query, ...page } }), options.limit ?? 100);
  for await (const incident of pages) items.push(incident);
  if (options.json) return ctx.out.json({ items });
  ctx.out.table(['ID', 'SEV', 'STATE', 'TITLE', 'SERVICE', 'TRIGGERED'], items.map(row), 'No incidents.');
}

async function show(ctx: CliContext, ref: string, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const id = await ids(client).incident(ref);
  const incident = await client.request<IncidentDetail>('GET', path(id));
  const events: TimelineEvent[] = [];
  for await (const e of client.paginate((page) => client.request<{ items: TimelineEvent[]; next: string | null }>('GET', path(id, '/timeline'), { query: page }))) {
    events.push(e);
  }
  if (options.json) return ctx.out.json({ ...incident, timeline: events });
  const runbook = incident.runbook ? `${incident.runbook.slug} v${incident.runbook.version} · ${incident.runbook.procedureTitle}` : 'none';
  ctx.out.print(`${incident.severity} ${cell(incident.title)} [${incident.state}]`);
  ctx.out.print(`  id ${incident.id}`);
  ctx.out.print(`  runbook ${cell(runbook)}`);
  ctx.out.print(`  acknowledge ${clock(incident.sla.response, incident.sla.ackDueAt)} · resolve ${clock(incident.sla.resolution, incident.sla.resolveDueAt)}`);
  if (incident.paging.unreachable) ctx.out.print('  PAGING REACHED NOBODY: every escalation level was paged and nobody could be reached');
  for (const level of incident.paging.levels) ctx.out.print(`  level ${level.level} [${level.state}] ${cell(level.summary)}`);
  if (incident.nextPageAt) ctx.out.print(`  next escalation ${time(incident.nextPageAt)} unless acknowledged`);
  for (const change of incident.changes) {
    ctx.out.print(`  change ${describeChange(change, incident.triggeredAt)}`);
    if (STOPPABLE.has(change.state)) ctx.out.print(`    stop it: nexus deploy abort ${change.deploymentId} (or rollback)`);
  }
  ctx.out.print('');
  ctx.out.table(['TIME', 'ACTOR', 'EVENT'], events.map((e) => [time(e.at), cell(e.actor), cell(e.summary)]), 'No events.');
}

/** Deployment states a person can still stop (src/deployments/service.ts abort and rollback). */
const STOPPABLE = new Set(['progressing', 'paused']);

/**
 * A deployment of the incident's service around it, as the console's header
 * says it: "[deploying] web v1.4.2 reached 25 % canary 4 min before this
 * incident opened", with the deployment's id for `nexus deploy`.
 */
function describeChange(change: ServiceChange, triggeredAt: string): string {
  const opened = Date.parse(triggeredAt);
  const reached = Date.parse(change.weightAt);
  const minutes = Math.round(Math.abs(opened - reached) / 60_000);
  const span = minutes === 0 ? 'less than a minute' : `${minutes} min`;
  const when = reached <= opened ? `${span} before this incident opened` : `${span} after it opened`;
  const verb = change.inProgress ? 'reached' : `${change.state.replace('_', ' ')} at`;
  const label = change.inProgress ? 'deploying' : change.state.replace('_', ' ');
  return `[${label}] ${cell(change.service)} ${cell(change.version)} ${verb} ${change.weight} %${change.strategy ? ` ${change.strategy}` : ''} ${when} (stable ${cell(change.stableVersion)}; deployment ${change.deploymentId})`;
}

/** An SLA clock as a responder reads it: when it is due, or whether it was met and how long it took. */
function clock(outcome: Incident['sla']['response'], due: string): string {
  const minutes = (ms: number | null) => `${Math.round((ms ?? 0) / 60_000)} min`;
  if (outcome.result === 'met') return `met in ${minutes(outcome.tookMs)}`;
  if (outcome.result === 'missed') return outcome.stoppedAt ? `missed by ${minutes(outcome.overdueMs)}` : `missed (was due ${time(due)})`;
  return `due ${time(due)}`;
}

type Action = 'ack' | 'mitigate' | 'resolve' | 'close' | 'reopen';

/** Each has its own audited route (POST /api/v1/incidents/:id/<action>), as the console's buttons use. */
const ACTIONS: Array<{ action: Action; description: string }> = [
  { action: 'ack', description: 'Acknowledge: stops the acknowledge clock and escalation' },
  { action: 'mitigate', description: 'Mark mitigated: impact stopped, cause not yet fixed' },
  { action: 'resolve', description: 'Resolve: stops the resolve clock' },
  { action: 'close', description: 'Close a resolved incident' },
  { action: 'reopen', description: 'Reopen a resolved or closed incident (back to triggered, clocks restart)' },
];

async function transition(ctx: CliContext, ref: string, action: Action, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const id = await ids(client).incident(ref);
  const incident = await client.request<Incident>('POST', path(id, `/${action}`), { body: {} });
  if (options.json) return ctx.out.json(incident);
  ctx.out.print(`Incident ${incident.id} is ${incident.state}`);
}

async function note(ctx: CliContext, ref: string, text: string, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const id = await ids(client).incident(ref);
  const event = await client.request<TimelineEvent>('POST', path(id, '/notes'), { body: { text } });
  if (options.json) return ctx.out.json(event);
  ctx.out.print(`Note added to ${id}`);
}

interface AssignOptions extends JsonOption {
  commander?: boolean;
}

/**
 * `me`, `none`, a user id, or (for an admin, who may list users) a username
 * or id prefix. Answers the id and a name to show.
 */
async function person(client: NexusClient, ref: string): Promise<{ id: string | null; name: string }> {
  if (ref === 'none') return { id: null, name: 'nobody' };
  if (ref === 'me') {
    const me = await client.me();
    return { id: me.user.id, name: me.user.username };
  }
  if (isUuid(ref)) return { id: ref.toLowerCase(), name: ref.toLowerCase() };
  try {
    const user = await resolveUser(client, ref);
    return { id: user.id, name: user.username };
  } catch (error) {
    // Only admins may list users; others name people the way the console lets them: themselves, or by id.
    if (error instanceof CliError && error.exitCode === EXIT.unauthorized) {
      throw new UsageError(`cannot look up ${JSON.stringify(ref)}: finding users by name needs the admin role`, 'give `me`, `none` or the user\'s full id');
    }
    throw error;
  }
}

async function assign(ctx: CliContext, ref: string, userRef: string, options: AssignOptions): Promise<void> {
  const client = ctx.client();
  const id = await ids(client).incident(ref);
  const who = await person(client, userRef);
  const field = options.commander ? 'commanderId' : 'assigneeId';
  const incident = await client.request<Incident>('PATCH', path(id), { body: { [field]: who.id } });
  if (options.json) return ctx.out.json(incident);
  ctx.out.print(`Incident ${incident.id}: ${options.commander ? 'commander' : 'assignee'} ${cell(who.name)}`);
}

const ID_ARG = 'incident id, or a unique prefix of one';

/** `nexus incident list|show|ack|mitigate|resolve|close|reopen|assign|note|postmortem`. */
export function registerIncidentCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('incident').description('Incidents: list, show with timeline, move through their lifecycle, assign, notes, post-mortem');
  group
    .command('list')
    .description('Incidents, newest first')
    .addOption(repeatable('--state <state>', `only these states (${STATES.join(', ')}; repeatable)`, oneOf(STATES)))
    .addOption(repeatable('--severity <severity>', 'only these severities (P1, P2, P3; repeatable)', oneOf(SEVERITIES)))
    .option('--service <name>', 'only this service, exactly')
    .option('--assignee <user>', '`me`, `unassigned`, a user id, or (admin) a username or id prefix')
    .option('--from <time>', 'triggered at or after: ISO 8601 or an age (7d)', (v: string) => parseTime(v))
    .option('--to <time>', 'triggered before: same forms as --from', (v: string) => parseTime(v))
    .option('--search <text>', 'text in the title or in a linked alert (case-insensitive)')
    .option('--sort <field>', `order by ${SORTS.join(', ')} (default triggeredAt)`, oneOf(SORTS))
    .option('--order <order>', 'desc (default) or asc', oneOf(['asc', 'desc']))
    .option('--limit <n>', 'at most this many (default 100)', positive)
    .option('--json', 'print JSON')
    .action((options: ListOptions) => list(ctx, options));
  group.command('show').description('One incident with its timeline').argument('<id>', ID_ARG, incidentId).option('--json', 'print JSON').action((id: string, o: JsonOption) => show(ctx, id, o));
  for (const { action, description } of ACTIONS) {
    group
      .command(action)
      .description(description)
      .argument('<id>', ID_ARG, incidentId)
      .option('--json', 'print JSON')
      .action((id: string, o: JsonOption) => transition(ctx, id, action, o));
  }
  group
    .command('assign')
    .description('Set who has the incident (or its commander, with --commander)')
    .argument('<id>', ID_ARG, incidentId)
    .argument('<user>', '`me`, `none`, a user id, or (admin) a username or id prefix')
    .option('--commander', 'set the incident commander instead of the assignee')
    .option('--json', 'print JSON')
    .action((id: string, user: string, o: AssignOptions) => assign(ctx, id, user, o));
  group
    .command('note')
    .description('Add a note to the timeline')
    .argument('<id>', ID_ARG, incidentId)
    .argument('<text>', 'the note')
    .option('--json', 'print JSON')
    .action((id: string, text: string, o: JsonOption) => note(ctx, id, text, o));
  group
    .command('postmortem')
    .description('Print the post-mortem Markdown (the latest edit, or the generated draft); same as `nexus postmortem show`')
    .argument('<id>', ID_ARG, incidentId)
    .option('--json', 'print JSON (with version)')
    .action((id: string, o: JsonOption) => showPostmortem(ctx, id, o));
  return group;
}
