import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ADMIN_PASSWORD, bearer, json, login, testConfig } from '../support/app.js';
import { createPostgresDatabase } from '../support/db.js';
import { TestPrometheus } from '../support/prometheus.js';
import { act, backgroundLoad, measureSplit, SERVICE, share, startVersion, TestNginx, until, type ServiceVersion } from './support.js';

/**
 * Issue 17, point 6: real nginx, real Prometheus scraping every version, a
 * NEXUS on PostgreSQL. A good version goes 10 → 25 → 50 → 100 % on analysis;
 * a bad one (20 % 5xx) is rolled back by the analysis with an incident
 * opened; a NEXUS restarted in the middle of a rollout finishes the same
 * deployment without changing traffic twice.
 */

const INTERVAL_SECONDS = 2;
/** The seed's canary error rate (Canary Deployment, step 3), per version instead of per subset. */
const ANALYSIS = {
  metrics: [
    {
      name: '5xx-rate',
      query: '(sum(rate(http_requests_total{version="{{version}}",status=~"5.."}[5s])) or vector(0)) / sum(rate(http_requests_total{version="{{version}}"}[5s]))',
      max: 0.05,
    },
  ],
  intervalSeconds: INTERVAL_SECONDS,
  count: 2,
  failureLimit: 0,
  // The first seconds after a weight change may have no requests of the new version in the window yet.
  inconclusiveLimit: 3,
  initialDelaySeconds: 3,
};

interface Nexus {
  server: RunningServer;
  inject: RunningServer['app']['inject'];
  tokens: { viewer: string; operator: string };
}

describe('progressive delivery end to end (nginx, Prometheus, PostgreSQL)', () => {
  const versions: Record<string, ServiceVersion> = {};
  let nginx: TestNginx;
  let prometheus: TestPrometheus;
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let nexus: Nexus;
  const dataDirs: string[] = [];

  async function startNexus(): Promise<Nexus> {
    const config = await testConfig({ DATABASE_URL: database.url, ...env });
    dataDirs.push(config.dataDir);
    const server = await startServer(config, { listen: false, logger: createLogger('silent'), eventsChannel: `nexus:test:${randomBytes(6).toString('hex')}` });
    const inject = server.app.inject.bind(server.app);
    const token = await login(inject, 'admin', ADMIN_PASSWORD);
    return { server, inject, tokens: { viewer: token, operator: token } };
  }

  beforeAll(async () => {
    for (const [name, failEvery] of [['v1'], ['v2'], ['v3', 5], ['v4']] as Array<[string, number?]>) {
      versions[name] = await startVersion(name, failEvery ? { failEvery } : {});
    }
    nginx = await TestNginx.start(versions.v1!);
    prometheus = await TestPrometheus.start({ scrapeTargets: Object.values(versions).map((v) => v.address) });
    database = await createPostgresDatabase();
    env = { ...nginx.env, PROMETHEUS_URL: prometheus.url, NEXUS_DEPLOY_TICK_MS: '100' };
    nexus = await startNexus();
    await prometheus.waitForSample('http_requests_total{version="v3"}');
  });

  afterAll(async () => {
    await nexus?.server.close();
    await database?.drop();
    await prometheus?.stop();
    await nginx?.stop();
    for (const v of Object.values(versions)) await v.close();
    for (const dir of dataDirs) await fs.rm(dir, { recursive: true, force: true });
  });

  const create = async (payload: Record<string, unknown>) => {
    const res = await nexus.inject({ method: 'POST', url: '/api/v1/deployments', headers: bearer(nexus.tokens.operator), payload });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string }>(res).id;
  };

  it('promotes a good version through 10/25/50/100 % on passing analysis, each split within ±5 points', async () => {
    const steps = [10, 25, 50].flatMap((weight) => [{ kind: 'setWeight', weight }, { kind: 'analysis' }, { kind: 'pause' }]).concat([{ kind: 'setWeight', weight: 100 }]);
    const id = await create({ service: SERVICE, version: 'v2', upstream: versions.v2!.address, stable: { version: 'v1', upstream: versions.v1!.address }, steps, analysis: ANALYSIS });
    const splits: Record<number, number> = {};
    for (const weight of [10, 25, 50]) {
      const load = backgroundLoad(nginx.url);
      const paused = await until(nexus, id, (d) => (d.state === 'paused' && d.canaryWeight === weight) || !['progressing', 'paused'].includes(d.state));
      await load.stop();
      expect(paused.state, paused.reason ?? '').toBe('paused');
      expect(paused.reason).toMatch(/promotion/);
      const counts = await measureSplit(nginx.url);
      splits[weight] = share(counts, 'v2');
      expect(Math.abs(splits[weight]! - weight)).toBeLessThanOrEqual(5);
      await act(nexus, id, 'promote');
    }
    const done = await until(nexus, id, (d) => d.state === 'succeeded');
    splits[100] = share(await measureSplit(nginx.url), 'v2');
    expect(splits[100]).toBe(100);
    console.log('good version, v2 share of 1,000 requests per step:', splits);
    const passed = done.measurements.filter((m) => m.phase === 'successful');
    expect(new Set(passed.map((m) => m.weight))).toEqual(new Set([10, 25, 50]));
    expect(done.measurements.filter((m) => m.phase === 'failed')).toEqual([]);
  });

  it('rolls a bad version (20 % 5xx) back on the first failing analysis and opens an incident with the rollback procedure', async () => {
    const load = backgroundLoad(nginx.url);
    // No stable named: v2, promoted above, is it.
    const id = await create({ service: SERVICE, version: 'v3', upstream: versions.v3!.address, analysis: ANALYSIS });
    const failed = await until(nexus, id, (d) => !['progressing', 'paused', 'aborting'].includes(d.state));
    await load.stop();
    expect(failed.state).toBe('failed');
    expect(failed.canaryWeight).toBe(0);
    expect(failed.reason).toMatch(/analysis failed: 5xx-rate 0\.\d+ failed \(0\.\d+ > max 0\.05\)/);

    // Within two analysis intervals: no more than two rounds were measured before the rollback.
    const rounds = new Set(failed.measurements.map((m) => m.round));
    expect(rounds.size).toBeLessThanOrEqual(2);
    const failing = failed.measurements.find((m) => m.phase === 'failed')!;
    expect(failing.value).toBeGreaterThan(0.1);
    expect(await measureSplit(nginx.url)).toEqual({ v2: 1000 });

    const incident = await nexus.inject({ method: 'GET', url: `/api/v1/incidents/${failed.incidentId}`, headers: bearer(nexus.tokens.viewer) });
    expect(incident.statusCode).toBe(200);
    expect(json<{ service: string; runbook: { slug: string; procedureId: string } }>(incident)).toMatchObject({
      service: SERVICE,
      runbook: { slug: 'nexus-platform', procedureId: 'blue-green-deployment' },
    });

    const start = Date.parse(failed.timeline[0]!.at);
    const failedAt = Date.parse(failing.at);
    const back = failed.timeline.find((e) => e.kind === 'traffic' && e.data.weight === 0)!;
    console.log(
      `rollback timeline (analysis interval ${INTERVAL_SECONDS} s; failing measurement → traffic on stable: ${Date.parse(back.at) - failedAt} ms):\n` +
        failed.timeline.map((e) => `  +${String(Date.parse(e.at) - start).padStart(5)} ms  ${e.kind.padEnd(9)} ${e.summary}`).join('\n'),
    );
  });

  it('a NEXUS restarted in the middle of a rollout resumes the same deployment without a second traffic change', async () => {
    const steps = [{ kind: 'setWeight', weight: 25 }, { kind: 'pause', durationSeconds: 2 }, { kind: 'setWeight', weight: 100 }];
    const id = await create({ service: SERVICE, version: 'v4', upstream: versions.v4!.address, stable: { version: 'v2', upstream: versions.v2!.address }, steps });
    await until(nexus, id, (d) => d.steps[1]!.state === 'running');
    await nexus.server.close();
    expect(await nginx.upstreamFile()).toContain(`${versions.v4!.address} weight=1;`);

    // The new process picks the timed pause up where it was (its start is recorded) and goes on.
    nexus = await startNexus();
    const done = await until(nexus, id, (d) => d.state === 'succeeded');
    const traffic = done.timeline.filter((e) => e.kind === 'traffic').map((e) => e.data.weight);
    expect(traffic).toEqual([25, 100, 100]);
    expect(done.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await measureSplit(nginx.url, 200)).toEqual({ v4: 200 });
  });
});
