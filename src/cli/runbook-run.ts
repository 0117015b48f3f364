import type { Command } from 'commander';
import type { Procedure } from '../runbooks/model.js';
import type { NexusClient, RunView } from './client.js';
import type { CliContext } from './context.js';
import { EXIT, UsageError } from './output.js';
import { ids } from './ids.js';
import { getRunbookDetail } from './runbook.js';
import { follow } from './runbook-run-follow.js';
import { addRunOptions, type RunOptions } from './runbook-run-options.js';
import { confirmRisky, resolveCommands, resolveProcedure, runBody } from './runbook-run-plan.js';
import { finalSummary, printRun, shortId } from './runbook-run-print.js';

/**
 * `nexus runbook run <runbook> <procedure>`: start a run of one procedure,
 * request its steps in order and, with --follow, watch them over SSE until
 * they end. The server decides everything that matters (parameters, risk,
 * policy, approvals); the CLI checks what it can first so a typo costs no
 * run, and reports what the server did.
 *
 * The flags are in runbook-run-options.ts, what the run will be in
 * runbook-run-plan.ts, following it in runbook-run-follow.ts and how it is
 * shown in runbook-run-print.ts.
 */

/** Without --follow: request in order, but stop after one that waits for approval (later ones would overtake it). */
async function requestOnly(ctx: CliContext, client: NexusClient, run: RunView, procedure: Procedure, commandIds: string[], options: RunOptions): Promise<void> {
  const emit = options.json ? ctx.out.note : ctx.out.print;
  for (const [i, commandId] of commandIds.entries()) {
    const { steps } = await client.requestStep(run.id, commandId);
    for (const step of steps) emit(`[${shortId(procedure, step.commandId)}] ${step.state}`);
    if (steps.some((s) => s.state === 'awaiting-approval')) {
      const rest = commandIds.slice(i + 1).map((k) => shortId(procedure, k));
      if (rest.length > 0) emit(`not requested (they would run before the approval): ${rest.join(', ')}`);
      return;
    }
  }
}

async function runProcedure(ctx: CliContext, runbookRef: string, procedureRef: string, options: RunOptions): Promise<void> {
  if (options.all && options.step.length > 0) throw new UsageError('give --step or --all, not both');
  const stepsWanted = options.all || options.step.length > 0;
  if (options.follow && !stepsWanted) throw new UsageError('--follow needs --step or --all (it follows the steps it requests)');
  const client = ctx.client();
  const detail = await getRunbookDetail(client, runbookRef, options.version);
  const procedure = resolveProcedure(detail.parsed.procedures, procedureRef);
  const commandIds = stepsWanted ? resolveCommands(procedure, options) : [];
  if (options.all && commandIds.length === 0) throw new UsageError(`${procedure.id} has no commands to run`);
  const incident = options.incident === undefined ? undefined : await ids(client).incident(options.incident);
  const body = await runBody(detail, procedure, { ...options, incident });
  await confirmRisky(ctx, procedure, commandIds, options);
  const run = await client.createRun(body);
  const emit = options.json ? ctx.out.note : ctx.out.print;
  printRun(emit, run, procedure);
  if (!options.follow) {
    await requestOnly(ctx, client, run, procedure, commandIds, options);
    if (options.json) ctx.out.json(await client.getRun(run.id));
    return;
  }
  const result = await follow(ctx, client, run, procedure, commandIds, options);
  const final = await client.getRun(run.id);
  finalSummary(emit, final, procedure, result);
  if (options.json) ctx.out.json(final);
  if (result.outcome !== 'succeeded') process.exitCode = EXIT.failure;
}

/** Adds `run` to the `nexus runbook` group. */
export function registerRunbookRun(runbookGroup: Command, ctx: CliContext): void {
  const run = runbookGroup
    .command('run')
    .argument('<runbook>', 'a runbook slug, id, or unique id prefix')
    .argument('<procedure>', 'a procedure id, title, or a unique prefix of either ("P1")')
    .description('Start a run of a procedure; request its steps (--step, --all) and follow their output live (--follow)');
  addRunOptions(run).action((runbook: string, procedure: string, options: RunOptions) => runProcedure(ctx, runbook, procedure, options));
}
