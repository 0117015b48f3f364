import type { Procedure } from '../runbooks/model.js';
import type { RunView } from './client.js';
import { cell } from './output.js';
import type { Requested } from './runbook-run-follow.js';

/** How `nexus runbook run` and `nexus run` show a run to a person: labels, state lines, output lines, summaries. */

/** All that labels need of a procedure: a run knows its procedure's id without the runbook. */
export type ProcedureRef = Pick<Procedure, 'id'>;

/** Short labels: a command id without its procedure's prefix (`immediate-actions.1.c1`). */
export function shortId(procedure: ProcedureRef, id: string): string {
  return id.startsWith(`${procedure.id}.`) ? id.slice(procedure.id.length + 1) : id;
}

export const seconds = (ms: number | null) => (ms === null ? '?' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

// Output comes from the commands: never let it move the cursor or recolour the terminal. Tabs stay.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** One line of a command's output, after its label. */
export function outputLine(label: string, line: string): string {
  return `${label} | ${line.replace(CONTROL, '?')}`;
}

/** The fields of a `run.step` event (or of a step read from the API) that the follower uses. */
export interface StepNews {
  commandId: string;
  state: string;
  attempt: number;
  exitCode: number | null;
  durationMs: number | null;
  error: string | null;
  runnerId: string | null;
  /** Who caused the change; unknown when the state was read from the API rather than an event. */
  actor?: string;
}

/** What a state change tells a person. */
export function stateLine(step: StepNews, runId: string): string {
  switch (step.state) {
    case 'queued':
      return 'queued';
    case 'awaiting-approval': {
      const by = step.actor ? cell(step.actor) : 'the requester';
      return (
        `awaiting approval: requested by ${by}; a second person with the approver role ` +
        `(operator or admin, unless NEXUS_RUN_POLICY says otherwise), not ${by}, must approve it ` +
        `in the console or with: nexus run approve ${runId} ${step.commandId}`
      );
    }
    case 'running':
      return `running on ${cell(step.runnerId)}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`;
    case 'succeeded':
      return `succeeded (exit ${step.exitCode ?? '?'}, ${seconds(step.durationMs)})`;
    case 'pending':
      return `back to pending${step.error ? `: ${cell(step.error)}` : ''}`;
    default: {
      const exit = step.exitCode === null ? '' : `exit ${step.exitCode}, `;
      // "exit code 3" says nothing the parenthesis does not; other errors (expect not met, timeout) do.
      const error = step.error && !/^exit code \d+$/.test(step.error) ? `: ${cell(step.error)}` : '';
      return `${step.state} (${exit}${seconds(step.durationMs)})${error}`;
    }
  }
}

export function printRun(emit: (line: string) => void, run: RunView, procedure: ProcedureRef): void {
  const params = Object.entries(run.parameters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${cell(v)}`);
  emit(`Run ${run.id}: ${cell(run.procedureTitle)} (${cell(run.runbook.slug)} version ${run.version}), ${run.status}`);
  if (params.length > 0) emit(`Parameters: ${params.join(' ')}`);
  for (const step of run.steps) {
    emit(`  ${shortId(procedure, step.commandId).padEnd(28)} ${step.risk.padEnd(11)} ${step.state.padEnd(17)} ${cell(step.command.split('\n')[0])}`);
  }
}

export function finalSummary(emit: (line: string) => void, run: RunView, procedure: ProcedureRef, result: Requested): void {
  const open = run.checks.filter((c) => !c.checked);
  if (result.notRequested.length > 0) emit(`not requested: ${result.notRequested.map((k) => shortId(procedure, k)).join(', ')}`);
  if (result.outcome === 'awaiting-approval') emit(`stopped following: a step awaits approval (the run ${run.id} goes on once it is approved)`);
  if (open.length > 0) emit(`manual checks to tick: ${open.map((c) => cell(c.text)).join('; ')}`);
  emit(`run ${run.id}: ${run.status}`);
}
