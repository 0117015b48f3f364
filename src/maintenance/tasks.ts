import type { Logger } from '../platform/logger.js';

/**
 * A built-in maintenance task: work a schedule, `nexus schedule run` or the
 * console can start by key. Backups, verification drills, database care and
 * retention each contribute theirs; the scheduler runs them all the same way.
 */
export interface BuiltInTask {
  /** Stable and dotted, e.g. `backup.create`, `backup.verify`, `db.vacuum-analyze`. Schedules refer to it. */
  key: string;
  title: string;
  /** One sentence a person choosing a task reads. */
  description: string;
  run(context: TaskContext): Promise<TaskResult>;
}

export interface TaskContext {
  /** Aborted when NEXUS shuts down or a person cancels the run. */
  signal: AbortSignal;
  /** Progress for long work (console and CLI show it); fraction in 0..1, or null when unknown. */
  progress(fraction: number | null, message: string): void;
  logger: Logger;
  /** `scheduler` for a due run, otherwise the username that started it. */
  actor: string;
}

export interface TaskResult {
  ok: boolean;
  /** One line for lists and notifications, e.g. "Vacuumed 42 tables in 3.1 s". */
  summary: string;
  /** Figures a person may want (counts, sizes, durations); shown as a table. Never secrets. */
  details?: Record<string, unknown>;
}
