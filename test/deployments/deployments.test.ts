import { afterEach, describe, expect, it } from 'vitest';
import { bearer, json } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { act, getDeployment, measureSplit, SERVICE, share, until, useDeploymentStage } from './support.js';

/** Each weight followed by a pause until promoted: the test measures the split while it holds. */
const MANUAL_STEPS = [10, 25, 50].flatMap((weight) => [{ kind: 'setWeight', weight }, { kind: 'pause' }]).concat([{ kind: 'setWeight', weight: 100 }]);

describe.each(ENGINES)('deployments on %s', (engine) => {
  const stage = useDeploymentStage(engine);
  // Each test starts with all traffic on v1 and nothing in progress.
  afterEach(async () => {
    const active = json<{ items: Array<{ id: string; state: string }> }>(
      await stage.t.inject({ method: 'GET', url: `/api/v1/deployments?service=${SERVICE}`, headers: bearer(stage.t.tokens.viewer) }),
    ).items.filter((d) => ['progressing', 'paused'].includes(d.state));
    for (const d of active) {
      await act(stage.t, d.id, 'abort');
      await until(stage.t, d.id, (x) => x.state === 'aborted');
    }
  });

  const create = (payload: Record<string, unknown>, token = stage.t.tokens.operator) =>
    stage.t.inject({ method: 'POST', url: '/api/v1/deployments', headers: bearer(token), payload });
  const firstDeployment = (extra: Record<string, unknown> = {}) => ({
    service: SERVICE,
    version: 'v2',
    upstream: stage.v2.address,
    stable: { version: 'v1', upstream: stage.v1.address },
    ...extra,
  });

  it('refuses hostile and incomplete input with a 400 naming the field, and nothing reaches nginx', async () => {
    const before = await stage.nginx.upstreamFile();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [firstDeployment({ upstream: '127.0.0.1:80; } server 10.0.0.1:80 { ' }), /upstream/],
      [firstDeployment({ upstream: '127.0.0.1:80\n}' }), /upstream/],
      [firstDeployment({ service: '../etc/passwd' }), /service/],
      [firstDeployment({ service: 'web;' }), /service/],
      [firstDeployment({ version: 'v2"} or vector(1) #' }), /version/],
      [firstDeployment({ upstream: '127.0.0.1:99999' }), /port/],
      [firstDeployment({ upstream: stage.v1.address }), /another address/],
      [firstDeployment({ steps: [{ kind: 'analysis' }] }), /analysis/],
      [firstDeployment({ analysis: { metrics: [{ name: 'errors', query: 'up' }] } }), /max, min/],
      [firstDeployment({ stable: undefined }), /stable/],
      [firstDeployment({ strategy: 'blue-green', steps: [{ kind: 'pause' }] }), /steps/],
    ];
    for (const [payload, message] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json<{ error: { message: string } }>(res).error.message).toMatch(message);
    }
    expect(await stage.nginx.upstreamFile()).toBe(before);
  });

  it('only operators start and act on deployments; viewers read them', async () => {
    expect((await create(firstDeployment({ steps: [{ kind: 'pause' }] }), stage.t.tokens.viewer)).statusCode).toBe(403);
    expect((await create(firstDeployment({ steps: [{ kind: 'pause' }] }), stage.t.tokens.responder)).statusCode).toBe(403);
    const res = await create(firstDeployment({ steps: [{ kind: 'pause' }] }));
    expect(res.statusCode).toBe(201);
    const { id } = json<{ id: string }>(res);
    for (const action of ['promote', 'pause', 'resume', 'abort', 'rollback']) {
      const refused = await stage.t.inject({ method: 'POST', url: `/api/v1/deployments/${id}/${action}`, headers: bearer(stage.t.tokens.viewer), payload: {} });
      expect(refused.statusCode).toBe(403);
    }
    const audit = json<{ items: Array<{ action: string; target: string | null; outcome: string }> }>(
      await stage.t.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: bearer(stage.t.tokens.admin) }),
    ).items;
    expect(audit.some((e) => e.action === 'deployment.create' && e.target === id && e.outcome === 'success')).toBe(true);
    expect(audit.some((e) => e.action === 'deployment.abort' && e.outcome !== 'success')).toBe(true);
  });

  it('shifts real nginx traffic 10 → 25 → 50 → 100 %, each split within ±5 points over 1,000 requests, and promotes', async () => {
    const res = await create(firstDeployment({ steps: MANUAL_STEPS }));
    expect(res.statusCode).toBe(201);
    const { id } = json<{ id: string }>(res);
    // A second rollout of the same service while this one runs would fight over its router entry.
    expect((await create(firstDeployment({ version: 'v3', upstream: '127.0.0.1:1', steps: MANUAL_STEPS }))).statusCode).toBe(409);

    const splits: Record<number, number> = {};
    for (const weight of [10, 25, 50]) {
      const paused = await until(stage.t, id, (d) => d.state === 'paused' && d.canaryWeight === weight);
      expect(paused.reason).toMatch(/promotion/);
      const counts = await measureSplit(stage.nginx.url);
      splits[weight] = share(counts, 'v2');
      expect(Math.abs(share(counts, 'v2') - weight)).toBeLessThanOrEqual(5);
      expect(share(counts, 'v1') + share(counts, 'v2')).toBe(100);
      await act(stage.t, id, 'promote');
    }
    const done = await until(stage.t, id, (d) => d.state === 'succeeded');
    const counts = await measureSplit(stage.nginx.url);
    splits[100] = share(counts, 'v2');
    expect(counts).toEqual({ v2: 1000 });
    console.log(`measured split on ${engine} (v2 share of 1,000 requests per step):`, splits);

    expect(done.canaryWeight).toBe(100);
    expect(done.steps.map((s) => s.state)).toEqual(['succeeded', 'skipped', 'succeeded', 'skipped', 'succeeded', 'skipped', 'succeeded']);
    // One traffic change per weight, then v1 leaves the router.
    const traffic = done.timeline.filter((e) => e.kind === 'traffic').map((e) => e.data.weight);
    expect(traffic).toEqual([10, 25, 50, 100, 100]);
    expect(await stage.nginx.upstreamFile()).not.toContain(stage.v1.address);

    // The next deployment of the service starts from v2 without naming it.
    const next = await create({ service: SERVICE, version: 'v3', upstream: '127.0.0.1:2', steps: [{ kind: 'pause' }] });
    expect(next.statusCode).toBe(201);
    expect(json<{ stable: { version: string } }>(next).stable.version).toBe('v2');
    await act(stage.t, json<{ id: string }>(next).id, 'abort');
    await until(stage.t, json<{ id: string }>(next).id, (d) => d.state === 'aborted');

    // Rolling back the promoted release: all traffic on v1 again.
    await act(stage.t, id, 'rollback', { reason: 'customer reports' });
    const back = await until(stage.t, id, (d) => d.state === 'rolled_back');
    expect(back.reason).toBe('customer reports');
    expect(await measureSplit(stage.nginx.url, 200)).toEqual({ v1: 200 });
  });

  it('an abort in the middle puts all traffic back on the stable version and keeps it there', async () => {
    const res = await create(firstDeployment({ stable: undefined, steps: MANUAL_STEPS }));
    // After the rollback above, v1 is the stable version again.
    expect(res.statusCode).toBe(201);
    const { id } = json<{ id: string; stable: { version: string } }>(res);
    expect(json<{ stable: { version: string } }>(res).stable.version).toBe('v1');
    await until(stage.t, id, (d) => d.state === 'paused' && d.canaryWeight === 10);
    await act(stage.t, id, 'promote');
    await until(stage.t, id, (d) => d.state === 'paused' && d.canaryWeight === 25);
    await act(stage.t, id, 'abort', { reason: 'stop' });
    const aborted = await until(stage.t, id, (d) => d.state === 'aborted');
    expect(aborted.canaryWeight).toBe(0);
    expect(aborted.reason).toBe('stop');
    expect(await measureSplit(stage.nginx.url)).toEqual({ v1: 1000 });
    expect(await stage.nginx.upstreamFile()).not.toContain(stage.v2.address);
    // Finished is finished: no promote, no resume.
    const again = await stage.t.inject({ method: 'POST', url: `/api/v1/deployments/${id}/promote`, headers: bearer(stage.t.tokens.operator), payload: {} });
    expect(again.statusCode).toBe(409);
  });

  it('finds the router already at the recorded intent after a crash and commits it without touching nginx again', async () => {
    const res = await create(firstDeployment({ steps: MANUAL_STEPS }));
    const { id } = json<{ id: string }>(res);
    await until(stage.t, id, (d) => d.state === 'paused' && d.canaryWeight === 10);
    const events = (await getDeployment(stage.t, id)).timeline.length;

    // What a controller that died between "router changed" and "commit" leaves: intent 25 recorded,
    // nginx already at 25, the step not finished. Written while paused, so the controller is not looking.
    const db = stage.t.server.db;
    await db.query(`UPDATE deployment_steps SET state = 'skipped' WHERE deployment_id = $1 AND index = 1`, [id]);
    await db.query(`UPDATE deployments SET current_step = 2, intent_weight = 25, revision = revision + 1 WHERE id = $1`, [id]);
    const { NginxRouter } = await import('../../src/deployments/nginx.js');
    const { createLogger } = await import('../../src/platform/logger.js');
    const router = new NginxRouter(stage.t.config.deployments.nginx!, createLogger('silent'));
    await router.apply(SERVICE, [
      { version: 'v1', upstream: stage.v1.address, weight: 75 },
      { version: 'v2', upstream: stage.v2.address, weight: 25 },
    ]);
    const workers = await stage.nginx.workerPids();

    await db.query(`UPDATE deployments SET state = 'progressing', reason = NULL, next_at = now(), revision = revision + 1 WHERE id = $1`, [id]);
    stage.t.server.deployments.loop.kick();
    const resumed = await until(stage.t, id, (d) => d.state === 'paused' && d.canaryWeight === 25 && d.pendingWeight === null);
    expect(await stage.nginx.workerPids()).toEqual(workers);
    const later = resumed.timeline.slice(events);
    expect(later.filter((e) => e.kind === 'traffic')).toEqual([]);
    expect(later.map((e) => e.kind)).toEqual(['step', 'paused']);
    expect(share(await measureSplit(stage.nginx.url), 'v2')).toBe(25);

    // Now an abort whose controller died after recording "0 %" and before telling nginx: the next one finishes it.
    await db.query(`UPDATE deployments SET state = 'aborting', outcome = 'aborted', intent_weight = 0, next_at = now(), revision = revision + 1 WHERE id = $1`, [id]);
    stage.t.server.deployments.loop.kick();
    const aborted = await until(stage.t, id, (d) => d.state === 'aborted');
    expect([aborted.canaryWeight, aborted.pendingWeight]).toEqual([0, null]);
    expect(await measureSplit(stage.nginx.url)).toEqual({ v1: 1000 });
  });

  it('a configuration nginx refuses fails the deployment, puts the last good file back and leaves traffic on the stable version', async () => {
    const before = await stage.nginx.upstreamFile();
    // A name nginx cannot resolve: `nginx -t` refuses the file that names it.
    const res = await create(firstDeployment({ upstream: 'no-such-host.invalid:8080', steps: MANUAL_STEPS }));
    const { id } = json<{ id: string }>(res);
    const failed = await until(stage.t, id, (d) => d.state === 'failed');
    expect(failed.reason).toMatch(/nginx refused the configuration for web: .*no-such-host\.invalid/);
    expect(failed.canaryWeight).toBe(0);
    expect(failed.incidentId).not.toBeNull();
    expect(await stage.nginx.upstreamFile()).toBe(before);
    expect(await measureSplit(stage.nginx.url, 200)).toEqual({ v1: 200 });
  });

  it('an inconclusive analysis (no Prometheus to ask) pauses for a person; resume measures again, promote skips it', async () => {
    const analysis = { metrics: [{ name: 'errors', query: 'vector(0)', max: 0.05 }], count: 1, intervalSeconds: 1 };
    const steps = [{ kind: 'setWeight', weight: 10 }, { kind: 'analysis' }, { kind: 'pause' }];
    const { id } = json<{ id: string }>(await create(firstDeployment({ steps, analysis })));
    const paused = await until(stage.t, id, (d) => d.state === 'paused');
    expect(paused.reason).toMatch(/analysis inconclusive: errors - inconclusive \(no Prometheus configured/);
    expect(paused.measurements.map((m) => [m.round, m.phase, m.weight])).toEqual([[0, 'inconclusive', 10]]);
    expect(share(await measureSplit(stage.nginx.url, 100), 'v2', 100)).toBe(10);

    await act(stage.t, id, 'resume');
    const again = await until(stage.t, id, (d) => d.state === 'paused' && d.measurements.length === 2);
    expect(again.measurements.map((m) => m.round)).toEqual([0, 1]);
    // Resuming a pause that waits for promotion is refused with the way on.
    await act(stage.t, id, 'promote');
    const waiting = await until(stage.t, id, (d) => d.state === 'paused' && d.currentStep === 2);
    expect(waiting.steps[1]!.state).toBe('skipped');
    const refused = await stage.t.inject({ method: 'POST', url: `/api/v1/deployments/${id}/resume`, headers: bearer(stage.t.tokens.operator), payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(json<{ error: { message: string } }>(refused).error.message).toMatch(/promote/);
  });

  it('blue-green: health-checks the new colour, switches all traffic, keeps the old colour for the delay, scales it down; rollback switches back', async () => {
    const { id } = json<{ id: string }>(await create(firstDeployment({ strategy: 'blue-green', blueGreen: { scaleDownDelaySeconds: 1 } })));
    const done = await until(stage.t, id, (d) => !['progressing', 'paused'].includes(d.state));
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((s) => [s.kind, s.state])).toEqual([
      ['healthCheck', 'succeeded'],
      ['setWeight', 'succeeded'],
      ['pause', 'succeeded'],
      ['scaleDown', 'succeeded'],
    ]);
    // Switch (v1 kept, down), then scale-down (v1 removed).
    expect(done.timeline.filter((e) => e.kind === 'traffic').map((e) => (e.data.backends as Array<{ version: string }>).map((b) => b.version))).toEqual([
      ['v1', 'v2'],
      ['v2'],
    ]);
    expect(await measureSplit(stage.nginx.url, 200)).toEqual({ v2: 200 });

    await act(stage.t, id, 'rollback');
    await until(stage.t, id, (d) => d.state === 'rolled_back');
    expect(await measureSplit(stage.nginx.url, 200)).toEqual({ v1: 200 });

    // A new colour that never answers its health checks gets no traffic.
    const sick = json<{ id: string }>(
      await create(firstDeployment({ version: 'v9', upstream: '127.0.0.1:1', strategy: 'blue-green', blueGreen: { healthTimeoutSeconds: 1 } })),
    );
    const failed = await until(stage.t, sick.id, (d) => !['progressing', 'paused', 'aborting'].includes(d.state));
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(/health check of v9 failed for 1 s: \/health/);
    expect(failed.timeline.filter((e) => e.kind === 'traffic')).toEqual([]);
    expect(await measureSplit(stage.nginx.url, 200)).toEqual({ v1: 200 });
  });
});
