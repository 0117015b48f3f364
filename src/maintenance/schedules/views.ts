import type { EventBus } from '../../platform/events/index.js';
import type { MissedPolicy, RunTrigger, Schedule, ScheduleRun, ScheduleRunStatus } from './schema.js';
import type { ScheduleRunRow, ScheduleView } from './store.js';

/** What the console and the CLI hear: every change of a schedule run (progress included) and of a schedule. */
export const SCHEDULE_EVENT = {
  run: 'schedule.run',
  changed: 'schedule.changed',
} as const;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toScheduleRun(row: ScheduleRunRow): ScheduleRun {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    trigger: row.trigger as RunTrigger,
    dueAt: iso(row.dueAt),
    status: row.status as ScheduleRunStatus,
    requestedBy: row.requestedBy,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    progress: row.progressMessage !== null ? { fraction: row.progressFraction, message: row.progressMessage } : null,
    summary: row.summary,
    details: (row.details as Record<string, unknown> | null) ?? null,
    runbookRunId: row.runbookRunId,
    notification: row.notification,
    createdAt: row.createdAt.toISOString(),
  };
}

/** How a schedule's target reads in lists: the task's or procedure's title, and the runbook's slug. */
export interface TargetNames {
  title: string;
  runbookSlug: string | null;
}

export function toSchedule(view: ScheduleView, names: TargetNames): Schedule {
  const s = view.schedule;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    cron: s.cron,
    timeZone: s.timeZone,
    targetKind: s.targetKind as 'task' | 'runbook',
    task: s.taskKey,
    targetTitle: names.title,
    runbookId: s.runbookId,
    runbook: names.runbookSlug,
    procedure: s.procedureId,
    parameters: (s.parameters as Record<string, string>) ?? {},
    owner: { id: s.ownerId, username: view.ownerUsername },
    enabled: s.enabled,
    missedPolicy: s.missedPolicy as MissedPolicy,
    nextDueAt: iso(s.nextDueAt),
    lastRun: view.lastRun ? toScheduleRun(view.lastRun) : null,
    seeded: s.seedKey !== null,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function publishRun(bus: EventBus, row: ScheduleRunRow): void {
  bus.publish(SCHEDULE_EVENT.run, toScheduleRun(row));
}
