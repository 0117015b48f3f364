import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/platform/events/index.js';
import type { Run, RunSummary } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addRunbook, getRun, runbookMarkdown, runStep, stepEvent, stepOf } from '../runs/support.js';
import { call, openIncident, timeline } from './support.js';

/** Resolves with the run's `run.finished` event; subscribe before the action that causes it. */
function runFinished(t: TestApp, runId: string): Promise<{ status: string }> {
  return new Promise((resolve) => {
    const off = t.server.bus.subscribe((event: DomainEvent) => {
      const data = event.data as { runId?: string; status: string };
      if (event.type !== 'run.finished' || data.runId !== runId) return;
      off();
      resolve(data);
    });
  });
}

/**
 * Issue 16, point 4: resolving an incident closes its unfinished runs, so
 * "runs in progress" means in progress. A command already running is left
 * to finish; the rest is skipped with the reason.
 */
describe('resolving an incident closes its runs', () => {
  let t: TestApp;
  let gateDir: string;

  beforeAll(async () => {
    gateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-gate-'));
    // Writable by whomever the runner runs commands as.
    await fs.chmod(gateDir, 0o777);
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
    await fs.rm(gateDir, { recursive: true, force: true });
  });

  const inProgress = async () => {
    const lists = await Promise.all(['running', 'waiting'].map((status) => call<{ items: RunSummary[] }>(t, 'viewer', 'GET', `/api/v1/runs?status=${status}&limit=100`)));
    return lists.flatMap((l) => l.body.items.map((r) => r.id));
  };

  it('skips the steps not started with the reason, lets the running one finish, and the run ends closed', async () => {
    const gate = path.join(gateDir, 'open');
    const rb = await addRunbook(
      t,
      runbookMarkdown(
        'Mitigate',
        [{ text: 'echo first' }, { text: `while [ ! -e ${gate} ]; do sleep 0.05; done; echo released` }, { text: 'echo third' }, { text: 'echo fourth' }],
        ['Customers confirmed'],
      ),
    );
    const incident = await openIncident(t, { title: 'Checkout down', runbook: { slug: rb.slug, procedureId: rb.parsed.procedures[0]!.id } });
    const started = await call<Run>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/runs`, {});
    expect(started.status).toBe(201);
    const run = started.body;
    const [first, gated, third, fourth] = run.steps.map((s) => s.commandId) as [string, string, string, string];
    expect((await runStep(t, run, first)).state).toBe('succeeded');
    const running = stepEvent(t, run.id, gated, ['running']);
    expect((await call(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${gated}/run`)).status).toBe(200);
    await running;
    // Queued behind the running one: not started, so it is skipped too.
    expect((await call(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${third}/run`)).status).toBe(200);
    expect(await inProgress()).toContain(run.id);

    const resolved = await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/resolve`);
    expect(resolved.status).toBe(200);
    const closing = await getRun(t, run.id);
    expect(closing.status).toBe('running');
    expect(closing.closedReason).toMatch(/^incident resolved at \d{4}-\d\d-\d\dT[\d:.]+Z by responder-user$/);
    expect(closing.steps.map((s) => [s.state, s.error])).toEqual([
      ['succeeded', null],
      ['running', null],
      ['skipped', closing.closedReason],
      ['skipped', closing.closedReason],
    ]);
    // Nothing more may start: the incident is resolved.
    const refused = await call<{ error: { message: string } }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${fourth}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(`The run was closed: ${closing.closedReason}`);
    expect((await call(t, 'responder', 'POST', `/api/v1/runs/${run.id}/checks/${closing.checks[0]!.id}`, {})).status).toBe(409);

    const finished = runFinished(t, run.id);
    await fs.writeFile(gate, '');
    expect(await finished).toMatchObject({ status: 'closed' });
    const closed = await getRun(t, run.id);
    expect(closed).toMatchObject({ status: 'closed', finishedAt: expect.any(String) });
    expect(stepOf(closed, gated)).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await inProgress()).not.toContain(run.id);

    const events = await timeline(t, incident.id);
    const closedEvent = events.find((e) => e.kind === 'run.closed')!;
    expect(closedEvent).toMatchObject({
      actor: 'responder-user',
      summary: `Run of "Mitigate" closed with the incident: 2 steps not started skipped; still running, left to finish: \`while [ ! -e ${gate} ]; do sleep 0.05; done; echo released\``,
      data: { runId: run.id, skipped: 2, stillRunning: 1 },
    });
    // One event for the closing, not one per skipped step.
    expect(events.filter((e) => e.kind === 'run.step').map((e) => e.data.state)).toEqual(['succeeded', 'succeeded']);
  });

  it('a run waiting for someone closes at once; finished runs are left as they were', async () => {
    const rb = await addRunbook(t, runbookMarkdown('Check', [{ text: 'echo one' }, { text: 'echo two' }]));
    const ref = { slug: rb.slug, procedureId: rb.parsed.procedures[0]!.id };
    const incident = await openIncident(t, { title: 'Slow pages', severity: 'P3', runbook: ref });
    const done = (await call<Run>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/runs`, {})).body;
    for (const step of done.steps) await runStep(t, done, step.commandId);
    const waiting = (await call<Run>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/runs`, {})).body;
    expect(waiting.status).toBe('waiting');

    expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/resolve`)).status).toBe(200);
    expect(await getRun(t, done.id)).toMatchObject({ status: 'succeeded', closedReason: null });
    const closed = await getRun(t, waiting.id);
    expect(closed.status).toBe('closed');
    expect(closed.steps.map((s) => s.state)).toEqual(['skipped', 'skipped']);
    const summaries = (await timeline(t, incident.id)).filter((e) => e.kind === 'run.closed').map((e) => e.summary);
    expect(summaries).toEqual(['Run of "Check" closed with the incident: 2 steps not started skipped']);
    // Reopening the incident does not bring the run back; a new run starts afresh.
    expect((await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/reopen`)).status).toBe(200);
    expect((await getRun(t, waiting.id)).status).toBe('closed');
  });
});
