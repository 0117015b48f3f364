import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import type { RunStep } from '../../src/runbooks/runs/schema.js';
import { LocalRunner } from '../../src/runners/local.js';
import { UNSANDBOXED } from '../../src/runners/sandbox.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { addRunbook, api, getRun, runbookMarkdown, startRun, stepEvent, stepOf, until } from './support.js';

/** A Redis database index no other test uses: FLUSHDB here empties only this one. */
const REDIS_DB = '11';
const redis = (...args: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', '-n', REDIS_DB, ...args], { encoding: 'utf8' }).trim();

async function runbookWith(t: TestApp, commands: Array<{ text: string; annotation?: string }>, checks: string[] = []) {
  const book = await addRunbook(t, runbookMarkdown('Drill', commands, checks));
  const procedure = book.parsed.procedures[0]!;
  return { slug: book.slug, procedure: procedure.id, ids: commandsOf(procedure).map((c) => c.command.id) };
}

async function auditOf(t: TestApp, runId: string) {
  const rows = await t.server.db.query<{ actor: string; action: string; outcome: string }>(
    `SELECT actor, action, outcome FROM audit_log WHERE target = $1 ORDER BY id`,
    [runId],
  );
  return rows.map((r) => `${r.actor} ${r.action} ${r.outcome}`);
}

describe.each(ENGINES)('risk, approval and recovery on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine);
  });
  afterAll(async () => t?.close());

  it('holds a destructive FLUSHDB until a second operator approves it, and audits every decision', async () => {
    const key = `nexus-test-${randomBytes(4).toString('hex')}`;
    redis('SET', key, 'still-here');
    const book = await runbookWith(t, [{ text: `redis-cli -h 127.0.0.1 -p 6379 -n ${REDIS_DB} FLUSHDB` }]);
    const run = await startRun(t, book.slug, book.procedure);
    const id = book.ids[0]!;
    const url = (action: string) => `/api/v1/runs/${run.id}/steps/${id}/${action}`;
    expect(stepOf(run, id).risk).toBe('destructive');

    expect((await api(t, 'responder', 'POST', url('run'))).status).toBe(403);
    const requested = await api<{ steps: RunStep[] }>(t, 'operator', 'POST', url('run'));
    expect(requested.status).toBe(200);
    expect(requested.body.steps[0]!.state).toBe('awaiting-approval');
    expect(redis('GET', key)).toBe('still-here');

    const own = await api<{ error: { message: string } }>(t, 'operator', 'POST', url('approve'));
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('a second person must approve');
    expect((await api(t, 'responder', 'POST', url('approve'))).status).toBe(403);
    expect((await getRun(t, run.id)).steps[0]!.state).toBe('awaiting-approval');

    const done = stepEvent(t, run.id, id);
    const approved = await api<{ steps: RunStep[] }>(t, 'admin', 'POST', url('approve'));
    expect(approved.status).toBe(200);
    expect((await done).state).toBe('succeeded');
    expect(redis('EXISTS', key)).toBe('0');
    const step = stepOf(await getRun(t, run.id), id);
    expect(step).toMatchObject({ state: 'succeeded', requestedBy: t.userIds.operator, approvedBy: t.userIds.admin, outputExcerpt: 'OK\n' });

    expect(await auditOf(t, run.id)).toEqual([
      'responder-user run.create success',
      'responder-user run.step_request denied',
      'operator-user run.step_request success',
      'operator-user run.step_approve denied',
      'responder-user run.step_approve denied',
      'admin run.step_approve success',
      expect.stringMatching(/^runner:local:.* run\.step_complete success$/),
    ]);
  });

  it('a rejected step goes back to pending with who refused it, and change commands need an operator', async () => {
    const book = await runbookWith(t, [{ text: `redis-cli -n ${REDIS_DB} DEL nothing-here`, annotation: 'risk=destructive' }, { text: `redis-cli -n ${REDIS_DB} SET k v` }]);
    const run = await startRun(t, book.slug, book.procedure);
    const [destructive, change] = book.ids as [string, string];
    await api(t, 'operator', 'POST', `/api/v1/runs/${run.id}/steps/${destructive}/run`);
    const rejected = await api<{ steps: RunStep[] }>(t, 'admin', 'POST', `/api/v1/runs/${run.id}/steps/${destructive}/reject`, { reason: 'not during peak' });
    expect(rejected.body.steps[0]).toMatchObject({ state: 'pending', error: 'rejected by admin: not during peak' });
    expect(stepOf(run, change).risk).toBe('change');
    const denied = await api<{ error: { message: string } }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${change}/run`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('needs the operator role');
    expect(await auditOf(t, run.id)).toContain('admin run.step_reject success');
  });

  it('a step whose runner stops heartbeating becomes lost, and a retry runs it to success', async () => {
    const book = await runbookWith(t, [{ text: 'echo recovered', annotation: 'runner=remote' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const id = book.ids[0]!;
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    // The in-process runner has no `runner=remote` label: only the ghost below can take it.
    const lost = stepEvent(t, run.id, id, ['lost']);
    const lease = await t.server.runs.queue.leaseStep('ghost', { runner: 'remote' }, { leaseSeconds: 1 });
    expect(lease).toMatchObject({ commandId: id, script: 'echo recovered', attempt: 1 });
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'running', runnerId: 'ghost' });
    const event = await lost;
    expect(event.error).toContain('runner ghost stopped renewing its lease');
    // The ghost comes back too late: its lease is gone, its result is refused.
    const ref = { stepId: lease!.stepId, leaseId: lease!.leaseId };
    expect(await t.server.runs.queue.heartbeat(ref)).toEqual({ held: false, cancelRequested: false });
    const late = await t.server.runs.queue.completeStep('ghost', ref, {
      outcome: 'exited', exitCode: 0, signal: null, durationMs: 5, expectMet: null, error: null, variables: {},
    });
    expect(late.accepted).toBe(false);

    const remote = new LocalRunner({
      queue: t.server.runs.queue,
      bus: t.server.bus,
      logger: createLogger('silent'),
      id: 'remote-1',
      labels: { runner: 'remote' },
      concurrency: 1,
      baseEnv: t.config.runs.baseEnv,
      redact: [],
      workRoot: path.join(os.tmpdir(), 'nexus-runs-test'),
      sandbox: UNSANDBOXED,
      outputLimitBytes: 4096,
    });
    remote.start();
    try {
      const done = stepEvent(t, run.id, id);
      expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/retry`)).status).toBe(200);
      expect(await done).toMatchObject({ state: 'succeeded', attempt: 2, runnerId: 'remote-1', outputExcerpt: 'recovered\n' });
    } finally {
      await remote.stop();
    }
  });

  it('requesting a step runs its commands in order and stops at the first failure', async () => {
    const book = await runbookWith(t, [{ text: 'echo first' }, { text: 'exit 3' }, { text: 'echo never' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const stepId = run.steps[0]!.stepId;
    const failed = stepEvent(t, run.id, book.ids[1]!);
    const res = await api<{ steps: RunStep[] }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${stepId}/run`);
    expect(res.body.steps.map((s) => s.state)).toEqual(['queued', 'queued', 'queued']);
    expect(await failed).toMatchObject({ state: 'failed', exitCode: 3 });
    const after = await until('the third command held', async () => {
      const current = await getRun(t, run.id);
      return current.steps[2]!.state === 'pending' && current.status === 'waiting' ? current : undefined;
    });
    expect(after.steps.map((s) => s.state)).toEqual(['succeeded', 'failed', 'pending']);
    expect(after.steps[2]!.error).toBe(`not run: ${book.ids[1]} failed before it`);
  });

  it('tracks manual checks; the run succeeds once every command is done or skipped and every check ticked', async () => {
    const book = await runbookWith(t, [{ text: 'true' }, { text: 'false' }], ['Tell the team', 'Update the status page']);
    const run = await startRun(t, book.slug, book.procedure);
    expect(run.checks.map((c) => [c.text, c.checked])).toEqual([['Tell the team', false], ['Update the status page', false]]);
    const [first, second] = book.ids as [string, string];
    const failed = stepEvent(t, run.id, second);
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${first}/run`);
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${second}/run`);
    expect(await failed).toMatchObject({ state: 'failed', exitCode: 1, error: 'exit code 1' });
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${second}/skip`)).status).toBe(200);

    expect((await api(t, 'viewer', 'POST', `/api/v1/runs/${run.id}/checks/${run.checks[0]!.id}`)).status).toBe(403);
    const finished = new Promise<{ status: string }>((resolve) => {
      const off = t.server.bus.subscribe((e) => {
        if (e.type === 'run.finished' && (e.data as { runId: string }).runId === run.id) {
          off();
          resolve(e.data as { status: string });
        }
      });
    });
    for (const check of run.checks) {
      const res = await api<{ checked: boolean; checkedBy: string }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/checks/${check.id}`, {});
      expect(res.body).toMatchObject({ checked: true, checkedBy: t.userIds.responder });
    }
    expect(await finished).toMatchObject({ status: 'succeeded' });
    expect((await getRun(t, run.id)).finishedAt).not.toBeNull();
  });

  it('cancelling the run cancels what waits, kills what runs, and refuses anything more', async () => {
    const book = await runbookWith(t, [{ text: 'sleep 300' }, { text: 'echo never' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const [sleeper, never] = book.ids as [string, string];
    const running = stepEvent(t, run.id, sleeper, ['running']);
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${sleeper}/run`);
    await running;
    const killed = stepEvent(t, run.id, sleeper);
    const res = await api<{ status: string }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/cancel`);
    expect(res.body.status).toBe('cancelled');
    expect((await killed).state).toBe('cancelled');
    const after = await getRun(t, run.id);
    expect(after.steps.map((s) => s.state)).toEqual(['cancelled', 'cancelled']);
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${never}/run`)).status).toBe(409);
    await until('secrets purge', async () => ((await getRun(t, run.id)).status === 'cancelled' ? true : undefined));
  });
});
