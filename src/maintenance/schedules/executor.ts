import type { Role } from '../../platform/auth/roles.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events/index.js';
import type { Principal } from '../../platform/http/types.js';
import type { Logger } from '../../platform/logger.js';
import type { BuiltInTask, TaskResult } from '../tasks.js';
import type { OwnerNotifier } from './notify-owner.js';
import { driveProcedure, type RunbookRuns } from './runbook-target.js';
import type { ScheduleRow, ScheduleRunRow, ScheduleStore } from './store.js';
import { publishRun } from './views.js';

export interface ExecutorDeps {
  store: ScheduleStore;
  tasks: ReadonlyMap<string, BuiltInTask>;
  runbookRuns: RunbookRuns;
  notifier: OwnerNotifier;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** How often a running run says it is alive (a stale one is failed by the scheduler's sweep). */
  heartbeatMs: number;
  /** Progress is stored (and published) at most this often; the last one always is. */
  progressEveryMs: number;
  /** How often a procedure target re-reads its runbook run. */
  pollMs: number;
}

/** The one actor name for due runs; a person's run carries their username. */
export const SCHEDULER_ACTOR = 'scheduler';

/**
 * Runs one schedule run, handed over by the job queue: claims it (so a job
 * delivered twice runs it once), runs the task or procedure with a
 * heartbeat and progress, records the result and tells the owner of a
 * failure. Aborted on shutdown: the run is recorded as cancelled.
 */
export class ScheduleExecutor {
  private readonly stopping = new AbortController();
  private readonly active = new Set<Promise<unknown>>();

  constructor(private readonly deps: ExecutorDeps) {}

  async execute(runId: string): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const work = this.claimAndRun(runId);
    this.active.add(work);
    try {
      await work;
    } finally {
      this.active.delete(work);
    }
  }

  /** Aborts what is running and waits until each has recorded how it ended. */
  async close(): Promise<void> {
    this.stopping.abort(new Error('NEXUS is stopping'));
    await Promise.allSettled([...this.active]);
  }

  private async claimAndRun(runId: string): Promise<void> {
    const { store, clock } = this.deps;
    const claimed = await store.claim(runId, clock());
    if (!claimed) return;
    publishRun(this.deps.bus, claimed);
    const schedule = await store.get(claimed.scheduleId);
    let result: TaskResult;
    let cancelled = false;
    const heartbeat = setInterval(() => {
      void store.patchRunning(runId, { heartbeatAt: clock() }).catch((error: unknown) => this.deps.logger.warn({ err: error, runId }, 'schedule run heartbeat failed'));
    }, this.deps.heartbeatMs);
    const progress = this.progressWriter(runId);
    try {
      result = schedule ? await this.runTarget(schedule, claimed, progress.report) : { ok: false, summary: 'The schedule was deleted before the run started' };
    } catch (error) {
      cancelled = this.stopping.signal.aborted;
      result = { ok: false, summary: cancelled ? 'Cancelled: NEXUS stopped during the run' : messageOf(error) };
    } finally {
      clearInterval(heartbeat);
      await progress.flush();
    }
    const finished = await store.finish(runId, {
      status: cancelled ? 'cancelled' : result.ok ? 'ok' : 'failed',
      finishedAt: clock(),
      summary: result.summary.slice(0, 1000),
      // A catch-up run keeps what the scheduler noted (how many due times it stands for) beside the task's figures.
      details: claimed.details || result.details ? { ...(claimed.details as object | null), ...result.details } : null,
    });
    if (!finished) return;
    publishRun(this.deps.bus, finished);
    this.deps.logger.info({ runId, scheduleId: finished.scheduleId, status: finished.status }, 'schedule run finished');
    if (finished.status === 'failed' && schedule) await this.deps.notifier.failed(schedule, finished);
  }

  private async runTarget(schedule: ScheduleRow, run: ScheduleRunRow, progress: (fraction: number | null, message: string) => void): Promise<TaskResult> {
    const signal = this.stopping.signal;
    const principal = await this.principalFor(schedule, run);
    if ('refused' in principal) return { ok: false, summary: principal.refused };
    if (schedule.targetKind === 'task') {
      const task = this.deps.tasks.get(schedule.taskKey ?? '');
      if (!task) return { ok: false, summary: `No built-in task "${schedule.taskKey}" in this NEXUS` };
      const logger = this.deps.logger.child({ task: task.key, scheduleRunId: run.id });
      return task.run({ signal, progress, logger, actor: run.requestedBy });
    }
    return driveProcedure(
      this.deps.runbookRuns,
      principal,
      { runbookId: schedule.runbookId!, procedureId: schedule.procedureId!, parameters: (schedule.parameters as Record<string, string>) ?? {} },
      {
        signal,
        progress,
        pollMs: this.deps.pollMs,
        started: async (runbookRunId) => {
          const row = await this.deps.store.patchRunning(run.id, { runbookRunId });
          if (row) publishRun(this.deps.bus, row);
        },
      },
    );
  }

  /**
   * A due run is the owner's; a run a person started is theirs. Either way it
   * is that user as they are now: a disabled user starts nothing, and a
   * demoted one only what their role still allows.
   */
  private async principalFor(schedule: ScheduleRow, run: ScheduleRunRow): Promise<Principal | { refused: string }> {
    const userId = run.requestedById ?? schedule.ownerId;
    const user = await this.deps.store.owner(userId, true);
    if (!user) return { refused: `The user who would run it (${run.requestedBy}) no longer exists` };
    if (user.disabled) return { refused: `${user.username} is disabled; a disabled user's schedules start nothing` };
    return { userId: user.id, username: user.username, role: user.role as Role, via: 'session' };
  }

  private progressWriter(runId: string) {
    let lastWrite = 0;
    let pending: { fraction: number | null; message: string } | null = null;
    let writing: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const write = () => {
      clearTimeout(timer);
      timer = undefined;
      const next = pending;
      pending = null;
      if (!next) return;
      lastWrite = performance.now();
      writing = writing.then(async () => {
        const row = await this.deps.store.patchRunning(runId, { progressFraction: next.fraction, progressMessage: next.message.slice(0, 500) });
        if (row) publishRun(this.deps.bus, row);
      }).catch((error: unknown) => this.deps.logger.warn({ err: error, runId }, 'could not record schedule run progress'));
    };
    return {
      report: (fraction: number | null, message: string) => {
        const clamped = fraction === null || !Number.isFinite(fraction) ? null : Math.min(1, Math.max(0, fraction));
        pending = { fraction: clamped, message };
        const wait = this.deps.progressEveryMs - (performance.now() - lastWrite);
        if (wait <= 0) write();
        // A report held back is written when its turn comes, not only when the next one arrives.
        else timer ??= setTimeout(write, wait);
      },
      flush: async () => {
        write();
        await writing;
      },
    };
  }
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message || 'The run failed without a message';
}
