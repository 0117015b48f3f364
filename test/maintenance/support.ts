import type { BuiltInTask, TaskResult } from '../../src/maintenance/index.js';
import type { TestApp } from '../support/app.js';
import { bearer, json } from '../support/app.js';

/** A clock people set: it stands still between `set`s, so due times are exact. */
export function settableClock(startIso: string) {
  let now = new Date(startIso);
  return {
    clock: () => new Date(now),
    set: (iso: string) => {
      now = new Date(iso);
    },
  };
}

/** A built-in task for tests: counts its runs, reports progress half way, and answers as told. */
export function countingTask(key: string, answer: () => TaskResult | Promise<TaskResult> = () => ({ ok: true, summary: 'did the thing', details: { items: 3 } })) {
  const calls: string[] = [];
  const task: BuiltInTask = {
    key,
    title: `Test task ${key}`,
    description: 'Counts its runs.',
    async run(context) {
      calls.push(context.actor);
      context.progress(0.5, 'half way');
      return answer();
    },
  };
  return { task, calls };
}

export interface ScheduleRunView {
  id: string;
  status: string;
  trigger: string;
  dueAt: string | null;
  summary: string | null;
  details: Record<string, unknown> | null;
  progress: { fraction: number | null; message: string } | null;
  runbookRunId: string | null;
  notification: string | null;
  requestedBy: string;
}

export async function createSchedule(t: Pick<TestApp, 'inject' | 'tokens'>, body: Record<string, unknown>) {
  const res = await t.inject({ method: 'POST', url: '/api/v1/schedules', headers: bearer(t.tokens.admin), payload: body });
  if (res.statusCode !== 201) throw new Error(`creating a schedule failed: ${res.statusCode} ${res.body}`);
  return json<{ id: string; nextDueAt: string | null; enabled: boolean }>(res);
}

export async function runsOf(t: Pick<TestApp, 'inject' | 'tokens'>, scheduleId: string): Promise<ScheduleRunView[]> {
  const res = await t.inject({ method: 'GET', url: `/api/v1/schedules/${scheduleId}/runs`, headers: bearer(t.tokens.viewer) });
  if (res.statusCode !== 200) throw new Error(`listing runs failed: ${res.statusCode} ${res.body}`);
  return json<{ items: ScheduleRunView[] }>(res).items;
}

export async function waitFor<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the schedule's newest run has ended, and returns it. */
export async function finishedRun(t: Pick<TestApp, 'inject' | 'tokens'>, scheduleId: string, runId?: string): Promise<ScheduleRunView> {
  return waitFor(async () => {
    const runs = await runsOf(t, scheduleId);
    const run = runId ? runs.find((r) => r.id === runId) : runs[0];
    return run && !['queued', 'running'].includes(run.status) ? run : null;
  }, 'the schedule run to end');
}
