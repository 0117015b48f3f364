/**
 * The worker-thread side of RunbookAnalysis (pool.ts): parsing and linting,
 * which can take seconds of CPU on hostile Markdown, run here so the event
 * loop that answers `/health` and every other request never waits for them.
 * Results cross the thread boundary by structured clone, so errors the
 * caller must tell apart are returned as data, not thrown.
 */
import type { MessagePort } from 'node:worker_threads';
import { lintSource, type LintOptions, type LintReport } from '../lint/index.js';
import type { ParsedRunbook } from '../model.js';
import { parseRunbook, RunbookParseError } from '../parser/index.js';

export type AnalysisTask = ({ kind: 'parse'; source: string } | { kind: 'lint'; source: string; options: LintOptions } | { kind: 'warm' }) & {
  /** Told when the work starts, so the caller's time limit counts the work and not the wait for a thread. */
  started?: MessagePort;
};

export type ParseOutcome = { parsed: ParsedRunbook } | { parseError: { message: string; line: number } };

export type AnalysisResult = ParseOutcome | { report: LintReport } | { warm: true };

export default async function analyse(task: AnalysisTask): Promise<AnalysisResult> {
  task.started?.postMessage('started');
  task.started?.close();
  if (task.kind === 'warm') return { warm: true };
  // Static imports only: under tsx, a dynamic import() from this thread is not resolved by its loader.
  if (task.kind === 'lint') return { report: await lintSource(task.source, task.options) };
  try {
    return { parsed: parseRunbook(task.source) };
  } catch (error) {
    if (error instanceof RunbookParseError) return { parseError: { message: error.message.replace(/^line \d+: /, ''), line: error.line } };
    throw error;
  }
}
