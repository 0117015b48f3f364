/**
 * One timed start: spawn a server, ask GET /health until it answers 200, read
 * the server's own `startup` line (where its time went), stop it again.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { onCleanup } from '../support/lifecycle.js';

// Generous: a first start on a loaded two-core machine took 112 s.
const START_TIMEOUT_MS = 300_000;
const STOP_GRACE_MS = 15_000;
/** How often /health is asked while the server is not up yet: the most a result overshoots by. */
const POLL_MS = 10;
/** A server's line that arrives just after it answered /health is still read, for this long. */
const STARTUP_LINE_WAIT_MS = 2_000;

export interface StartCommand {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  port: number;
}

/** The server's own account (NEXUS's `startup` log line; the floor prints the same shape). */
export interface ServerAccount {
  totalMs: number;
  phases: Record<string, number>;
}

export interface StartSample {
  /** Spawn → the first 200 from /health, on this process's clock. */
  ms: number;
  account: ServerAccount | null;
}

/** GET /health once, on a connection of its own (no keep-alive left behind to slow the stop). */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(5_000, () => request.destroy());
  });
}

function readAccount(line: string): ServerAccount | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(line) as { msg?: string; startup?: ServerAccount };
    return parsed.msg === 'startup' && parsed.startup ? parsed.startup : null;
  } catch {
    return null;
  }
}

export async function timeStart(start: StartCommand): Promise<StartSample> {
  const began = performance.now();
  const child = spawn(start.command, start.args, { cwd: start.cwd, env: start.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  let ended: string | null = null;
  void exited.then((how) => (ended = how));
  const stop = async () => {
    if (ended !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  onCleanup(`stop ${start.command}`, stop);

  let account: ServerAccount | null = null;
  let gotAccount: () => void = () => {};
  const accountSeen = new Promise<void>((resolve) => (gotAccount = resolve));
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    keep(line);
    const found = readAccount(line);
    if (found) {
      account = found;
      gotAccount();
    }
  });
  readline.createInterface({ input: child.stderr! }).on('line', keep);

  try {
    for (;;) {
      if (ended !== null) throw new Error(`${start.command} exited (${ended}) before /health answered; last output:\n${tail.join('\n')}`);
      if (performance.now() - began > START_TIMEOUT_MS) throw new Error(`/health did not answer within ${START_TIMEOUT_MS / 1000} s`);
      if (await healthy(start.port)) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const ms = performance.now() - began;
    await Promise.race([accountSeen, new Promise((resolve) => setTimeout(resolve, STARTUP_LINE_WAIT_MS))]);
    return { ms, account };
  } finally {
    await stop();
  }
}
