import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandsOf } from '../../src/runbooks/model.js';
import { bearer, type TestApp } from '../support/app.js';
import { addRunbook, runbookMarkdown } from '../runs/support.js';

const BIN = path.resolve('bin/nexus');

export interface AgentProcess {
  child: ChildProcess;
  /** Everything the agent wrote to stderr so far (its log). */
  log(): string;
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait; SIGKILL if it does not end in 10 s (`killed`: it did not stop cleanly). */
  stop(): Promise<'exited' | 'killed'>;
}

export interface AgentCredentials {
  /** First start: exchanged once, the credential saved to `credentialFile`. */
  enrolmentToken?: string;
  /** Where the agent keeps its credential (a fresh temporary path when not given). */
  credentialFile?: string;
}

/** `./bin/nexus runner …` as an operator would start it, with its own working directory. */
export function startAgent(url: string, credentials: AgentCredentials, args: string[], options: { viaEnv?: boolean } = {}): AgentProcess {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-agent-'));
  const credentialFile = credentials.credentialFile ?? path.join(workDir, 'credential');
  const flags = {
    '--url': url,
    '--credential-file': credentialFile,
    ...(credentials.enrolmentToken ? { '--enrolment-token': credentials.enrolmentToken } : {}),
  };
  const viaEnv = {
    NEXUS_URL: url,
    NEXUS_RUNNER_CREDENTIAL_FILE: credentialFile,
    ...(credentials.enrolmentToken ? { NEXUS_RUNNER_ENROLMENT_TOKEN: credentials.enrolmentToken } : {}),
  };
  const where = options.viaEnv ? [] : Object.entries(flags).flat();
  const child = spawn(BIN, ['runner', ...where, '--concurrency', '1', '--work-dir', workDir, ...args], {
    // Nothing of the test's NEXUS settings: the agent knows only what its flags (or NEXUS_URL, NEXUS_RUNNER_*) say.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...(options.viaEnv ? viaEnv : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (log += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      fs.rmSync(workDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  const waitForLog = async (pattern: RegExp, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(log);
      if (match) return match[0];
      if (Date.now() > deadline) throw new Error(`agent log never matched ${pattern} within ${timeoutMs} ms:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const stop = async (): Promise<'exited' | 'killed'> => {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    let killed = false;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
    return killed ? 'killed' : 'exited';
  };
  return { child, log: () => log, waitForLog, exited, stop };
}

/** A one-time enrolment token, as an admin's `nexus runners enrol --name … --label …` makes it. */
export async function enrolment(t: TestApp, name: string, labels: Record<string, string>, expiresInMinutes = 60): Promise<{ id: string; enrolmentToken: string }> {
  const res = await t.inject({ method: 'POST', url: '/api/v1/runners/enrolments', headers: bearer(t.tokens.admin), payload: { name, labels, expiresInMinutes } });
  if (res.statusCode !== 201) throw new Error(`enrolment: ${res.statusCode} ${res.body}`);
  const body = res.json() as { enrolmentToken: string; runner: { id: string } };
  return { id: body.runner.id, enrolmentToken: body.enrolmentToken };
}

/** An enrolled runner's id and credential (the enrolment token already exchanged, as the agent does at first start). */
export async function enrolledRunner(t: TestApp, name: string, labels: Record<string, string>): Promise<{ id: string; credential: string }> {
  const { enrolmentToken } = await enrolment(t, name, labels);
  const res = await t.inject({ method: 'POST', url: '/api/v1/runners/enrol', payload: { enrolmentToken } });
  if (res.statusCode !== 201) throw new Error(`enrol: ${res.statusCode} ${res.body}`);
  const body = res.json() as { credential: string; runner: { id: string } };
  return { id: body.runner.id, credential: body.credential };
}

/** A one-procedure runbook; returns what starting a run and requesting its commands need. */
export async function runbookWith(t: TestApp, commands: Array<{ text: string; annotation?: string }>) {
  const book = await addRunbook(t, runbookMarkdown('Remote', commands));
  const procedure = book.parsed.procedures[0]!;
  return { slug: book.slug, procedure: procedure.id, ids: commandsOf(procedure).map((c) => c.command.id) };
}

export const tmpPath = (name: string) => path.join(os.tmpdir(), `nexus-runner-${name}-${randomBytes(4).toString('hex')}`);

export { openEvents, type SseEvent } from '../support/sse.js';
