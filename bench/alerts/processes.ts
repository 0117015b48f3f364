/**
 * Processes, temporary things and cleanup for the alerts benchmark. NEXUS
 * and Alertmanager each run in their own process (the load generator must not
 * share their CPU time slice in one event loop), and whatever was started or
 * created is removed again, also on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { benchLog, onCleanup } from '../support/lifecycle.js';
import { serverArgs } from '../support/node-flags.js';
import { cleanEnv } from '../support/processes.js';

const STOP_GRACE_MS = 5_000;
/** Lines of a child's own output shown before the rest is only counted: a warning per request would bury the results. */
const ECHO_LINES = 20;
/** A pino line with a stack and a query runs to kilobytes; the start says what happened. */
const ECHO_CHARS = 300;

export { checkpoint, cleanup, isInterrupted, onCleanup, stopAll } from '../support/lifecycle.js';
export { cleanEnv, freePort } from '../support/processes.js';

export const log = benchLog('alerts');

export interface Child {
  /** The operating system's id of the process (for /proc), once it started. */
  pid: number | undefined;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
  /** SIGKILL at once: what a crash looks like to the storage. */
  kill(): Promise<void>;
  /** Lines of output not shown (beyond the first ECHO_LINES). */
  hiddenLines(): number;
  /** Resolves with how the process ended ("code 1", "SIGKILL"). */
  exited: Promise<string>;
  /** How it ended, or null while it runs. */
  ended(): string | null;
}

/**
 * Starts `command` and echoes its output (stdout and stderr) with a
 * `[name]` prefix, up to ECHO_LINES lines. `onLine` sees every line.
 */
export function startChild(name: string, command: string, args: string[], options: { cwd: string; env: Record<string, string>; onLine?: (line: string) => void }): Child {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    // stdin stays open: bench/http/nexus-server.ts stops itself when it closes (this process died).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = 0;
  let hidden = 0;
  const echo = (line: string) => {
    options.onLine?.(line);
    if (!line.trim() || /^LISTENING /.test(line)) return;
    if (shown < ECHO_LINES) {
      shown += 1;
      process.stderr.write(`[${name}] ${line.length > ECHO_CHARS ? `${line.slice(0, ECHO_CHARS)}…` : line}\n`);
    } else hidden += 1;
  };
  readline.createInterface({ input: child.stdout! }).on('line', echo);
  readline.createInterface({ input: child.stderr! }).on('line', echo);
  let ended: string | null = null;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve((ended = signal ?? `code ${code}`)));
    child.once('error', (error) => resolve((ended = `could not start: ${error.message}`)));
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (gone()) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS))]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const kill = async () => {
    if (gone()) return;
    child.kill('SIGKILL');
    await exited;
  };
  onCleanup(`stop ${name}`, stop);
  return { pid: child.pid, stop, kill, hiddenLines: () => hidden, exited, ended: () => ended };
}

/** Resolves with the URL a NEXUS child prints as `LISTENING <url>` (bench/http/nexus-server.ts). */
export function startNexusChild(name: string, root: string, env: Record<string, string>, timeoutMs: number): Promise<{ url: string; child: Child }> {
  return startListening(name, 'bench/http/nexus-server.ts', root, env, timeoutMs);
}

/** Starts a TypeScript server script that prints `LISTENING <url>` once it serves. */
export function startListening(name: string, script: string, root: string, env: Record<string, string>, timeoutMs: number): Promise<{ url: string; child: Child }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const child = startChild(name, process.execPath, serverArgs(root, script), {
      cwd: root,
      env: cleanEnv({ NODE_ENV: 'production', ...env }),
      onLine: (line) => {
        const listening = /^LISTENING (\S+)$/.exec(line);
        if (listening) {
          clearTimeout(timer);
          resolve({ url: listening[1]!, child });
        }
      },
    });
    void child.exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${how}) before it was listening`));
    });
  });
}

/** Polls `url` until it answers 2xx (Alertmanager's /-/ready); gives up when `child` ends. */
export async function waitReady(url: string, timeoutMs: number, child: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const how = child.ended();
    if (how) throw new Error(`it exited (${how}) before it was ready`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
