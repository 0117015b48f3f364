import type { BuiltInTask, TaskContext, TaskResult } from '../../src/maintenance/index.js';
import type { Database } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import type { TestApp } from '../support/app.js';

export const DAY = 24 * 3600 * 1000;

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY).toISOString();
}

export function task(t: TestApp, key: string): BuiltInTask {
  const found = t.server.maintenance.tasks.get(key);
  if (!found) throw new Error(`no built-in task ${key}`);
  return found;
}

export interface Ran {
  result: TaskResult;
  progress: Array<{ fraction: number | null; message: string }>;
}

/** Runs a task as the scheduler would, collecting its progress. */
export async function runTask(builtIn: BuiltInTask, options: { actor?: string; signal?: AbortSignal; onProgress?: (message: string) => void } = {}): Promise<Ran> {
  const progress: Ran['progress'] = [];
  const context: TaskContext = {
    signal: options.signal ?? new AbortController().signal,
    progress: (fraction, message) => {
      progress.push({ fraction, message });
      options.onProgress?.(message);
    },
    logger: createLogger('silent'),
    actor: options.actor ?? 'scheduler',
  };
  return { result: await builtIn.run(context), progress };
}

export async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(sql, params);
  return Number(row?.n ?? 0);
}
