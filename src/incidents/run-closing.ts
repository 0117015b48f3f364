import type { Logger } from '../platform/logger.js';
import type { RunService } from '../runbooks/index.js';
import type { Timeline } from './timeline.js';

export interface RunClosingDeps {
  runs: Pick<RunService, 'closeForIncident'>;
  timeline: Pick<Timeline, 'record'>;
  logger: Logger;
}

/**
 * A resolved incident's unfinished runs end with it (issue 16), so "runs in
 * progress" means in progress: steps not started are skipped with the
 * reason, and one timeline event per run says so. The resolve is committed
 * by then; a failure here is logged, not thrown.
 */
export async function closeIncidentRuns(deps: RunClosingDeps, incidentId: string, actor: string, at: Date): Promise<void> {
  const reason = `incident resolved at ${at.toISOString()} by ${actor}`;
  try {
    for (const run of await deps.runs.closeForIncident(incidentId, reason)) {
      const commands = run.stillRunning.map((command) => `\`${command.split('\n', 1)[0]}\``).join(', ');
      const running = commands ? `; still running, left to finish: ${commands}` : '';
      await deps.timeline.record(incidentId, {
        kind: 'run.closed',
        actor,
        summary: `Run of "${run.procedureTitle}" closed with the incident: ${run.skipped} step${run.skipped === 1 ? '' : 's'} not started skipped${running}`,
        data: { runId: run.runId, skipped: run.skipped, stillRunning: run.stillRunning.length, reason },
      });
    }
  } catch (error) {
    deps.logger.warn({ err: error, incidentId }, 'could not close the runs of a resolved incident');
  }
}
