/**
 * Child processes and cleanup for the runbook benchmark: NEXUS and the
 * remote runner each run in their own process (so neither shares an event
 * loop with the measuring client), and everything started is stopped again,
 * also on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { benchLog, onCleanup } from '../support/lifecycle.js';
import { serverArgs } from '../support/node-flags.js';
import { cleanEnv } from '../support/processes.js';

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export { checkpoint, cleanup, isInterrupted, onCleanup } from '../support/lifecycle.js';

export const log = benchLog('runbooks');

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS))]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
}

/** Runs `script` with tsx and waits for its `LISTENING <url>` line (bench/http/nexus-server.ts prints it). */
export async function startServerChild(root: string, script: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, serverArgs(root, script), {
    cwd: root,
    env: cleanEnv({ NODE_ENV: 'production', ...env }),
    // stdin stays open: the child stops itself when it closes (this process died).
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  onCleanup('stop NEXUS', stopper(child));
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`NEXUS did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = /^LISTENING (\S+)$/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      } else if (line.trim()) process.stderr.write(`[nexus] ${line}\n`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`NEXUS exited (${signal ?? `code ${code}`}) before it was listening`));
    });
  });
}

export interface AgentChild {
  /** The agent's log so far (stderr), for a report when it does not serve. */
  log(): string;
  exited(): boolean;
}

/** `./bin/nexus runner …` exactly as an operator starts it. */
export function startAgentChild(root: string, args: string[], workDir: string): AgentChild {
  const child = spawn('./bin/nexus', ['runner', ...args, '--work-dir', workDir], {
    cwd: root,
    env: cleanEnv({}),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    // Bounded: one line per step over 500 steps is plenty to keep, not to print.
    text = (text + chunk).slice(-20_000);
  });
  child.once('error', (error) => (text += `\ncould not start: ${error.message}`));
  onCleanup('stop the remote runner', stopper(child));
  return { log: () => text, exited: () => child.exitCode !== null || child.signalCode !== null };
}
