import { spawn } from 'node:child_process';
import os from 'node:os';

/**
 * `bash -n` over many commands in few processes. bash reads the text on
 * stdin and parses it without running anything. Commands are checked in
 * batches, each inside its own function body (`f() {\n<command>\n}`): a
 * command that leaves a loop, an `if` or a pipe open hits the `}` and fails
 * the batch at its own lines. What could reach past the `}` (an open quote,
 * `$(`, `${`, a here-document, a trailing `\`, a `{`/`}` of its own) is checked
 * alone, so a batch never hides an error. When a batch fails, bash names the
 * line: that command is checked alone for its message and the rest re-run.
 */

export interface SyntaxResult {
  ok: boolean;
  message: string;
  /** Line of the first error, counted in the text bash was given. */
  line: number | null;
}

// A fixed environment: `bash -n` needs nothing, and a server's environment holds secrets.
const BASH_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' };
const BATCH_SIZE = 64;
const OK: SyntaxResult = { ok: true, message: '', line: null };

function bashCheck(text: string, timeoutMs: number): Promise<SyntaxResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-n'], { stdio: ['pipe', 'ignore', 'pipe'], env: BASH_ENV });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const first = stderr.split('\n').find((l) => l.trim() !== '') ?? 'bash -n rejected the command';
      const line = /^bash: line (\d+): /.exec(first)?.[1];
      resolve({ ok: code === 0, message: first.replace(/^bash: (line \d+: )?/, ''), line: line ? Number(line) : null });
    });
    // bash may exit before reading everything (EPIPE): that must not crash the lint.
    child.stdin.on('error', () => {});
    child.stdin.end(`${text}\n`);
  });
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Whether a command can share a batch: nothing in it can reach past its wrapper's `}`. */
export function batchable(text: string): boolean {
  if (text.includes('<<') || /\\\s*$/.test(text) || /(^|[\s;&|])[{}]($|[\s;&|])/.test(text)) return false;
  const stack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (top === "'") {
      if (c === "'") stack.pop();
    } else if (c === '\\') i++;
    else if (c === top && (c === '"' || c === '`' || c === ')' || c === '}')) stack.pop();
    else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) stack.push(text[++i] === '(' ? ')' : '}');
    else if (c === '"' || c === '`') stack.push(c);
    else if (top === '"') continue;
    else if (c === "'") stack.push(c);
    else if (c === '(') stack.push(')');
    else if (c === ')' || c === '}') return false;
  }
  return stack.length === 0;
}

/** The batch script and, for each command, the last line of its wrapper. */
function wrap(batch: string[]): { script: string; ends: number[] } {
  const ends: number[] = [];
  let line = 0;
  const parts = batch.map((text, k) => {
    line += text.split('\n').length + 2;
    ends.push(line);
    return `__nexus_lint_${k}() {\n${text}\n}`;
  });
  return { script: parts.join('\n'), ends };
}

async function checkBatch(batch: string[], timeoutMs: number, results: Map<string, SyntaxResult>): Promise<void> {
  let remaining = batch;
  while (remaining.length > 0) {
    const { script, ends } = wrap(remaining);
    const verdict = await bashCheck(script, timeoutMs);
    if (verdict.ok) return remaining.forEach((text) => results.set(text, OK));
    const index = verdict.line === null ? -1 : ends.findIndex((end) => verdict.line! <= end);
    const culprit = remaining[index];
    const alone = culprit === undefined ? null : await bashCheck(culprit, timeoutMs);
    if (!alone || alone.ok) {
      // bash blamed a line we cannot pin on one command: check each on its own.
      for (const text of remaining) results.set(text, await bashCheck(text, timeoutMs));
      return;
    }
    results.set(culprit!, alone);
    remaining = remaining.filter((_, k) => k !== index);
  }
}

/** Syntax verdicts for every text, keyed by text. */
export async function checkSyntax(texts: string[], timeoutMs: number): Promise<Map<string, SyntaxResult>> {
  const results = new Map<string, SyntaxResult>();
  const alone = texts.filter((t) => !batchable(t));
  const grouped = texts.filter((t) => batchable(t));
  const batches: string[][] = [];
  for (let k = 0; k < grouped.length; k += BATCH_SIZE) batches.push(grouped.slice(k, k + BATCH_SIZE));
  const limit = Math.max(2, os.availableParallelism());
  await pool(batches, limit, (batch) => checkBatch(batch, timeoutMs, results));
  const singles = await pool(alone, limit, (text) => bashCheck(text, timeoutMs));
  alone.forEach((text, k) => results.set(text, singles[k]!));
  return results;
}
