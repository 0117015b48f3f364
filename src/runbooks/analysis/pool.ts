import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { AppError, UnavailableError } from '../../platform/errors.js';
import type { LintOptions, LintReport } from '../lint/index.js';
import type { ParsedRunbook } from '../model.js';
// Not the parser's index: that would load remark into the server's thread at start, where it parses only a changed built-in runbook.
import { RunbookParseError } from '../parser/errors.js';
import type { AnalysisResult, AnalysisTask, ParseOutcome } from './worker.js';

export interface RunbookAnalysisOptions {
  /** How long one parse or lint may run before its thread is terminated. */
  timeoutSeconds: number;
  /** Worker threads at most; the first stays warm once started. */
  maxThreads?: number;
  /** Heap a worker may use; a runbook that needs more is refused like a slow one. */
  maxHeapMb?: number;
  /** Tasks waiting for a thread beyond this are refused (503) rather than queued without bound. */
  maxQueue?: number;
}

/** Parse or lint ran past the limit (or needed more memory than allowed): a 422 naming the limit. */
export class RunbookTooComplexError extends AppError {
  constructor(what: 'parse' | 'lint', seconds: number) {
    super(422, 'runbook_too_complex', `The runbook is too complex to ${what} in ${seconds} s: split it into smaller runbooks`, { limitSeconds: seconds });
  }
}

/**
 * From the sources under tsx (tests, or bin/nexus while .build/ cannot be
 * had) the worker is worker.ts and the thread needs tsx's loader; compiled
 * (.build/ from a checkout, dist/ installed) it is worker.js beside this
 * file. Workers do not inherit loader hooks registered in code (bin/nexus
 * calls tsx's register()), hence the explicit --import.
 */
function workerFile(): { filename: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { filename: new URL('./worker.ts', import.meta.url).href, execArgv: ['--import', tsx] };
  }
  return { filename: new URL('./worker.js', import.meta.url).href, execArgv: [] };
}

const isAbort = (error: unknown) => (error as Error | null)?.name === 'AbortError';

/**
 * Parsing and linting off the event loop (issue 14, point 5): a 500 KB
 * runbook of pathological Markdown kept the loop busy for 23 s. Each task
 * runs in a worker thread; once it starts, it has `timeoutSeconds`, after
 * which its thread is terminated (piscina aborts a running task by ending
 * its worker) and the caller gets RunbookTooComplexError. The pool starts
 * on first use (or warm()) and then keeps a thread, so a later import pays
 * no thread start.
 */
export class RunbookAnalysis {
  private pool: Piscina<AnalysisTask, AnalysisResult> | null = null;

  constructor(private readonly options: RunbookAnalysisOptions) {}

  /** Starts a thread and loads the parser and lint in it, in the background. */
  warm(): void {
    this.run({ kind: 'warm' }, 'parse').catch(() => {});
  }

  /** Throws RunbookParseError, like parseRunbook, for text the parser refuses. */
  async parse(source: string): Promise<ParsedRunbook> {
    // Even the parser's linear pre-checks stay off the event loop: on the largest runbooks they take
    // long enough to be felt (docs/benchmarks/2026-12-07-runbooks.md).
    const outcome = (await this.run({ kind: 'parse', source }, 'parse')) as ParseOutcome;
    if ('parseError' in outcome) throw new RunbookParseError(outcome.parseError.message, outcome.parseError.line);
    return outcome.parsed;
  }

  async lint(source: string, options: LintOptions): Promise<LintReport> {
    return ((await this.run({ kind: 'lint', source, options }, 'lint')) as { report: LintReport }).report;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private started(): Piscina<AnalysisTask, AnalysisResult> {
    if (this.pool) return this.pool;
    const { filename, execArgv } = workerFile();
    this.pool = new Piscina({
      filename,
      execArgv,
      minThreads: 1,
      maxThreads: this.options.maxThreads ?? 2,
      maxQueue: this.options.maxQueue ?? 64,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 512 },
    });
    return this.pool;
  }

  private async run(task: AnalysisTask, what: 'parse' | 'lint'): Promise<AnalysisResult> {
    const seconds = this.options.timeoutSeconds;
    const abort = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    // The clock starts when a thread picks the task up: a thread's start-up is not the runbook's fault.
    port1.once('message', () => {
      timer = setTimeout(() => abort.abort(), seconds * 1000);
    });
    try {
      return await this.started().run({ ...task, started: port2 }, { signal: abort.signal, transferList: [port2] });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((isAbort(error) && abort.signal.aborted) || code === 'ERR_WORKER_OUT_OF_MEMORY') {
        // Its thread is gone: load a fresh one now rather than on the next caller's time.
        this.warm();
        throw new RunbookTooComplexError(what, seconds);
      }
      if (/queue is at limit/i.test((error as Error).message)) throw new UnavailableError('Too many runbooks are being parsed or linted right now; try again shortly');
      throw error;
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }
}
