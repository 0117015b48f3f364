/**
 * Issue 17's benchmark, two parts, one NEXUS (a child process) on a scratch
 * PostgreSQL database, driving a real nginx (Debian) with the nginx router.
 *
 * (a) Rollback: a bad version (every 5th request a 500) gets 20 % of `web`;
 *     analysis is a real Prometheus (Debian) query of its 5xx ratio, one
 *     round a second. A client sends requests through nginx back to back and
 *     notes which version answered each. Figure: from the failing
 *     measurement (its stored time) to the first request after which only the
 *     stable version answered. Limit: p99 < 1 s. Peer: Flagger and Argo
 *     Rollouts act after interval × failure limit (Flagger's defaults: 1 min
 *     × 5).
 * (b) Controller cost: 200 canary deployments of 200 services in progress at
 *     once (10 → 25 → 50 → 100 %, timed pauses between), their starts spread
 *     over one pause. CPU of NEXUS and of PostgreSQL per deployment step, NEXUS's
 *     memory, and how late each step started (due: the deployment's creation,
 *     the end of a timed pause, or the end of the step before). Limit: no
 *     step late by more than 1 s.
 *
 * `npm run bench -- deployments`; BENCH_DEPLOY_ROLLBACKS (default 20),
 * BENCH_DEPLOY_COUNT (200) and BENCH_DEPLOY_PAUSE_SECONDS (40) change the load.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { renderUpstream } from '../../src/deployments/index.js';
import { startVersion, TestNginx, type ServiceVersion } from '../../test/deployments/support.js';
import { ADMIN_URL } from '../../test/support/env.js';
import { TestPrometheus } from '../../test/support/prometheus.js';
import { percentile } from '../alerts/load.js';
import { startCpuWindow } from '../alerts/cpu.js';
import { checkpoint, cleanup, onCleanup, startNexusChild } from '../alerts/processes.js';
import { benchLog, stopAll } from '../support/lifecycle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const log = benchLog('deployments');
const LIMIT_MS = 1000;
const ROLLBACKS = Number(process.env.BENCH_DEPLOY_ROLLBACKS ?? 20);
const COUNT = Number(process.env.BENCH_DEPLOY_COUNT ?? 200);
const PAUSE_SECONDS = Number(process.env.BENCH_DEPLOY_PAUSE_SECONDS ?? 40);
const ADMIN_PASSWORD = `bench-admin-${randomBytes(12).toString('base64url')}`;
const ANALYSIS_INTERVAL_SECONDS = 1;
const PEER = { intervalSeconds: 60, failureLimit: 5 };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Step {
  index: number;
  kind: string;
  spec: { durationSeconds?: number };
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
}
interface Detail {
  id: string;
  state: string;
  createdAt: string;
  steps: Step[];
  measurements: Array<{ phase: string; at: string }>;
}

function client(base: string, auth: string) {
  return async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
}
type Call = ReturnType<typeof client>;

async function waitFor(call: Call, id: string, done: (d: Detail) => boolean, timeoutMs: number): Promise<Detail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await call<Detail>('GET', `/api/v1/deployments/${id}`);
    if (done(d)) return d;
    if (Date.now() > deadline) throw new Error(`deployment ${id} still ${d.state} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Requests through nginx, back to back on `lanes` connections; each answer noted with when it was sent (wall clock ms). */
function versionWatcher(url: string, lanes = 2) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: lanes });
  const answers: Array<{ sentAt: number; version: string }> = [];
  let running = true;
  const one = () =>
    new Promise<void>((resolve) => {
      const sentAt = Date.now();
      const req = http.get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          answers.push({ sentAt, version: String(res.headers['x-version'] ?? body) });
          resolve();
        });
      });
      req.on('error', () => resolve());
    });
  const loops = Array.from({ length: lanes }, async () => {
    while (running && !stopAll.signal.aborted) await one();
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

async function rollbacks(call: Call, nginx: TestNginx, v1: ServiceVersion, bad: ServiceVersion): Promise<number[]> {
  const analysis = {
    metrics: [
      {
        name: '5xx ratio',
        query: 'sum(rate(http_requests_total{version="{{version}}",status="500"}[5s])) / sum(rate(http_requests_total{version="{{version}}"}[5s]))',
        max: 0.05,
      },
    ],
    intervalSeconds: ANALYSIS_INTERVAL_SECONDS,
    count: 1000,
    failureLimit: 0,
    // The first rounds after a change may find no canary samples yet: measure again, do not pause.
    inconclusiveLimit: 1000,
  };
  const latencies: number[] = [];
  for (let i = 0; i < ROLLBACKS && !stopAll.signal.aborted; i++) {
    const watcher = versionWatcher(`${nginx.url}/`);
    const { id } = await call<{ id: string }>('POST', '/api/v1/deployments', {
      service: 'web',
      version: bad.version,
      upstream: bad.address,
      stable: { version: v1.version, upstream: v1.address },
      steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'analysis' }, { kind: 'setWeight', weight: 100 }],
      analysis,
    });
    const failed = await waitFor(call, id, (d) => d.state === 'failed' || d.state === 'succeeded' || d.state === 'paused', 60_000);
    // A tail of answers after the rollback, to see that only the stable version answers.
    await sleep(300);
    await watcher.stop();
    if (failed.state !== 'failed') throw new Error(`rollback ${i}: deployment ended ${failed.state}, not failed`);
    const failedAt = Date.parse(failed.measurements.find((m) => m.phase === 'failed')!.at);
    const lastBad = watcher.answers.reduce((last, a, index) => (a.version === bad.version ? index : last), -1);
    const firstStable = watcher.answers[lastBad + 1];
    if (!firstStable) throw new Error(`rollback ${i}: no answer after the bad version's last one`);
    latencies.push(Math.max(0, firstStable.sentAt - failedAt));
    log(`rollback ${i + 1}/${ROLLBACKS}: ${(firstStable.sentAt - failedAt).toFixed(0)} ms (${watcher.answers.length} answers noted)`);
  }
  return latencies;
}

/** RSS of a process in MiB, from /proc; NaN elsewhere. */
function rssMiB(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * How late each step started: due at the creation (step 0), at a timed
 * pause's end, or when the step before finished. A setWeight step is stamped
 * once nginx confirmed the change, so its lateness includes the write, the
 * `nginx -t`, the reload and the old workers' exit.
 */
function lateness(d: Detail): number[] {
  const out: number[] = [];
  for (const step of d.steps) {
    if (!step.startedAt) continue;
    const before = d.steps[step.index - 1];
    const due =
      step.index === 0
        ? Date.parse(d.createdAt)
        : before?.kind === 'pause' && before.spec.durationSeconds !== undefined && before.startedAt
          ? Date.parse(before.startedAt) + before.spec.durationSeconds * 1000
          : Date.parse(before?.finishedAt ?? d.createdAt);
    out.push(Date.parse(step.startedAt) - due);
  }
  return out;
}

async function controllerCost(call: Call, nginx: TestNginx, pid: number | undefined, databaseUrl: string, versions: ServiceVersion[]) {
  const [stable, canary] = versions as [ServiceVersion, ServiceVersion];
  const services = Array.from({ length: COUNT }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
  // Every service has its upstream in nginx before it is deployed, as a real one would.
  for (const service of services) {
    fs.writeFileSync(`${nginx.env.NEXUS_NGINX_UPSTREAM_DIR}/${service}.conf`, renderUpstream(service, [{ version: 'v1', upstream: stable.address, weight: 100 }]));
  }
  const steps = [10, 25, 50].flatMap((weight) => [{ kind: 'setWeight', weight }, { kind: 'pause', durationSeconds: PAUSE_SECONDS }]).concat([{ kind: 'setWeight', weight: 100 }]);
  const rssBefore = rssMiB(pid);
  let rssMax = rssBefore;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMiB(pid))), 500);
  const cpu = startCpuWindow(pid, false);
  const backends = await ownBackends(databaseUrl);
  const spread = (PAUSE_SECONDS * 1000) / COUNT;
  const started = Date.now();
  const ids: string[] = [];
  for (const [i, service] of services.entries()) {
    const due = started + i * spread;
    if (due > Date.now()) await sleep(due - Date.now());
    const { id } = await call<{ id: string }>('POST', '/api/v1/deployments', {
      service,
      version: 'v2',
      upstream: canary.address,
      stable: { version: 'v1', upstream: stable.address },
      steps,
    });
    ids.push(id);
  }
  log(`${COUNT} deployments created in ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for them to finish`);
  const details: Detail[] = [];
  for (const id of ids) details.push(await waitFor(call, id, (d) => !['progressing', 'paused', 'aborting', 'rolling_back'].includes(d.state), (4 * PAUSE_SECONDS + 600) * 1000));
  clearInterval(sampler);
  const stepsRun = details.reduce((n, d) => n + d.steps.filter((s) => s.finishedAt).length, 0);
  const figures = cpu?.stop(stepsRun) ?? null;
  const postgresMs = (await backends.ticksSince()) * (1000 / HZ) / Math.max(1, stepsRun);
  const late = details.flatMap(lateness);
  return {
    states: details.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.state]: (acc[d.state] ?? 0) + 1 }), {}),
    stepsRun,
    seconds: (Date.now() - started) / 1000,
    figures,
    postgresMs,
    late,
    rssBefore,
    rssMax,
  };
}

/** Clock ticks per second of /proc's figures (USER_HZ, 100 on Linux). */
const HZ = 100;

function ticksOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU of the PostgreSQL backends serving NEXUS's scratch database only: other
 * work on this machine's PostgreSQL (other test runs) is not counted. A
 * backend that ends inside the window takes its time with it; NEXUS's pool
 * keeps its connections.
 */
async function ownBackends(databaseUrl: string) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const pids = async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      const { rows } = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name]);
      return rows.map((r) => r.pid);
    } finally {
      await c.end();
    }
  };
  const start = new Map((await pids()).map((pid) => [pid, ticksOf(pid)]));
  return {
    async ticksSince(): Promise<number> {
      let total = 0;
      for (const pid of await pids()) total += ticksOf(pid) - (start.get(pid) ?? 0);
      return total;
    },
  };
}

async function scratchDatabase(): Promise<string> {
  const name = `nexus_bench_deploy_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  onCleanup(`drop ${name}`, async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-').padStart(7);

async function main(): Promise<number> {
  const v1 = await startVersion('v1');
  const v2 = await startVersion('v2');
  const bad = await startVersion('v3', { failEvery: 5 });
  onCleanup('stop service versions', async () => void (await Promise.all([v1.close(), v2.close(), bad.close()])));
  const nginx = await TestNginx.start(v1);
  onCleanup('stop nginx', () => nginx.stop());
  const prometheus = await TestPrometheus.start({ scrapeTargets: [v1.address, bad.address] });
  onCleanup('stop prometheus', () => prometheus.stop());
  const databaseUrl = await scratchDatabase();
  log('starting NEXUS on PostgreSQL (scratch database) with the nginx router and Prometheus');
  const { url, child } = await startNexusChild(
    'nexus',
    ROOT,
    {
      ...nginx.env,
      DATABASE_URL: databaseUrl,
      PROMETHEUS_URL: prometheus.url,
      LOG_LEVEL: 'warn',
      JWT_SECRET_KEY: randomBytes(48).toString('base64url'),
      NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HOST: '127.0.0.1',
      PORT: '0',
    },
    90_000,
  );
  await checkpoint();
  const login = (await (
    await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })
  ).json()) as { token: string };
  const call = client(url, `Bearer ${login.token}`);
  await prometheus.waitForSample(`http_requests_total{version="${bad.version}"}`);

  log(`(a) ${ROLLBACKS} rollbacks of a bad version at 20 %, analysis every ${ANALYSIS_INTERVAL_SECONDS} s`);
  const rollback = await rollbacks(call, nginx, v1, bad);
  const load = () => `load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`;
  const loadA = load();

  log(`(b) ${COUNT} concurrent canary deployments, pauses of ${PAUSE_SECONDS} s`);
  const cost = await controllerCost(call, nginx, child.pid, databaseUrl, [v1, v2]);
  const loadB = load();

  const p99 = percentile(rollback, 0.99);
  console.log(`\n(a) failing measurement → traffic back on stable, seen by a client through nginx (${rollback.length} rollbacks; ${loadA})`);
  console.log(`${'n'.padStart(4)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}  limit p99 < ${LIMIT_MS} ms`);
  console.log(`${String(rollback.length).padStart(4)}  ${ms(percentile(rollback, 0.5))}  ${ms(p99)}  ${ms(Math.max(...rollback))}  ${p99 < LIMIT_MS ? 'within' : 'OVER'}`);
  console.log(`analysis interval used: ${ANALYSIS_INTERVAL_SECONDS} s, failure limit 0 (the first failing round aborts)`);
  console.log(
    `peer: Flagger acts after interval × failure threshold = ${PEER.intervalSeconds} s × ${PEER.failureLimit} = ${(PEER.intervalSeconds * PEER.failureLimit) / 60} min by default; Argo Rollouts after interval × (failureLimit + 1) of its AnalysisTemplate`,
  );

  const late = cost.late;
  const maxLate = Math.max(...late);
  console.log(`\n(b) ${COUNT} concurrent canary deployments on PostgreSQL (${cost.seconds.toFixed(0)} s; ${loadB})`);
  console.log(`outcomes: ${JSON.stringify(cost.states)}; steps run: ${cost.stepsRun}`);
  if (cost.figures) {
    console.log(
      `CPU per deployment step: NEXUS ${(cost.figures.server / 1000).toFixed(2)} ms, its PostgreSQL backends ${cost.postgresMs.toFixed(2)} ms; machine idle ${(cost.figures.idle * 100).toFixed(0)} %`,
    );
  }
  console.log(`NEXUS memory (RSS): ${cost.rssBefore.toFixed(0)} MiB before, ${cost.rssMax.toFixed(0)} MiB at most`);
  console.log(`step lateness: p50 ${ms(percentile(late, 0.5))} ms, p99 ${ms(percentile(late, 0.99))} ms, max ${ms(maxLate)} ms  limit max < ${LIMIT_MS} ms: ${maxLate < LIMIT_MS ? 'within' : 'OVER'}`);
  return 0;
}

process.exitCode = await main()
  .catch((error: unknown) => {
    console.error(error);
    return 1;
  })
  .finally(() => cleanup());
