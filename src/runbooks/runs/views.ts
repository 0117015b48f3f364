import type { RiskClass } from '../model.js';
import type { Run, RunCheck, RunStatus, RunStep, RunSummary, StepState } from './schema.js';
import type { CheckRow, RunWithRunbook, StepRow } from './store.js';

const EXCERPT_CHARS = 2048;

/** The stored output as a reader sees it: head, a marker saying how much was dropped, tail. */
export function fullOutput(row: Pick<StepRow, 'output' | 'outputTail' | 'outputBytes'>): { text: string; truncated: boolean } {
  const kept = Buffer.byteLength(row.output) + Buffer.byteLength(row.outputTail);
  const dropped = row.outputBytes - kept;
  if (dropped <= 0) return { text: row.output + row.outputTail, truncated: false };
  return { text: `${row.output}\n… [${dropped} bytes truncated] …\n${row.outputTail}`, truncated: true };
}

export function outputExcerpt(row: Pick<StepRow, 'output' | 'outputTail' | 'outputBytes'>): string {
  const { text } = fullOutput(row);
  return text.length <= EXCERPT_CHARS ? text : `…${text.slice(-EXCERPT_CHARS)}`;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toRunStep(row: StepRow): RunStep {
  return {
    id: row.id,
    seq: row.seq,
    commandId: row.commandId,
    stepId: row.stepId,
    title: row.title,
    description: row.description,
    command: row.command,
    risk: row.risk as RiskClass,
    state: row.state as StepState,
    attempt: row.attempt,
    requestedBy: row.requestedBy,
    approvedBy: row.approvedBy,
    runnerId: row.runnerId,
    selector: row.selector,
    timeoutSeconds: row.timeoutSeconds,
    queuedAt: iso(row.queuedAt),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    durationMs: row.durationMs,
    exitCode: row.exitCode,
    error: row.error,
    cancelRequested: row.cancelRequestedAt !== null && row.state === 'running',
    outputBytes: row.outputBytes,
    outputTruncated: fullOutput(row).truncated,
    outputExcerpt: outputExcerpt(row),
  };
}

export function toRunCheck(row: CheckRow): RunCheck {
  return { id: row.checkId, text: row.text, checked: row.checkedAt !== null, checkedBy: row.checkedBy, checkedAt: iso(row.checkedAt) };
}

export function toRunSummary({ run, runbook }: RunWithRunbook): RunSummary {
  return {
    id: run.id,
    runbook,
    version: run.version,
    procedureId: run.procedureId,
    procedureTitle: run.procedureTitle,
    incidentId: run.incidentId,
    status: run.status as RunStatus,
    closedReason: run.closedReason,
    parameters: run.parameters as Record<string, string>,
    variables: run.variables as Record<string, string>,
    createdBy: run.createdBy,
    createdAt: run.createdAt.toISOString(),
    finishedAt: iso(run.finishedAt),
  };
}

export function toRun(data: RunWithRunbook, steps: StepRow[], checks: CheckRow[]): Run {
  return { ...toRunSummary(data), steps: steps.map(toRunStep), checks: checks.map(toRunCheck) };
}
