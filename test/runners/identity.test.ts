import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepLease } from '../../src/runbooks/runs/index.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { api, getRun, startRun, stepOf } from '../runs/support.js';
import { enrolledRunner, enrolment, runbookWith } from './support.js';

/**
 * Issue 14, defect 3: "any operator credential can act as a runner". A
 * runner now has its own identity (enrolled once, with labels the server
 * assigns); these reproduce each step of the attack and show it does no harm.
 */
describe('runners have their own identity', () => {
  let t: TestApp;
  let operatorApiToken: string;

  const post = async <T = unknown>(path: string, credential: string | null, payload: unknown) => {
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/runners${path}`,
      headers: credential ? bearer(credential) : {},
      payload: payload as object,
    });
    return { status: res.statusCode, body: (res.body === '' ? null : res.json()) as T };
  };

  const auditRows = async (action: string) =>
    t.server.db.query<{ actor: string; outcome: string; status_code: number | null; target: string | null; details: Record<string, unknown> | null }>(
      `SELECT actor, outcome, status_code, target, details FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );

  /** A queued `runner=<label>` command reading a secret parameter, as a responder requested it. */
  async function queuedWithSecret(label: string, secret: string) {
    const book = await runbookWith(t, [{ text: 'echo <api-key>', annotation: `runner=${label}` }]);
    const run = await startRun(t, book.slug, book.procedure, { parameters: { API_KEY: secret }, secretParameters: ['API_KEY'] });
    const id = book.ids[0]!;
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${id}/run`)).status).toBe(200);
    return { run, id };
  }

  const report = { outcome: 'exited', exitCode: 0, signal: null, durationMs: 5, expectMet: null, error: null, variables: {} };

  beforeAll(async () => {
    t = await createTestApp('postgres', { start: { listen: true }, env: { NEXUS_LOCAL_RUNNER: 'false' } });
    const res = await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(t.tokens.operator), payload: { name: 'not-a-runner', role: 'operator' } });
    operatorApiToken = (res.json() as { token: string }).token;
  });
  afterAll(async () => t?.close());

  it('an operator (session or API token) or admin leasing with {"labels":{"runner":"k8s"}} gets 403 and no run, no secret', async () => {
    const secret = `s3cret-${randomUUID().slice(0, 8)}`;
    const { run, id } = await queuedWithSecret('k8s', secret);
    const attack = { labels: { runner: 'k8s' }, waitMs: 0 };
    for (const credential of [t.tokens.operator, operatorApiToken, t.tokens.admin]) {
      const answer = await post<{ error: { message: string } }>('/lease', credential, attack);
      expect(answer.status).toBe(403);
      expect(answer.body.error.message).toMatch(/^Only an enrolled runner may call this/);
      expect(JSON.stringify(answer.body)).not.toContain(secret);
    }
    // The same for the rest of the protocol.
    const fake = { leaseId: randomUUID() };
    expect((await post(`/steps/${randomUUID()}/heartbeat`, t.tokens.operator, fake)).status).toBe(403);
    expect((await post(`/steps/${randomUUID()}/output`, operatorApiToken, { ...fake, chunks: [] })).status).toBe(403);
    expect((await post(`/steps/${randomUUID()}/complete`, t.tokens.admin, { ...fake, ...report })).status).toBe(403);
    // Nothing was handed out: the step still waits for a real k8s runner.
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'queued', attempt: 0, runnerId: null });
    const refused = (await auditRows('runner.lease')).filter((r) => r.outcome === 'denied');
    expect(refused.map((r) => [r.actor, r.status_code])).toEqual([
      ['operator-user', 403],
      ['operator-user', 403],
      ['admin', 403],
    ]);

    // An enrolled k8s runner gets it, secret and all.
    const k8s = await enrolledRunner(t, 'k8s-real', { runner: 'k8s' });
    const lease = await post<StepLease>('/lease', k8s.credential, { instance: '1', waitMs: 0 });
    expect(lease.status).toBe(200);
    expect(lease.body).toMatchObject({ runId: run.id, commandId: id, env: { API_KEY: secret } });
    await post(`/steps/${lease.body.stepId}/complete`, k8s.credential, { leaseId: lease.body.leaseId, ...report });
  });

  it('labels are the server’s: a runner claiming labels is refused (400), and its enrolled labels do not reach another target’s run or secrets', async () => {
    const secret = `s3cret-${randomUUID().slice(0, 8)}`;
    const { run, id } = await queuedWithSecret('db', secret);
    const web = await enrolledRunner(t, 'web-1', { runner: 'web' });
    const claimed = await post<{ error: { message: string; details: { fields: string[] } } }>('/lease', web.credential, { labels: { runner: 'db' }, waitMs: 0 });
    expect(claimed.status).toBe(400);
    expect(claimed.body.error.message).toContain('labels are assigned to a runner by an admin at enrolment');
    expect(claimed.body.error.details.fields).toEqual(['labels']);
    // An old agent's identity fields, likewise.
    const old = await post<{ error: { message: string } }>('/lease', web.credential, { runnerId: 'db-1', name: 'db-1', waitMs: 0 });
    expect(old.status).toBe(400);
    expect(old.body.error.message).toContain("a runner's name is assigned at enrolment");

    // Asking properly: the web runner is matched with runner=web only, so the db step stays queued.
    expect((await post('/lease', web.credential, { instance: '1', waitMs: 0 })).status).toBe(204);
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'queued', attempt: 0 });
    const self = await t.inject({ method: 'GET', url: '/api/v1/runners/me', headers: bearer(web.credential) });
    expect(self.json()).toEqual({ id: web.id, name: 'web-1', labels: { runner: 'web' } });
  });

  it('a lease belongs to the runner that took it: another runner cannot heartbeat, report output for or complete it', async () => {
    const { run, id } = await queuedWithSecret('pair', 'pair-secret-1');
    const owner = await enrolledRunner(t, 'pair-owner', { runner: 'pair' });
    const other = await enrolledRunner(t, 'pair-other', { runner: 'pair' });
    const lease = (await post<StepLease>('/lease', owner.credential, { instance: '1', waitMs: 0 })).body;
    const { stepId, leaseId } = lease;

    const heartbeat = await post<{ error: { message: string } }>(`/steps/${stepId}/heartbeat`, other.credential, { leaseId });
    expect(heartbeat.status).toBe(403);
    expect(heartbeat.body.error.message).toContain('only the runner that took a lease may report on it');
    const output = await post(`/steps/${stepId}/output`, other.credential, { leaseId, chunks: [{ stream: 'stdout', text: 'all good, nothing to see\n', offset: 0 }] });
    expect(output.status).toBe(403);
    const forged = await post(`/steps/${stepId}/complete`, other.credential, { leaseId, ...report });
    expect(forged.status).toBe(403);
    // The step is untouched: still running under its owner, no output from the other runner.
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'running', runnerId: 'pair-owner:1' });
    expect((await api<{ output: string }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${id}/output`)).body.output).toBe('');
    const refusals = (await auditRows('runner.complete')).filter((r) => r.target === stepId);
    expect(refusals.map((r) => [r.actor, r.outcome, r.status_code])).toEqual([['runner:pair-other', 'denied', 403]]);

    const done = await post(`/steps/${stepId}/complete`, owner.credential, { leaseId, ...report });
    expect(done).toEqual({ status: 200, body: { accepted: true, state: 'succeeded', droppedVariables: [] } });
  });

  it('forged variables (NODE_OPTIONS, a secret parameter’s name, an undeclared name, PATH) never reach the next step’s environment', async () => {
    const secret = `s3cret-${randomUUID().slice(0, 8)}`;
    const book = await runbookWith(t, [
      { text: 'FOUND=$(hostname)', annotation: 'runner=vars' },
      { text: 'echo <api-key> "$FOUND"', annotation: 'runner=vars' },
    ]);
    const run = await startRun(t, book.slug, book.procedure, { parameters: { API_KEY: secret }, secretParameters: ['API_KEY'] });
    const [first, second] = book.ids as [string, string];
    const runner = await enrolledRunner(t, 'vars-1', { runner: 'vars' });

    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${first}/run`)).status).toBe(200);
    const lease1 = (await post<StepLease>('/lease', runner.credential, { instance: '1', waitMs: 0 })).body;
    expect(lease1.assigns).toEqual(['FOUND']);
    const variables = { FOUND: 'db-7', NODE_OPTIONS: '--require /tmp/evil.js', API_KEY: 'attacker-chosen', EXTRA: 'x', PATH: '/tmp/evil' };
    const done = await post(`/steps/${lease1.stepId}/complete`, runner.credential, { leaseId: lease1.leaseId, ...report, variables });
    expect(done).toEqual({ status: 200, body: { accepted: true, state: 'succeeded', droppedVariables: ['NODE_OPTIONS', 'API_KEY', 'EXTRA', 'PATH'] } });
    const audited = (await auditRows('run.step_complete')).filter((r) => r.target === run.id);
    expect(audited.at(-1)!.details).toMatchObject({ commandId: first, droppedVariables: ['NODE_OPTIONS', 'API_KEY', 'EXTRA', 'PATH'] });
    // Names only in the audit log, never the values.
    expect(JSON.stringify(audited)).not.toContain('evil');

    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${second}/run`)).status).toBe(200);
    const lease2 = (await post<StepLease>('/lease', runner.credential, { instance: '1', waitMs: 0 })).body;
    expect(lease2.commandId).toBe(second);
    expect(lease2.env).toMatchObject({ FOUND: 'db-7', API_KEY: secret });
    expect(Object.keys(lease2.env)).not.toContain('NODE_OPTIONS');
    expect(Object.keys(lease2.env)).not.toContain('EXTRA');
    expect(Object.keys(lease2.env)).not.toContain('PATH');
    await post(`/steps/${lease2.stepId}/complete`, runner.credential, { leaseId: lease2.leaseId, ...report });
  });

  it('an enrolment token works once, only before it expires and only while not revoked; the credential appears in no audit row', async () => {
    // Only admins enrol runners.
    const byOperator = await t.inject({ method: 'POST', url: '/api/v1/runners/enrolments', headers: bearer(t.tokens.operator), payload: { name: 'sneaky', labels: {} } });
    expect(byOperator.statusCode).toBe(403);

    const { id, enrolmentToken } = await enrolment(t, 'once-1', { runner: 'once' });
    expect(enrolmentToken).toMatch(/^nxe_[A-Za-z0-9_-]{43}$/);
    const first = await post<{ credential: string; runner: { id: string; state: string; labels: Record<string, string> } }>('/enrol', null, { enrolmentToken });
    expect(first.status).toBe(201);
    expect(first.body.credential).toMatch(/^nxr_[A-Za-z0-9_-]{43}$/);
    expect(first.body.runner).toMatchObject({ id, state: 'active', labels: { runner: 'once' } });
    const again = await post<{ error: { message: string } }>('/enrol', null, { enrolmentToken });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toContain('already used');
    // The first credential still works; nobody got a second one.
    expect((await post('/lease', first.body.credential, { waitMs: 0 })).status).toBe(204);

    const late = await enrolment(t, 'late-1', { runner: 'late' });
    await t.server.db.query(`UPDATE runners SET enrolment_expires_at = now() - interval '1 second' WHERE id = $1`, [late.id]);
    expect((await post('/enrol', null, { enrolmentToken: late.enrolmentToken })).status).toBe(401);

    const withdrawn = await enrolment(t, 'withdrawn-1', { runner: 'withdrawn' });
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/runners/${withdrawn.id}`, headers: bearer(t.tokens.admin) })).statusCode).toBe(200);
    expect((await post('/enrol', null, { enrolmentToken: withdrawn.enrolmentToken })).status).toBe(401);

    const list = await t.inject({ method: 'GET', url: '/api/v1/runners?limit=500', headers: bearer(t.tokens.admin) });
    const states = Object.fromEntries((list.json() as { items: Array<{ name: string; state: string }> }).items.map((r) => [r.name, r.state]));
    expect(states).toMatchObject({ 'once-1': 'active', 'late-1': 'expired', 'withdrawn-1': 'revoked' });
    expect(list.body).not.toContain(first.body.credential);

    const enrols = await auditRows('runner.enrol');
    expect(enrols.map((r) => [r.actor, r.outcome]).slice(-4)).toEqual([
      ['runner:once-1', 'success'],
      ['anonymous', 'denied'],
      ['anonymous', 'denied'],
      ['anonymous', 'denied'],
    ]);
    expect((await auditRows('runner.enrolment_create')).at(-1)).toMatchObject({ actor: 'admin', outcome: 'success', target: withdrawn.id });
    const everything = JSON.stringify(await t.server.db.query(`SELECT * FROM audit_log`));
    expect(everything).not.toContain(first.body.credential);
    expect(everything).not.toContain(enrolmentToken);
    // A second live runner cannot take the same name.
    const clash = await t.inject({ method: 'POST', url: '/api/v1/runners/enrolments', headers: bearer(t.tokens.admin), payload: { name: 'once-1', labels: {} } });
    expect(clash.statusCode).toBe(409);
  });

  it('a revoked runner is refused (401) at once, mid-lease too, and its long-poll ends', async () => {
    const { run, id } = await queuedWithSecret('revoke', 'revoke-secret-1');
    const runner = await enrolledRunner(t, 'revoke-1', { runner: 'revoke' });
    const lease = (await post<StepLease>('/lease', runner.credential, { instance: '1', waitMs: 0 })).body;
    expect(lease.runId).toBe(run.id);
    // A second poll waiting at the server when the revocation comes.
    const waiting = post('/lease', runner.credential, { instance: '2', waitMs: 30_000 });
    const started = Date.now();
    const revoked = await t.inject({ method: 'DELETE', url: `/api/v1/runners/${runner.id}`, headers: bearer(t.tokens.admin) });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: runner.id, state: 'revoked' });
    expect((await waiting).status).toBe(204);
    expect(Date.now() - started).toBeLessThan(10_000);

    const refused = await post<{ error: { message: string } }>(`/steps/${lease.stepId}/complete`, runner.credential, { leaseId: lease.leaseId, ...report });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('Runner credential is invalid or revoked');
    expect((await post(`/steps/${lease.stepId}/heartbeat`, runner.credential, { leaseId: lease.leaseId })).status).toBe(401);
    expect((await post('/lease', runner.credential, { waitMs: 0 })).status).toBe(401);
    expect(stepOf(await getRun(t, run.id), id)).toMatchObject({ state: 'running' });
    expect((await auditRows('runner.revoke')).at(-1)).toMatchObject({ actor: 'admin', outcome: 'success', target: runner.id });
  });
});
