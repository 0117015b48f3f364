import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Role } from '../../src/platform/auth/roles.js';
import type { DomainEvent } from '../../src/platform/events/index.js';
import type { Run, RunStep } from '../../src/runbooks/runs/schema.js';
import type { StepEvent } from '../../src/runbooks/runs/index.js';
import { bearer, type TestApp } from '../support/app.js';

export const TERMINAL = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'lost'];

/** A runbook imported into the library (a new version when the slug exists), parsed by the real parser. */
export async function addRunbook(t: TestApp, markdown: string, slug = `rb-${randomBytes(4).toString('hex')}`) {
  const outcome = await t.server.runbooks.importMarkdown(markdown, { slug, importedBy: 'test' });
  return { id: outcome.runbook.id, slug, version: outcome.version.version, parsed: outcome.parsed };
}

/** One procedure, one step, one fenced block per command (so each can carry its own annotation). */
export function runbookMarkdown(title: string, commands: Array<{ text: string; annotation?: string }>, checks: string[] = []): string {
  const blocks = commands.map((c) => `${c.annotation ? `   <!-- nexus: ${c.annotation} -->\n` : ''}   \`\`\`bash\n   ${c.text}\n   \`\`\``);
  return [
    `# ${title} runbook`,
    '',
    '## Procedures',
    '',
    `### ${title}`,
    '',
    '#### Steps',
    '',
    '1. **Do it**',
    blocks.join('\n\n'),
    ...checks.map((c) => `   - [ ] ${c}`),
    '',
  ].join('\n');
}

export async function api<T = unknown>(t: TestApp, role: Role, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await t.inject({ method, url, headers: bearer(t.tokens[role]), ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() as T };
}

export async function startRun(t: TestApp, runbook: string, procedure: string, extra: Record<string, unknown> = {}, role: Role = 'responder') {
  const res = await api<Run>(t, role, 'POST', '/api/v1/runs', { runbook, procedure, ...extra });
  if (res.status !== 201) throw new Error(`creating the run failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Resolves with the first `run.step` event matching; subscribe before the action that causes it. */
export function stepEvent(t: TestApp, runId: string, commandId: string, states: string[] = TERMINAL, timeoutMs = 15_000): Promise<StepEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no run.step ${states.join('|')} for ${commandId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = t.server.bus.subscribe((event: DomainEvent) => {
      const data = event.data as StepEvent;
      if (event.type !== 'run.step' || data.runId !== runId || data.commandId !== commandId || !states.includes(data.state)) return;
      clearTimeout(timer);
      off();
      resolve(data);
    });
  });
}

/** Requests a command and waits until it has finished; returns the step as the API shows it. */
export async function runStep(t: TestApp, run: Run, commandId: string, role: Role = 'responder'): Promise<RunStep> {
  const done = stepEvent(t, run.id, commandId);
  const res = await api(t, role, 'POST', `/api/v1/runs/${run.id}/steps/${commandId}/run`);
  if (res.status !== 200) throw new Error(`requesting ${commandId} failed: ${res.status} ${JSON.stringify(res.body)}`);
  await done;
  return stepOf(await getRun(t, run.id), commandId);
}

export async function getRun(t: TestApp, id: string): Promise<Run> {
  return (await api<Run>(t, 'viewer', 'GET', `/api/v1/runs/${id}`)).body;
}

export function stepOf(run: Run, commandId: string): RunStep {
  const step = run.steps.find((s) => s.commandId === commandId);
  if (!step) throw new Error(`no step ${commandId} in ${run.steps.map((s) => s.commandId).join(', ')}`);
  return step;
}

/** A killed orphan may linger as a zombie until init reaps it; a zombie runs nothing. */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Live processes named `marker` (argv[0]: a command starts them as
 * `exec -a <marker> sleep …`; the shells around them only mention it). Pids printed by a command mean nothing
 * here: in a bubblewrap sandbox they count in the sandbox's own PID namespace.
 */
export function markedProcesses(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')[0] === marker && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
