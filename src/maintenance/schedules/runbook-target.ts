import { setTimeout as delay } from 'node:timers/promises';
import type { Principal } from '../../platform/http/types.js';
import type { RunsModule, RunStep } from '../../runbooks/index.js';
import type { TaskResult } from '../tasks.js';

/** What a scheduled procedure needs of the runbooks domain: exactly what a person's run uses. */
export type RunbookRuns = { runs: Pick<RunsModule['runs'], 'create' | 'get'>; actions: Pick<RunsModule['actions'], 'request'> };

export interface ProcedureTarget {
  runbookId: string;
  procedureId: string;
  parameters: Record<string, string>;
}

export interface DriveHooks {
  signal: AbortSignal;
  progress(fraction: number | null, message: string): void;
  started(runbookRunId: string): Promise<void>;
  pollMs: number;
}

const SUCCEEDED = new Set(['succeeded', 'skipped']);
const FAILED = new Set(['failed', 'timed-out', 'cancelled', 'lost']);

/**
 * Runs a procedure the way `nexus runbook run --all --follow` does: create
 * the run as `principal`, then request each command in order and wait for it
 * to end before the next. The runs domain applies its policy to every
 * request, so a destructive command waits at its approval gate for a second
 * person exactly as it would for a person's run; a rejection ends the run.
 */
export async function driveProcedure(runs: RunbookRuns, principal: Principal, target: ProcedureTarget, hooks: DriveHooks): Promise<TaskResult> {
  const run = await runs.runs.create(principal, { runbook: target.runbookId, procedure: target.procedureId, parameters: target.parameters });
  await hooks.started(run.id);
  const commands = [...run.steps].sort((a, b) => a.seq - b.seq);
  const total = commands.length;
  const details = { runbookRunId: run.id, procedure: target.procedureId, commands: total };
  if (total === 0) return { ok: true, summary: `${run.procedureTitle}: no commands to run`, details };
  for (const [index, command] of commands.entries()) {
    hooks.progress(index / total, `${command.title}: ${command.commandId} requested`);
    const [requested] = await runs.actions.request(principal, run.id, command.commandId);
    const ended = await waitForEnd(runs, run.id, command.commandId, requested, hooks, index / total);
    if (ended.outcome !== 'succeeded') {
      return { ok: false, summary: `${run.procedureTitle}: ${command.commandId} ${ended.reason}`, details: { ...details, done: index, failedCommand: command.commandId } };
    }
  }
  hooks.progress(1, `${total} of ${total} commands done`);
  return { ok: true, summary: `${run.procedureTitle}: ${total} commands succeeded`, details: { ...details, done: total } };
}

type Ended = { outcome: 'succeeded' } | { outcome: 'failed'; reason: string };

async function waitForEnd(runs: RunbookRuns, runId: string, commandId: string, first: RunStep | undefined, hooks: DriveHooks, fraction: number): Promise<Ended> {
  let step = first;
  let announcedApproval = false;
  for (;;) {
    if (step) {
      if (SUCCEEDED.has(step.state)) return { outcome: 'succeeded' };
      if (FAILED.has(step.state)) return { outcome: 'failed', reason: `${step.state}${step.exitCode !== null ? ` (exit ${step.exitCode})` : ''}${step.error ? `: ${step.error}` : ''}` };
      // Back to pending after the request: an approver refused it.
      if (step.state === 'pending') return { outcome: 'failed', reason: `was not approved${step.error ? `: ${step.error}` : ''}` };
      if (step.state === 'awaiting-approval' && !announcedApproval) {
        announcedApproval = true;
        hooks.progress(fraction, `${step.title}: ${commandId} is ${step.risk}; waiting for a second person to approve it`);
      }
    }
    hooks.signal.throwIfAborted();
    await delay(hooks.pollMs, undefined, { signal: hooks.signal });
    const run = await runs.runs.get(runId);
    if (run.status === 'cancelled' || run.status === 'closed') return { outcome: 'failed', reason: `not run: the run was ${run.status}` };
    step = run.steps.find((s) => s.commandId === commandId);
  }
}
