import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import type { Schedule, ScheduleRun } from '../maintenance/index.js';
import type { NexusClient } from './client.js';
import type { CliContext } from './context.js';
import { ids, isIdOrPrefix } from './ids.js';
import { cell, CliError, EXIT, time } from './output.js';

interface JsonOption {
  json?: boolean;
}

type Paged<T> = { items: T[]; next: string | null };

/** How often `run` looks at the run it follows. */
const FOLLOW_MS = 1000;
const OPEN = new Set(['queued', 'running']);

async function allSchedules(client: NexusClient): Promise<Schedule[]> {
  const items: Schedule[] = [];
  for await (const s of client.paginate((page) => client.request<Paged<Schedule>>('GET', '/api/v1/schedules', { query: page }))) items.push(s);
  return items;
}

/** An id, a unique id prefix, or a schedule's exact name. */
async function scheduleId(client: NexusClient, ref: string): Promise<string> {
  if (isIdOrPrefix(ref)) return ids(client).schedule(ref);
  const found = (await allSchedules(client)).find((s) => s.name === ref);
  if (!found) throw new CliError(`no schedule named "${ref}" (nexus schedule list shows them)`, EXIT.notFound);
  return found.id;
}

const target = (s: Schedule) => (s.targetKind === 'task' ? `task ${s.task}` : `${s.runbook ?? s.runbookId}/${s.procedure}`);
const last = (s: Schedule) => (s.lastRun ? `${s.lastRun.status} ${time(s.lastRun.finishedAt ?? s.lastRun.createdAt)}` : '-');

async function list(ctx: CliContext, options: JsonOption): Promise<void> {
  const items = await allSchedules(ctx.client());
  if (options.json) return ctx.out.json({ items });
  const rows = items.map((s) => [s.id, cell(s.name), `${s.cron} ${s.timeZone}`, cell(target(s)), s.enabled ? 'enabled' : 'disabled', time(s.nextDueAt), cell(last(s))]);
  ctx.out.table(['ID', 'NAME', 'CRON', 'TARGET', 'STATE', 'NEXT DUE', 'LAST RUN'], rows, 'No schedules.');
}

async function setEnabled(ctx: CliContext, ref: string, enabled: boolean, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const id = await scheduleId(client, ref);
  const schedule = await client.request<Schedule>('POST', `/api/v1/schedules/${id}/${enabled ? 'enable' : 'disable'}`, { body: {} });
  if (options.json) return ctx.out.json(schedule);
  ctx.out.print(enabled ? `Enabled ${cell(schedule.name)}; next due ${time(schedule.nextDueAt)}` : `Disabled ${cell(schedule.name)}`);
}

function progressLine(run: ScheduleRun): string | null {
  if (!run.progress) return null;
  const share = run.progress.fraction === null ? '' : `${Math.round(run.progress.fraction * 100)}% `;
  return `${share}${cell(run.progress.message)}`;
}

/** Starts a run and, unless detached, shows its progress until it ends; exit 1 unless it ended ok. */
async function run(ctx: CliContext, ref: string, options: JsonOption & { wait: boolean }): Promise<void> {
  const client = ctx.client();
  const id = await scheduleId(client, ref);
  let current = await client.request<ScheduleRun>('POST', `/api/v1/schedules/${id}/run`, { body: {} });
  const emit = options.json ? ctx.out.note : ctx.out.print;
  emit(`Run ${current.id} ${current.status}`);
  if (!options.wait) return options.json ? ctx.out.json(current) : undefined;
  let shown = '';
  let state = current.status;
  let runbookRun: string | null = null;
  while (OPEN.has(current.status)) {
    await delay(FOLLOW_MS);
    current = await client.request<ScheduleRun>('GET', `/api/v1/schedules/${id}/runs/${current.id}`);
    if (current.status !== state) emit((state = current.status));
    if (current.runbookRunId && current.runbookRunId !== runbookRun) emit(`runbook run ${(runbookRun = current.runbookRunId)} (nexus run show ${runbookRun})`);
    const line = progressLine(current);
    if (line && line !== shown) emit((shown = line));
  }
  if (options.json) ctx.out.json(current);
  else {
    ctx.out.print(`${current.status}: ${cell(current.summary)}`);
    if (current.notification) ctx.out.print(cell(current.notification));
  }
  if (current.status !== 'ok') process.exitCode = EXIT.failure;
}

/** `nexus schedule list|enable|disable|run`. */
export function registerScheduleCommands(program: Command, ctx: CliContext): void {
  const group = program.command('schedule').description('Maintenance schedules: list them, enable or disable one (admin), run one now (operator)');
  group.command('list').description('Schedules with their cron, next due time and last result').option('--json', 'print JSON').action((o: JsonOption) => list(ctx, o));
  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    group
      .command(verb)
      .description(enabled ? 'Enable a schedule (admin); its next due time counts from now' : 'Disable a schedule (admin)')
      .argument('<schedule>', 'schedule id, unique id prefix, or name')
      .option('--json', 'print the schedule as JSON')
      .action((ref: string, o: JsonOption) => setEnabled(ctx, ref, enabled, o));
  }
  group
    .command('run')
    .description('Run a schedule now (operator) and show its progress until it ends (exit 1 unless it ended ok)')
    .argument('<schedule>', 'schedule id, unique id prefix, or name')
    .option('--no-wait', 'start it and return at once')
    .option('--json', 'print the run as JSON when it ends (progress goes to stderr)')
    .action((ref: string, o: JsonOption & { wait: boolean }) => run(ctx, ref, o));
}
