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

/** `./bin/nexus runner …` as an operator would start it, with its own working directory. */
export function startAgent(url: string, token: string, args: string[], options: { viaEnv?: boolean } = {}): AgentProcess {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-agent-'));
  const where = options.viaEnv ? [] : ['--url', url, '--token', token];
  const child = spawn(BIN, ['runner', ...where, '--concurrency', '1', '--work-dir', workDir, ...args], {
    // Nothing of the test's NEXUS settings: the agent knows only what its flags (or NEXUS_URL/NEXUS_TOKEN) say.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...(options.viaEnv ? { NEXUS_URL: url, NEXUS_TOKEN: token } : {}) },
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

/** An API token for a runner, as `nexus tokens create --name runner-1 --role operator` makes it. */
export async function runnerToken(t: TestApp, name: string): Promise<{ id: string; token: string }> {
  const res = await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.operator), payload: { name, role: 'operator' } });
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  const body = res.json() as { token: string; info: { id: string } };
  return { id: body.info.id, token: body.token };
}

/** A one-procedure runbook; returns what starting a run and requesting its commands need. */
export async function runbookWith(t: TestApp, commands: Array<{ text: string; annotation?: string }>) {
  const book = await addRunbook(t, runbookMarkdown('Remote', commands));
  const procedure = book.parsed.procedures[0]!;
  return { slug: book.slug, procedure: procedure.id, ids: commandsOf(procedure).map((c) => c.command.id) };
}

export const tmpPath = (name: string) => path.join(os.tmpdir(), `nexus-runner-${name}-${randomBytes(4).toString('hex')}`);

export interface SseEvent {
  event: string;
  data: { runId?: string; commandId?: string; chunk?: string; state?: string; stream?: string };
}

/** An SSE client over fetch, as a console would be. */
export async function openEvents(t: TestApp, types: string) {
  const controller = new AbortController();
  const res = await fetch(`${t.server.url}/api/v1/events?types=${encodeURIComponent(types)}`, {
    headers: { authorization: `Bearer ${t.tokens.viewer}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`SSE: ${res.status}`);
  const events: SseEvent[] = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const bytes of res.body!) {
      buffer += decoder.decode(bytes as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data) events.push({ event: name, data: (JSON.parse(data) as { data: SseEvent['data'] }).data });
      }
    }
  })().catch(() => {});
  return {
    events,
    waitFor: async (match: (e: SseEvent) => boolean) => {
      const deadline = Date.now() + 5000;
      while (!events.some(match)) {
        if (Date.now() > deadline) throw new Error('SSE event did not arrive within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
