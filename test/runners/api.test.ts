import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/platform/events/index.js';
import type { OutputEvent, StepLease } from '../../src/runbooks/runs/index.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { api, getRun, startRun, stepOf, until } from '../runs/support.js';
import { enrolledRunner, runbookWith } from './support.js';

/**
 * The runner protocol spoken by hand, as a misbehaving or outdated agent
 * might: what the server checks itself rather than trusting the runner.
 */
describe('the remote-runner HTTP API', () => {
  let t: TestApp;
  /** One enrolled runner per `runner=<label>`, named `<label>-runner`. */
  const enrolled = new Map<string, { id: string; credential: string }>();
  const runnerFor = async (label: string) => {
    if (!enrolled.has(label)) enrolled.set(label, await enrolledRunner(t, `${label}-runner`, { runner: label }));
    return enrolled.get(label)!;
  };

  const call = async <T = unknown>(path: string, payload: unknown, label: string) => {
    const { credential } = await runnerFor(label);
    return callWith<T>(path, payload, credential);
  };
  const callWith = async <T = unknown>(path: string, payload: unknown, credential: string) => {
    const res = await t.inject({ method: 'POST', url: `/api/v1/runners${path}`, headers: bearer(credential), payload: payload as object });
    return { status: res.statusCode, body: (res.body === '' ? null : res.json()) as T };
  };

  const auditRows = async (action: string) =>
    t.server.db.query<{ outcome: string; status_code: number | null; actor: string; target: string | null }>(
      `SELECT outcome, status_code, actor, target FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );

  /** A queued `runner=<label>` command, as a responder requested it. */
  async function queued(label: string, text: string, extra: Record<string, unknown> = {}) {
    const book = await runbookWith(t, [{ text, annotation: `runner=${label}` }]);
    const run = await startRun(t, book.slug, book.procedure, extra);
    const id = book.ids[0]!;
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`)).status).toBe(200);
    return { run, id };
  }

  beforeAll(async () => {
    t = await createTestApp('postgres', { start: { listen: true }, env: { NEXUS_LOCAL_RUNNER: 'false' } });
  });
  afterAll(async () => t?.close());

  it('a lease long-poll with nothing to do answers 204 after waitMs, unaudited; bad input is refused at once', async () => {
    const started = Date.now();
    const empty = await call('/lease', { instance: 'idle-1', waitMs: 300 }, 'nothing-here');
    expect(empty.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Answered at the end of its own waitMs, far before the 25 s default.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await auditRows('runner.lease')).toEqual([]);

    const fast = Date.now();
    const bad = await call<{ error: { message: string } }>('/lease', { instance: 'bad instance', waitMs: 25_000 }, 'nothing-here');
    expect(bad.status).toBe(400);
    // Refused at validation, not after waiting out the 25 s it asked for.
    expect(Date.now() - fast).toBeLessThan(10_000);
    expect((await auditRows('runner.lease')).map((r) => r.status_code)).toEqual([400]);
    const responder = await callWith('/lease', { instance: 'idle-1' }, t.tokens.responder);
    expect(responder.status).toBe(403);
  });

  it('hands out the rewritten command and opened secrets, redacts output again (also split across batches), stores a resent batch once', async () => {
    const secret = `sekret-${randomUUID().slice(0, 8)}`;
    const { run, id } = await queued('http', 'echo <api-key> <region>', { parameters: { API_KEY: secret, REGION: 'eu-1' }, secretParameters: ['API_KEY'] });
    const lease = await call<StepLease>('/lease', { instance: 'hand-1', waitMs: 0 }, 'http');
    expect(lease.status).toBe(200);
    expect(lease.body).toMatchObject({ commandId: id, runId: run.id, attempt: 1, script: 'echo "${API_KEY}" "${REGION}"', env: { API_KEY: secret, REGION: 'eu-1' }, leaseSeconds: 30 });
    expect(lease.body.secrets).toContain(secret);
    const { stepId, leaseId } = lease.body;

    const live: OutputEvent[] = [];
    const off = t.server.bus.subscribe((e: DomainEvent) => {
      if (e.type === 'run.output' && (e.data as OutputEvent).runId === run.id) live.push(e.data as OutputEvent);
    });
    // A runner that does not redact, and splits the secret across two batches.
    const first = { stream: 'stdout', text: `key=${secret.slice(0, 9)}`, offset: 0 };
    const second = { stream: 'stdout', text: `${secret.slice(9)} region=eu-1\n`, offset: Buffer.byteLength(first.text) };
    expect((await call(`/steps/${stepId}/output`, { leaseId, chunks: [first] }, 'http')).status).toBe(204);
    expect((await call(`/steps/${stepId}/output`, { leaseId, chunks: [second] }, 'http')).status).toBe(204);
    // Sent again, as after an answer lost on the way back.
    expect((await call(`/steps/${stepId}/output`, { leaseId, chunks: [second] }, 'http')).status).toBe(204);
    const done = await call(`/steps/${stepId}/complete`, { leaseId, outcome: 'exited', exitCode: 0, signal: null, durationMs: 12, expectMet: null, error: null, variables: {} }, 'http');
    off();
    expect(done).toEqual({ status: 200, body: { accepted: true, state: 'succeeded', droppedVariables: [] } });

    const output = await api<{ output: string }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${id}/output`);
    expect(output.body.output).toBe('key=[redacted] region=eu-1\n');
    expect(live.map((e) => e.chunk)).toEqual(['key=', '[redacted] region=eu-1\n']);
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'succeeded', exitCode: 0, durationMs: 12, runnerId: 'http-runner:hand-1' });
    const leases = await auditRows('runner.lease');
    expect(leases[leases.length - 1]).toMatchObject({ outcome: 'success', status_code: 200, actor: 'runner:http-runner', target: run.id });
  });

  it('a lease id this runner was not given gets 403, a spent one 409; successful heartbeats leave no audit row, refused ones do', async () => {
    const { run, id } = await queued('beat', 'sleep 1');
    const lease = (await call<StepLease>('/lease', { instance: 'hand-2', waitMs: 0 }, 'beat')).body;
    const { stepId, leaseId } = lease;
    expect(await call(`/steps/${stepId}/heartbeat`, { leaseId }, 'beat')).toEqual({ status: 200, body: { held: true, cancelRequested: false } });
    expect(await call(`/steps/${stepId}/heartbeat`, { leaseId }, 'beat')).toMatchObject({ status: 200 });
    expect(await auditRows('runner.heartbeat')).toEqual([]);

    // An unknown lease id is refused: it was not given to this runner.
    const stale = randomUUID();
    expect((await call(`/steps/${stepId}/heartbeat`, { leaseId: stale }, 'beat')).status).toBe(403);
    expect((await call(`/steps/${stepId}/output`, { leaseId: stale, chunks: [{ stream: 'stdout', text: 'x', offset: 0 }] }, 'beat')).status).toBe(403);
    const report = { outcome: 'exited', exitCode: 0, signal: null, durationMs: 1, expectMet: null, error: null, variables: {} };
    expect((await call(`/steps/${stepId}/complete`, { leaseId: stale, ...report }, 'beat')).status).toBe(403);
    expect((await auditRows('runner.heartbeat')).map((r) => [r.outcome, r.status_code, r.target])).toEqual([['denied', 403, stepId]]);
    expect((await auditRows('runner.output')).map((r) => r.status_code)).toEqual([403]);

    // A cancel is news for the runner's next heartbeat.
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/cancel`);
    expect(await call(`/steps/${stepId}/heartbeat`, { leaseId }, 'beat')).toEqual({ status: 200, body: { held: true, cancelRequested: true } });
    const cancelled = await call(`/steps/${stepId}/complete`, { leaseId, ...report, outcome: 'cancelled', exitCode: null, signal: 'SIGTERM' }, 'beat');
    expect(cancelled).toEqual({ status: 200, body: { accepted: true, state: 'cancelled', droppedVariables: [] } });
    // Finished: the lease is spent.
    const late = await call<{ error: { message: string } }>(`/steps/${stepId}/heartbeat`, { leaseId }, 'beat');
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain(`no longer holds step ${stepId}`);
    expect((await call(`/steps/${stepId}/complete`, { leaseId, ...report }, 'beat')).status).toBe(409);
  });

  it('a lease that nobody will receive is given back: the step is queued again, its attempt not counted', async () => {
    const { run, id } = await queued('gone', 'echo hi');
    const runner = { id: (await runnerFor('gone')).id, name: 'gone-runner', labels: { runner: 'gone' } };
    const lease = await t.server.remoteRunners.lease(runner, { instance: 'gone-1', waitMs: 0 }, AbortSignal.abort());
    expect(lease).toBeNull();
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'queued', attempt: 0, runnerId: null });
  });

  it('a long-poll whose client disconnects stops waiting at once', async () => {
    const controller = new AbortController();
    const { credential } = await runnerFor('nobody');
    const pending = fetch(`${t.server.url}/api/v1/runners/lease`, {
      method: 'POST',
      headers: { ...bearer(credential), 'content-type': 'application/json' },
      body: JSON.stringify({ instance: 'leaver-1', waitMs: 30_000 }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    const polling = () => t.server.remoteRunners.polling().includes('nobody-runner:leaver-1');
    await until('the poll to wait at the server', () => (polling() ? true : undefined));
    controller.abort();
    await pending;
    await until('the server to stop waiting', () => (polling() ? undefined : true), 2000);
  });
});
