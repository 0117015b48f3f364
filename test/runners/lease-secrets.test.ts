import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepLease } from '../../src/runbooks/runs/index.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { api, getRun, startRun, stepOf } from '../runs/support.js';
import { enrolledRunner, runbookWith } from './support.js';

/**
 * Issue 14, point 3: "secrets can only reach the runner whose labels the
 * run targets". A lease used to carry every secret of its run (as values to
 * redact), so any enrolled runner that took an untargeted step of a run
 * received the secret meant for the step targeted at another runner.
 */
describe('a lease carries only the secrets of its own step', () => {
  let t: TestApp;

  const post = async <T = unknown>(path: string, credential: string, payload: unknown) => {
    const res = await t.inject({ method: 'POST', url: `/api/v1/runners${path}`, headers: bearer(credential), payload: payload as object });
    return { status: res.statusCode, body: (res.body === '' ? null : res.json()) as T };
  };
  const report = { outcome: 'exited', exitCode: 0, signal: null, durationMs: 5, expectMet: null, error: null, variables: {} };

  beforeAll(async () => {
    t = await createTestApp('postgres', { env: { NEXUS_LOCAL_RUNNER: 'false' } });
  });
  afterAll(async () => t?.close());

  it('a runner taking an untargeted step of a run gets none of the secret meant for the runner=prod step, which the server still redacts', async () => {
    const secret = `prod-${randomUUID()}`;
    const book = await runbookWith(t, [{ text: 'uptime' }, { text: 'psql -c "select 1" <db-password>', annotation: 'runner=prod' }]);
    const run = await startRun(t, book.slug, book.procedure, { parameters: { DB_PASSWORD: secret }, secretParameters: ['DB_PASSWORD'] });
    const [untargeted, targeted] = book.ids as [string, string];
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${untargeted}/run`)).status).toBe(200);

    // The attack: an enrolled runner with nothing to do with prod takes the untargeted step.
    const dev = await enrolledRunner(t, 'dev-box', { runner: 'dev' });
    const lease = await post<StepLease>('/lease', dev.credential, { waitMs: 0 });
    expect(lease.status).toBe(200);
    expect(lease.body.commandId).toBe(untargeted);
    expect(JSON.stringify(lease.body)).not.toContain(secret);
    expect(lease.body.secrets).toEqual([]);

    // Should the value turn up in its output anyway, the server still redacts it with all of the run's secrets.
    const leaked = { leaseId: lease.body.leaseId, chunks: [{ stream: 'stdout', text: `found ${secret} lying around\n`, offset: 0 }] };
    expect((await post(`/steps/${lease.body.stepId}/output`, dev.credential, leaked)).status).toBe(204);
    expect((await post(`/steps/${lease.body.stepId}/complete`, dev.credential, { leaseId: lease.body.leaseId, ...report })).status).toBe(200);
    const output = (await api<{ output: string }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${untargeted}/output`)).body.output;
    expect(output).not.toContain(secret);
    expect(output).toContain('lying around');

    // The prod runner, which the step needing it targets, gets the secret, and is told to redact it.
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${targeted}/run`)).status).toBe(200);
    expect((await post('/lease', dev.credential, { waitMs: 0 })).status).toBe(204);
    const prod = await enrolledRunner(t, 'prod-box', { runner: 'prod' });
    const prodLease = await post<StepLease>('/lease', prod.credential, { waitMs: 0 });
    expect(prodLease.status).toBe(200);
    expect(prodLease.body).toMatchObject({ commandId: targeted, env: { DB_PASSWORD: secret } });
    expect(prodLease.body.secrets).toContain(secret);
    expect(stepOf(await getRun(t, run.id), targeted)).toMatchObject({ state: 'running', runnerId: 'prod-box' });
  });
});
