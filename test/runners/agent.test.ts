import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { RunStep } from '../../src/runbooks/runs/schema.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { startCuttableProxy } from '../support/proxy.js';
import { alive, api, getRun, markedProcesses, startRun, stepEvent, stepOf, until } from '../runs/support.js';
import { enrolment, openEvents, runbookWith, startAgent, tmpPath, type AgentCredentials, type AgentProcess } from './support.js';

describe('nexus runner agents over HTTP (real processes)', () => {
  let t: TestApp;
  let k8s: AgentProcess;
  const agents: AgentProcess[] = [];

  /** An agent started with a fresh enrolment token for `name` and `labels`, as an admin hands it out. */
  const agent = async (name: string, labels: Record<string, string>, viaEnv = false) => {
    const { enrolmentToken } = await enrolment(t, name, labels);
    return agentWith({ enrolmentToken }, viaEnv);
  };
  const agentWith = (credentials: AgentCredentials, viaEnv = false, args: string[] = []) => {
    const started = startAgent(t.server.url, credentials, args, { viaEnv });
    agents.push(started);
    return started;
  };

  beforeAll(async () => {
    t = await createTestApp('postgres', {
      start: { listen: true },
      // No local runner: every command here must go through an agent. A short lease so a killed agent's step is lost in seconds.
      env: { NEXUS_LOCAL_RUNNER: 'false', NEXUS_RUNNER_LEASE_SECONDS: '3' },
    });
    k8s = await agent('k8s-1', { runner: 'k8s' });
  });
  afterAll(async () => {
    const stopped = await Promise.all(agents.map((a) => a.stop()));
    await t?.close();
    // Every agent left on SIGTERM by itself, with NEXUS still up.
    expect(stopped).not.toContain('killed');
  });

  it('runs a requested command: output stored and streamed over SSE, exit code, one log line per step, audited', async () => {
    const book = await runbookWith(t, [{ text: 'echo first; sleep 0.2; echo second >&2; exit 0' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const id = book.ids[0]!;
    const sse = await openEvents(t, 'run.');
    const done = stepEvent(t, run.id, id);
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`)).status).toBe(200);
    expect(await done).toMatchObject({ state: 'succeeded', exitCode: 0, attempt: 1, actor: expect.stringMatching(/^runner:k8s-1:\d+$/) });
    await sse.waitFor((e) => e.event === 'run.step' && e.data.runId === run.id && e.data.state === 'succeeded');
    await sse.close();
    const chunks = sse.events.filter((e) => e.event === 'run.output' && e.data.runId === run.id).map((e) => `${e.data.stream}:${e.data.chunk}`);
    expect(chunks).toEqual(['stdout:first\n', 'stderr:second\n']);

    const output = await api<{ output: string; bytes: number }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${id}/output`);
    expect(output.body).toMatchObject({ output: 'first\nsecond\n', bytes: 13 });
    const step = stepOf(await getRun(t, run.id), id);
    expect(step).toMatchObject({ state: 'succeeded', exitCode: 0, runnerId: expect.stringMatching(/^k8s-1:\d+$/) });
    expect(step.durationMs).toBeGreaterThanOrEqual(200);
    await k8s.waitForLog(new RegExp(`${id} succeeded \\(exit 0, `));
    expect(k8s.log()).toContain(`${id} started (run ${run.id}, attempt 1)`);

    const audit = await t.server.db.query<{ actor: string; action: string; outcome: string }>(
      `SELECT actor, action, outcome FROM audit_log WHERE target = $1 AND action LIKE 'run%' ORDER BY id`,
      [run.id],
    );
    const entries = audit.map((r) => `${r.actor.replace(/:\d+$/, '')} ${r.action} ${r.outcome}`);
    // The request's entry is written as its response goes out; the runner, woken at once, may lease before that.
    expect([...entries].sort()).toEqual(
      [
        'responder-user run.create success',
        'responder-user run.step_request success',
        'runner:k8s-1 runner.lease success',
        'runner:k8s-1 run.step_complete success',
        'runner:k8s-1 runner.complete success',
      ].sort(),
    );
    expect(entries[0]).toBe('responder-user run.create success');
  });

  it('obeys selectors: a runner=gpu command waits for a gpu runner while the k8s one serves later work', async () => {
    const gpuBook = await runbookWith(t, [{ text: 'echo on gpu', annotation: 'runner=gpu' }]);
    const gpuRun = await startRun(t, gpuBook.slug, gpuBook.procedure);
    const gpuId = gpuBook.ids[0]!;
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${gpuRun.id}/steps/${gpuId}/run`)).status).toBe(200);
    // Queued after the gpu command, so the k8s runner leasing it proves it looked at the gpu one and passed.
    const k8sBook = await runbookWith(t, [{ text: 'echo on k8s', annotation: 'runner=k8s' }]);
    const k8sRun = await startRun(t, k8sBook.slug, k8sBook.procedure);
    const k8sDone = stepEvent(t, k8sRun.id, k8sBook.ids[0]!);
    await api(t, 'responder', 'POST', `/api/v1/runs/${k8sRun.id}/steps/${k8sBook.ids[0]}/run`);
    expect(await k8sDone).toMatchObject({ state: 'succeeded', runnerId: expect.stringMatching(/^k8s-1:/) });
    expect(stepOf(await getRun(t, gpuRun.id), gpuId)).toMatchObject({ state: 'queued', runnerId: null, attempt: 0 });

    const gpuDone = stepEvent(t, gpuRun.id, gpuId);
    // This one finds NEXUS and its enrolment through NEXUS_URL and NEXUS_RUNNER_*, as other CLI commands do.
    await agent('gpu-1', { runner: 'gpu', zone: 'a' }, true);
    expect(await gpuDone).toMatchObject({ state: 'succeeded', runnerId: expect.stringMatching(/^gpu-1:\d+$/), outputExcerpt: 'on gpu\n' });
  });

  it('a runner killed with SIGKILL takes its command with it; the step is lost after its lease, and a retry completes it', async () => {
    const flag = tmpPath('flag');
    const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
    // The first attempt leaves a sleeper in its group and one that left it (setsid); the retry finds the flag and finishes at once.
    const text = `test -e <flag> && echo second attempt || { touch <flag>; (exec -a ${marker} sleep 300) & setsid bash -c 'exec -a ${marker} sleep 300' & echo started; wait; }`;
    const book = await runbookWith(t, [{ text, annotation: 'runner=doomed' }]);
    const run = await startRun(t, book.slug, book.procedure, { parameters: { FLAG: flag } });
    const id = book.ids[0]!;
    const doomed = await agent('doomed-1', { runner: 'doomed' });
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    await until('both marked processes to run', () => (markedProcesses(marker).length === 2 ? true : undefined), 30_000);
    const lost = stepEvent(t, run.id, id, ['lost', 'succeeded', 'failed', 'cancelled'], 20_000);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toMatchObject({ signal: 'SIGKILL' });
    // The sandbox dies with its runner: nothing of the step is left running, not even what left its process group.
    await until('the marked processes to be gone', () => (markedProcesses(marker).length === 0 ? true : undefined));
    const event = await lost;
    expect(event).toMatchObject({ state: 'lost', attempt: 1, actor: 'system' });
    expect(event.error).toMatch(/runner doomed-1:\d+ stopped renewing its lease/);

    const done = stepEvent(t, run.id, id);
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/retry`)).status).toBe(200);
    await agent('doomed-2', { runner: 'doomed' });
    const retried = await done;
    expect(retried).toMatchObject({ id: event.id, state: 'succeeded', attempt: 2, runnerId: expect.stringMatching(/^doomed-2:/), outputExcerpt: 'second attempt\n' });
    fs.rmSync(flag, { force: true });
  });

  it('a cancel reaches the remote runner at its next heartbeat: the process group is killed and the step cancelled', async () => {
    const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
    const book = await runbookWith(t, [{ text: `(exec -a ${marker} sleep 30) & wait`, annotation: 'runner=k8s' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const id = book.ids[0]!;
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    const [sleeper] = await until('the marked process to run', () => (markedProcesses(marker).length === 1 ? markedProcesses(marker) : undefined));
    const finished = stepEvent(t, run.id, id);
    const cancel = await api<{ steps: RunStep[] }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/cancel`);
    expect(cancel.body.steps[0]).toMatchObject({ state: 'running', cancelRequested: true });
    const event = await finished;
    // Cancelled by the runner's report (actor runner:…), well before the lease could expire.
    expect(event).toMatchObject({ state: 'cancelled', actor: expect.stringMatching(/^runner:k8s-1:/) });
    expect(alive(sleeper!)).toBe(false);
    await k8s.waitForLog(new RegExp(`${id} cancelled`));
  });

  it('SIGTERM stops the agent cleanly: the command is killed, its step reported lost at once, exit 0', async () => {
    const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
    const book = await runbookWith(t, [{ text: `exec -a ${marker} sleep 30`, annotation: 'runner=leaving' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const id = book.ids[0]!;
    const leaving = await agent('leaving-1', { runner: 'leaving' });
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
    const [sleeper] = await until('the marked process to run', () => (markedProcesses(marker).length === 1 ? markedProcesses(marker) : undefined), 30_000);
    const finished = stepEvent(t, run.id, id);
    leaving.child.kill('SIGTERM');
    const event = await finished;
    expect(event).toMatchObject({ state: 'lost', actor: expect.stringMatching(/^runner:leaving-1:/) });
    expect(event.error).toMatch(/was stopped \(SIGTERM\) while the command ran/);
    expect(await leaving.exited).toEqual({ code: 0, signal: null });
    expect(alive(sleeper!)).toBe(false);
    expect(leaving.log()).toContain('runner stopped');
  });

  it('reconnects with backoff when NEXUS is unreachable, then serves again', async () => {
    const port = Number(new URL(t.server.url).port);
    const proxy = await startCuttableProxy('127.0.0.1', port);
    try {
      const { enrolmentToken } = await enrolment(t, 'flaky-2', { runner: 'flaky' });
      const behind = startAgent(`http://127.0.0.1:${proxy.port}`, { enrolmentToken }, []);
      agents.push(behind);
      await behind.waitForLog(/serving labels runner=flaky/);
      await proxy.cut();
      await behind.waitForLog(/NEXUS unreachable: /);
      await proxy.restore();
      const book = await runbookWith(t, [{ text: 'echo back', annotation: 'runner=flaky' }]);
      const run = await startRun(t, book.slug, book.procedure);
      const done = stepEvent(t, run.id, book.ids[0]!);
      await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/run`);
      expect(await done).toMatchObject({ state: 'succeeded', runnerId: expect.stringMatching(/^flaky-2:/) });
      // The agent heard NEXUS's answer (before the proxy goes away with the test).
      await behind.waitForLog(new RegExp(`${book.ids[0]} succeeded`));
      expect(behind.log()).toMatch(/NEXUS unreachable: [^\n]*\n[^]*NEXUS reachable again after /);
    } finally {
      await proxy.close();
    }
  });

  it('an agent cut off from NEXUS stops its command itself before its lease runs out, so the lost step is not running when retried', async () => {
    const port = Number(new URL(t.server.url).port);
    const proxy = await startCuttableProxy('127.0.0.1', port);
    try {
      const { enrolmentToken } = await enrolment(t, 'fenced-1', { runner: 'fenced' });
      const cutOff = startAgent(`http://127.0.0.1:${proxy.port}`, { enrolmentToken }, []);
      agents.push(cutOff);
      await cutOff.waitForLog(/serving labels runner=fenced/);
      const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
      const book = await runbookWith(t, [{ text: `exec -a ${marker} sleep 300`, annotation: 'runner=fenced' }]);
      const run = await startRun(t, book.slug, book.procedure);
      const id = book.ids[0]!;
      await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`);
      await until('the marked process to run', () => (markedProcesses(marker).length === 1 ? true : undefined), 30_000);
      // What still runs at the moment NEXUS declares the step lost (and anyone may retry it).
      let runningWhenLost: number[] | null = null;
      const off = t.server.bus.subscribe((event) => {
        const data = event.data as { runId?: string; state?: string };
        if (event.type === 'run.step' && data.runId === run.id && data.state === 'lost') runningWhenLost ??= markedProcesses(marker);
      });
      const lost = stepEvent(t, run.id, id, ['lost', 'succeeded', 'failed', 'cancelled'], 30_000);
      // No heartbeat, no cancel can reach the agent from now on.
      await proxy.cut();
      const event = await lost;
      off();
      expect(event).toMatchObject({ state: 'lost', actor: 'system' });
      // Stopped by the agent on its own (nothing could tell it to), before NEXUS gave the step up.
      expect(runningWhenLost).toEqual([]);
      await cutOff.waitForLog(new RegExp(`${id} stopped: NEXUS did not confirm the lease in time`));
    } finally {
      await proxy.close();
    }
  });

  it('first start enrols and saves the credential (mode 0600); later starts need only the file; the enrolment token works once', async () => {
    const { enrolmentToken } = await enrolment(t, 'twice-1', { runner: 'twice' });
    const credentialFile = tmpPath('credential');
    const first = agentWith({ enrolmentToken, credentialFile });
    await first.waitForLog(/enrolled as runner twice-1 \(id [0-9a-f-]{36}\); credential saved to /);
    await first.waitForLog(/serving labels runner=twice/);
    expect(fs.statSync(credentialFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(credentialFile, 'utf8')).toMatch(/^nxr_[A-Za-z0-9_-]{43}\n$/);
    expect(await first.stop()).toBe('exited');

    // Restarted with the file alone: name and labels come from NEXUS.
    const second = agentWith({ credentialFile });
    await second.waitForLog(/runner twice-1:\d+ serving labels runner=twice \(assigned at enrolment\)/);
    const book = await runbookWith(t, [{ text: 'echo again', annotation: 'runner=twice' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const done = stepEvent(t, run.id, book.ids[0]!);
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/run`);
    expect(await done).toMatchObject({ state: 'succeeded', runnerId: expect.stringMatching(/^twice-1:\d+$/) });

    // Someone else with the same (spent) enrolment token gets nothing.
    const thief = agentWith({ enrolmentToken, credentialFile: tmpPath('stolen') });
    expect((await thief.exited).code).toBe(EXIT.unauthorized);
    expect(thief.log()).toContain('Enrolment token is invalid, expired, revoked or already used');
    fs.rmSync(credentialFile, { force: true });
  });

  it('a revoked runner stops at once with a clear message and exit code 4', async () => {
    const revocable = await enrolment(t, 'revoked-1', { runner: 'none' });
    const doomed = agentWith({ enrolmentToken: revocable.enrolmentToken });
    await doomed.waitForLog(/serving labels runner=none/);
    // Let its first long-poll reach the server: the revocation must end a poll in progress.
    await until('its long-poll to be waiting at the server', () => (t.server.remoteRunners.polling().some((id) => id.startsWith('revoked-1:')) ? true : undefined));
    const revokedAt = Date.now();
    const res = await t.inject({ method: 'DELETE', url: `/api/v1/runners/${revocable.id}`, headers: bearer(t.tokens.admin) });
    expect(res.statusCode).toBe(200);
    const exit = await doomed.exited;
    expect(exit.code).toBe(EXIT.unauthorized);
    // Well before its 25 s long-poll would have ended on its own.
    expect(Date.now() - revokedAt).toBeLessThan(5000);
    expect(doomed.log()).toMatch(/nexus: runner stopped: NEXUS refused the runner's credential \(401\): Runner credential is invalid or revoked/);
  });
});
