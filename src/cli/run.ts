import { createInterface } from 'node:readline/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { NexusClient, RunStepView, RunView } from './client.js';
import type { CliContext } from './context.js';
import { idArgument, ids } from './ids.js';
import { CliError, EXIT, UsageError, cell, time } from './output.js';
import { follow } from './runbook-run-follow.js';
import { finalSummary, printRun, shortId } from './runbook-run-print.js';

/**
 * `nexus run list|show|approve|reject|continue|cancel`: what the console's
 * run page does, for a run that already exists (`nexus runbook run` starts
 * one). Steps are named as `nexus runbook run` names them: a command or step
 * id, in full or without the procedure prefix.
 */

interface JsonOption {
  json?: boolean;
}
interface ListOptions extends JsonOption {
  incident?: string;
  status?: string;
  limit?: number;
}
interface ApproveOptions extends JsonOption {
  yes?: boolean;
}
interface RejectOptions extends JsonOption {
  reason?: string;
}
interface ContinueOptions extends JsonOption {
  step: string[];
  follow?: boolean;
  waitApproval: boolean;
  yes?: boolean;
}

/** As `GET /api/v1/runs` lists them: without steps and checks. */
type RunSummaryView = Omit<RunView, 'steps' | 'checks'>;

const RUN_STATUSES = ['waiting', 'running', 'succeeded', 'failed', 'cancelled'];
/** Requested and not ended: a later command requested now would be queued behind (or, for approval, before) these. */
const IN_FLIGHT = new Set(['awaiting-approval', 'queued', 'running']);

function oneOf(values: string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value;
  };
}

function positive(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('must be a whole number from 1 to 100000');
  return n;
}

const runPath = (id: string, tail = '') => `/api/v1/runs/${encodeURIComponent(id)}${tail}`;
const stepPath = (id: string, key: string, action: string) => runPath(id, `/steps/${encodeURIComponent(key)}/${action}`);
const procedureOf = (run: RunView) => ({ id: run.procedureId });
const label = (run: RunView, step: RunStepView) => shortId(procedureOf(run), step.commandId);

interface Target {
  /** What the API takes: a command id, or a step id meaning each of its commands. */
  key: string;
  steps: RunStepView[];
}

/** The commands `given` names in this run (a command id or a step id, in full or without the procedure prefix). */
function named(run: RunView, given: string): Target {
  const names = [given, `${run.procedureId}.${given}`];
  const command = run.steps.find((s) => names.includes(s.commandId));
  if (command) return { key: command.commandId, steps: [command] };
  const steps = run.steps.filter((s) => names.includes(s.stepId));
  if (steps.length > 0) return { key: steps[0]!.stepId, steps };
  const known = [...new Set(run.steps.map((s) => shortId(procedureOf(run), s.stepId)))].join(', ');
  throw new UsageError(`no step or command ${JSON.stringify(given)} in run ${run.id}; its steps: ${known || 'none'}`);
}

/** The one named, or else the only command in `states` (approve and reject without a step mean the one awaiting approval). */
function target(run: RunView, given: string | undefined, states: string[], verb: string): Target {
  if (given !== undefined) return named(run, given);
  const candidates = run.steps.filter((s) => states.includes(s.state));
  if (candidates.length === 1) return { key: candidates[0]!.commandId, steps: candidates };
  if (candidates.length === 0) throw new CliError(`nothing in run ${run.id} to ${verb}: no command is ${states.join(' or ')}`, EXIT.conflict);
  const list = candidates.map((s) => `  ${label(run, s)}  ${s.risk}  ${cell(s.command.split('\n')[0])}`).join('\n');
  throw new UsageError(`${candidates.length} commands of run ${run.id} could be meant:\n${list}`, `name one: nexus run ${verb} ${run.id} <step>`);
}

/** Like `nexus runbook run`: a y/N question at a terminal, --yes in a script; the server's policy still decides. */
async function confirm(ctx: CliContext, what: string, steps: RunStepView[], run: RunView, yes: boolean | undefined, question: string): Promise<void> {
  const risky = steps.filter((s) => s.risk !== 'read');
  if (yes || risky.length === 0) return;
  const list = risky.map((s) => `  ${s.risk.padEnd(11)} ${label(run, s)}  ${cell(s.command.split('\n')[0])}`).join('\n');
  if (!ctx.stdin.isTTY) throw new UsageError(`these commands change or destroy things; pass --yes to ${what} them:\n${list}`);
  ctx.prompt.write(`These commands change or destroy things:\n${list}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError(`not confirmed; nothing was ${what === 'request' ? 'requested' : `${what}d`}`, EXIT.failure);
  } finally {
    rl.close();
  }
}

async function listRuns(ctx: CliContext, options: ListOptions): Promise<void> {
  const client = ctx.client();
  const incidentId = options.incident === undefined ? undefined : await ids(client).incident(options.incident);
  const query = { incidentId, status: options.status };
  const runs: RunSummaryView[] = [];
  const pages = client.paginate((page) => client.request<{ items: RunSummaryView[]; next: string | null }>('GET', '/api/v1/runs', { query: { ...query, ...page } }), options.limit ?? 100);
  for await (const run of pages) runs.push(run);
  if (options.json) return ctx.out.json({ items: runs });
  const rows = runs.map((r) => [r.id, r.status, cell(r.procedureTitle), `${cell(r.runbook.slug)} v${r.version}`, r.incidentId ?? '-', time(r.createdAt)]);
  ctx.out.table(['ID', 'STATUS', 'PROCEDURE', 'RUNBOOK', 'INCIDENT', 'CREATED'], rows, 'No runs.');
}

async function getRun(client: NexusClient, ref: string): Promise<RunView> {
  return client.request<RunView>('GET', runPath(await ids(client).run(ref)));
}

async function showRun(ctx: CliContext, ref: string, options: JsonOption): Promise<void> {
  const run = await getRun(ctx.client(), ref);
  if (options.json) return ctx.out.json(run);
  printRun(ctx.out.print, run, procedureOf(run));
  if (run.incidentId) ctx.out.print(`Incident: ${run.incidentId}`);
  for (const check of run.checks) ctx.out.print(`  [${check.checked ? 'x' : ' '}] ${cell(check.text)}`);
  const failed = run.steps.filter((s) => s.error);
  for (const step of failed) ctx.out.print(`${label(run, step)}: ${cell(step.error)}`);
}

function printSteps(ctx: CliContext, run: RunView, steps: RunStepView[], options: JsonOption): void {
  if (options.json) return ctx.out.json({ steps });
  for (const step of steps) ctx.out.print(`[${label(run, step)}] ${step.state}`);
}

async function approve(ctx: CliContext, ref: string, step: string | undefined, options: ApproveOptions): Promise<void> {
  const client = ctx.client();
  const run = await getRun(client, ref);
  const { key, steps: named } = target(run, step, ['awaiting-approval'], 'approve');
  const waiting = named.filter((s) => s.state === 'awaiting-approval');
  await confirm(ctx, 'approve', waiting, run, options.yes, 'Approve them (they run at once)?');
  const { steps } = await client.request<{ steps: RunStepView[] }>('POST', stepPath(run.id, key, 'approve'), { body: {} });
  printSteps(ctx, run, steps, options);
}

async function reject(ctx: CliContext, ref: string, step: string | undefined, options: RejectOptions): Promise<void> {
  const client = ctx.client();
  const run = await getRun(client, ref);
  const { key } = target(run, step, ['awaiting-approval'], 'reject');
  const body = options.reason === undefined ? {} : { reason: options.reason };
  const { steps } = await client.request<{ steps: RunStepView[] }>('POST', stepPath(run.id, key, 'reject'), { body });
  printSteps(ctx, run, steps, options);
}

async function cancel(ctx: CliContext, ref: string, step: string | undefined, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const run = await getRun(client, ref);
  if (step === undefined) {
    const cancelled = await client.request<RunView>('POST', runPath(run.id, '/cancel'), { body: {} });
    if (options.json) return ctx.out.json(cancelled);
    return ctx.out.print(`Run ${cancelled.id} is ${cancelled.status}`);
  }
  const { key } = named(run, step);
  const { steps } = await client.request<{ steps: RunStepView[] }>('POST', stepPath(run.id, key, 'cancel'), { body: {} });
  printSteps(ctx, run, steps, options);
}

/** Pending commands to request, in the run's order: all of them, or those of each --step. */
function toContinue(run: RunView, given: string[]): RunStepView[] {
  const wanted = given.length === 0 ? null : new Set(given.flatMap((g) => named(run, g).steps).map((s) => s.commandId));
  return [...run.steps].sort((a, b) => a.seq - b.seq).filter((s) => s.state === 'pending' && (wanted === null || wanted.has(s.commandId)));
}

/**
 * Requests what is left, in order, where `nexus runbook run` stopped (after
 * an approval) or a person left off. A command awaiting approval before them
 * comes first: requested now, the later ones would run before it.
 */
async function continueRun(ctx: CliContext, ref: string, options: ContinueOptions): Promise<void> {
  const client = ctx.client();
  const run = await getRun(client, ref);
  const next = toContinue(run, options.step);
  const emit = options.json ? ctx.out.note : ctx.out.print;
  if (next.length === 0) {
    emit(`Nothing to request: run ${run.id} has no pending commands${options.step.length > 0 ? ' among those named' : ''} (${run.status})`);
    if (options.json) ctx.out.json(run);
    return;
  }
  const first = next[0]!.seq;
  const before = run.steps.filter((s) => s.seq < first && IN_FLIGHT.has(s.state)).sort((a, b) => a.seq - b.seq);
  const blocking = before.filter((s) => s.state === 'awaiting-approval');
  if (blocking.length > 0 && (!options.follow || !options.waitApproval)) {
    const names = blocking.map((s) => label(run, s)).join(', ');
    throw new CliError(
      `${names} awaits approval; the commands after it would run before it. Approve or reject it first (nexus run approve|reject ${run.id}), or wait for it with --follow`,
      EXIT.conflict,
    );
  }
  await confirm(ctx, 'request', next, run, options.yes, 'Request them?');
  printRun(emit, run, procedureOf(run));
  const commandIds = next.map((s) => s.commandId);
  if (!options.follow) {
    for (const [i, commandId] of commandIds.entries()) {
      const { steps } = await client.request<{ steps: RunStepView[] }>('POST', stepPath(run.id, commandId, 'run'), { body: {} });
      for (const step of steps) emit(`[${label(run, step)}] ${step.state}`);
      if (steps.some((s) => s.state === 'awaiting-approval')) {
        const rest = commandIds.slice(i + 1).map((k) => shortId(procedureOf(run), k));
        if (rest.length > 0) emit(`not requested (they would run before the approval): ${rest.join(', ')}`);
        break;
      }
    }
    if (options.json) ctx.out.json(await client.request<RunView>('GET', runPath(run.id)));
    return;
  }
  const result = await follow(ctx, client, run, procedureOf(run), commandIds, options, before.map((s) => s.commandId));
  const final = await client.request<RunView>('GET', runPath(run.id));
  finalSummary(emit, final, procedureOf(run), result);
  if (options.json) ctx.out.json(final);
  if (result.outcome !== 'succeeded') process.exitCode = EXIT.failure;
}

const RUN_ARG = 'run id, or a unique prefix of one';
const STEP_ARG = 'a command or step id, in full or without the procedure prefix';

export function registerRunCommands(program: Command, ctx: CliContext): void {
  const group = program.command('run').description('Runs of runbook procedures: list, show, approve or reject a step, continue, cancel');
  const runId = idArgument('run');
  group
    .command('list')
    .description('Runs, newest first')
    .option('--incident <id>', 'only runs linked to this incident (an id or a unique prefix)', idArgument('incident'))
    .option('--status <status>', `only this status (${RUN_STATUSES.join(', ')})`, oneOf(RUN_STATUSES))
    .option('--limit <n>', 'at most this many (default 100)', positive)
    .option('--json', 'print {items} as JSON')
    .action((options: ListOptions) => listRuns(ctx, options));
  group
    .command('show')
    .description('One run: its commands with risk and state, manual checks, errors')
    .argument('<run>', RUN_ARG, runId)
    .option('--json', 'print the run as JSON')
    .action((ref: string, options: JsonOption) => showRun(ctx, ref, options));
  group
    .command('approve')
    .description('Approve a command awaiting approval (you must not be who requested it); it runs at once')
    .argument('<run>', RUN_ARG, runId)
    .argument('[step]', `${STEP_ARG} (default: the one awaiting approval)`)
    .option('--yes', 'do not ask first (required without a terminal)')
    .option('--json', 'print {steps} as JSON')
    .action((ref: string, step: string | undefined, options: ApproveOptions) => approve(ctx, ref, step, options));
  group
    .command('reject')
    .description('Refuse a command awaiting approval: back to pending, with your reason')
    .argument('<run>', RUN_ARG, runId)
    .argument('[step]', `${STEP_ARG} (default: the one awaiting approval)`)
    .option('--reason <text>', 'why, for the requester and the timeline')
    .option('--json', 'print {steps} as JSON')
    .action((ref: string, step: string | undefined, options: RejectOptions) => reject(ctx, ref, step, options));
  group
    .command('continue')
    .description('Request the pending commands, in order, from where the run stopped; --follow streams them like `nexus runbook run --follow`')
    .argument('<run>', RUN_ARG, runId)
    .addOption(
      new Option('--step <id>', `only this step or command (repeatable; ${STEP_ARG})`)
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([], 'all pending'),
    )
    .option('--follow', 'stream output and state changes until they end; exit 1 if one did not succeed')
    .option('--no-wait-approval', 'with --follow: stop (exit 1) when a command awaits approval instead of waiting for it')
    .option('--yes', 'do not ask before requesting change or destructive commands (required without a terminal)')
    .option('--json', 'print the run (at the end, with --follow) as JSON on stdout; progress goes to stderr')
    .action((ref: string, options: ContinueOptions) => continueRun(ctx, ref, options));
  group
    .command('cancel')
    .description('Cancel the run (nothing more runs; running commands are killed), or only one step of it')
    .argument('<run>', RUN_ARG, runId)
    .argument('[step]', STEP_ARG)
    .option('--json', 'print the run (or {steps}) as JSON')
    .action((ref: string, step: string | undefined, options: JsonOption) => cancel(ctx, ref, step, options));
}
