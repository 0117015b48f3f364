import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addRunbook, api, runbookMarkdown, startRun } from './support.js';

/**
 * Issue 14, defect 9: the step queue was strictly FIFO with no per-user
 * limit: 24 queued steps of one responder held an admin's 1-s step for
 * 25 s, and one responder queued 200 runs. Now each person has a cap on
 * queued steps and on unfinished runs, and a runner leases first the step of
 * whoever has the fewest steps running.
 */

const MAX_QUEUED = 6;

describe('per-user limits and fair scheduling', () => {
  let t: TestApp;
  let book: { slug: string; procedure: string; command: string };

  beforeAll(async () => {
    // No local runner: the test leases by hand, so the order is the queue's alone.
    t = await createTestApp('pglite', {
      env: { NEXUS_LOCAL_RUNNER: 'false', NEXUS_MAX_QUEUED_STEPS_PER_USER: String(MAX_QUEUED) },
      start: { builtinRunbooksDir: null },
    });
    const added = await addRunbook(t, runbookMarkdown('Quick', [{ text: 'sleep 1' }]));
    const procedure = added.parsed.procedures[0]!;
    book = { slug: added.slug, procedure: procedure.id, command: commandsOf(procedure)[0]!.command.id };
  });
  afterAll(async () => t?.close());

  const request = (role: 'responder' | 'admin' | 'operator', run: Run) => api(t, role, 'POST', `/api/v1/runs/${run.id}/steps/${book.command}/run`);
  const lease = () => t.server.runs.queue.leaseStep('fairness-test-runner', { runner: 'local' });

  it("leases an admin's step before the rest of a responder's queue, and refuses the responder's step beyond the cap", async () => {
    const responderRuns: Run[] = [];
    for (let n = 0; n < MAX_QUEUED; n++) {
      const run = await startRun(t, book.slug, book.procedure);
      responderRuns.push(run);
      expect((await request('responder', run)).status).toBe(200);
    }
    const beyond = await startRun(t, book.slug, book.procedure);
    const refused = await request('responder', beyond);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: {
        code: 'limit_reached',
        message: `You have ${MAX_QUEUED} steps queued or awaiting approval; the limit is ${MAX_QUEUED} per person: wait for some to run, or cancel them`,
        details: { limit: MAX_QUEUED, waiting: MAX_QUEUED, adding: 1, setting: 'NEXUS_MAX_QUEUED_STEPS_PER_USER' },
      },
    });

    // The responder's first step runs; then the admin queues one, behind the responder's five others.
    expect((await lease())?.runId).toBe(responderRuns[0]!.id);
    const adminRun = await startRun(t, book.slug, book.procedure, {}, 'admin');
    expect((await request('admin', adminRun)).status).toBe(200);

    // The admin has nothing running, the responder one step: the admin's goes first, then FIFO between equals.
    const order = [(await lease())?.runId, (await lease())?.runId, (await lease())?.runId];
    expect(order).toEqual([adminRun.id, responderRuns[1]!.id, responderRuns[2]!.id]);

    // Leased steps no longer count as queued: the responder may queue again.
    expect((await request('responder', beyond)).status).toBe(200);
  });

  it('refuses the 201st unfinished run of one person with a 429 naming the limit, and takes one again once a run is cancelled', async () => {
    const created: Run[] = [];
    while (created.length < 200) created.push(await startRun(t, book.slug, book.procedure, {}, 'operator'));
    const refused = await api<{ error: { code: string; message: string; details: unknown } }>(t, 'operator', 'POST', '/api/v1/runs', {
      runbook: book.slug,
      procedure: book.procedure,
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toEqual({
      code: 'limit_reached',
      message: 'You have 200 unfinished runs; the limit is 200 per person: finish or cancel some first',
      details: { limit: 200, setting: 'NEXUS_MAX_ACTIVE_RUNS_PER_USER' },
    });

    expect((await api(t, 'operator', 'POST', `/api/v1/runs/${created[0]!.id}/cancel`)).status).toBe(200);
    expect((await api(t, 'operator', 'POST', '/api/v1/runs', { runbook: book.slug, procedure: book.procedure })).status).toBe(201);
  });
});
