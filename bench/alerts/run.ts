/**
 * Alerts benchmark (issue 4): Alertmanager webhook payloads of 1 and of 100
 * alerts into NEXUS on PostgreSQL and on PGlite, beside a real Alertmanager's
 * own `POST /api/v2/alerts` ingestion (in memory only) in the same run; a
 * fixed 1,000 alerts/s on PostgreSQL; and alert received → first notification
 * delivered. Every server runs in its own child process and is measured
 * alone (the others idle); the load comes from this one. After each engine,
 * NEXUS is killed with SIGKILL and the storage is asked whether every
 * acknowledged alert is there.
 *
 *   npm run bench -- alerts
 *   npx tsx bench/alerts/run.ts
 *
 * Reports; never asserts: it exits 0 whether or not the targets are met, and
 * non-zero only when the measurement itself is broken.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ADMIN_URL } from '../../test/support/env.js';
import { AlertStream, postableAlerts, webhookBody, type Batch } from './alert-pool.js';
import { alertmanagerVersion, startAlertmanager } from './alertmanager.js';
import { countCommitted } from './committed.js';
import { startCpuWindow } from './cpu.js';
import { paced, prime, saturate, type LoadResult } from './load.js';
import { measurePaging } from './paging.js';
import { checkpoint, cleanup, isInterrupted, log, onCleanup, startListening, startNexusChild, type Child } from './processes.js';
import { report, type Engine, type EngineResult, type Ledger, type PeerResult, type Row } from './report.js';
import { FIXED, FIXED_CONNECTIONS, FIXED_MAX_BACKLOG_SECONDS, NEW_SHARE, PAGING, SECONDS, SHAPES, WARMUP_SECONDS, type Shape } from './settings.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
process.chdir(ROOT);

const START_TIMEOUT_MS = 90_000;
/** NEXUS counts as idle once a database read answers this fast twice in a row. */
const IDLE_ANSWER_MS = 100;
const SETTLE_LIMIT_MS = 60_000;

const ADMIN_PASSWORD = `bench-admin-${randomBytes(12).toString('base64url')}`;
const JWT_SECRET_KEY = randomBytes(48).toString('base64url');

function book(ledger: Map<string, Ledger>, cluster: string, acknowledged: number, unanswered: number): void {
  const entry = ledger.get(cluster) ?? { acknowledged: 0, unanswered: 0 };
  entry.acknowledged += acknowledged;
  entry.unanswered += unanswered;
  ledger.set(cluster, entry);
}

/** Requests in flight when a load stopped, or answered non-2xx or not at all, may still have committed. */
function bookLoad(ledger: Map<string, Ledger>, cluster: string, load: LoadResult, perPayload: number, inFlight: number): void {
  book(ledger, cluster, load.ok * perPayload, (load.non2xx + load.errors + inFlight) * perPayload);
}

// --- NEXUS ----------------------------------------------------------------------

async function freshPostgres(): Promise<string> {
  // Named like test/support's databases, so a killed run's leftover is swept by the next test run.
  const name = `nexus_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  onCleanup('drop the benchmark database', async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await c.end();
    }
  });
  return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

async function post(url: string, body: unknown, auth?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * autocannon hangs up when its time is over, but NEXUS keeps working through
 * the requests it already has; the next case must not pay for them. Returns
 * the seconds NEXUS was still busy.
 */
async function settle(url: string, auth: string): Promise<number> {
  const start = performance.now();
  let quick = 0;
  while (quick < 2 && performance.now() - start < SETTLE_LIMIT_MS) {
    const asked = performance.now();
    const res = await fetch(`${url}/api/v1/alerts?limit=1`, { headers: { authorization: auth } });
    await res.arrayBuffer();
    quick = performance.now() - asked < IDLE_ANSWER_MS ? quick + 1 : 0;
    if (quick < 2) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (performance.now() - start) / 1000;
}

/** A server that a throughput case loads. */
interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: (batch: Batch) => string;
  settle: () => Promise<number>;
  /** Its process, for CPU time from /proc. */
  pid: number | undefined;
  /** Whether it works through the machine's PostgreSQL (whose CPU time then counts too). */
  usesPostgres: boolean;
}

const plural = (n: number) => `${n} alert${n > 1 ? 's' : ''}/request`;

/**
 * One throughput case: every group's first payload (untimed, so each group
 * exists and has its incident before timing starts), a warm-up, then the
 * measured run, all from one alert stream.
 */
async function throughputCase(
  target: Target,
  shape: Shape,
  ledger: Map<string, Ledger> | null,
): Promise<Row> {
  const cluster = `bench-${shape.id}`;
  const stream = new AlertStream({ cluster, groups: shape.groups, perPayload: shape.perPayload, newShare: NEW_SHARE });
  const body = () => target.body(stream.batch());
  log(`${target.name}: ${plural(shape.perPayload)}: first payload of each of ${shape.groups} groups, then ${WARMUP_SECONDS} s warm-up and ${SECONDS} s at ${shape.connections} connections`);
  const primed = await prime(target.url, target.headers, shape.groups, shape.connections, body);
  if (ledger) book(ledger, cluster, primed * shape.perPayload, (shape.groups - primed) * shape.perPayload);
  await target.settle();
  await checkpoint();
  const warm = await saturate({ url: target.url, headers: target.headers, connections: shape.connections, seconds: WARMUP_SECONDS, body });
  if (ledger) bookLoad(ledger, cluster, warm, shape.perPayload, shape.connections);
  await target.settle();
  await checkpoint();
  const cpu = startCpuWindow(target.pid, target.usesPostgres);
  const load = await saturate({ url: target.url, headers: target.headers, connections: shape.connections, seconds: SECONDS, body });
  const cpuPerAlert = cpu?.stop(load.ok * shape.perPayload) ?? null;
  if (ledger) bookLoad(ledger, cluster, load, shape.perPayload, shape.connections);
  const busyAfter = await target.settle();
  await checkpoint();
  return { label: plural(shape.perPayload), server: target.name, perPayload: shape.perPayload, connections: shape.connections, load, busyAfter, cpu: cpuPerAlert };
}

/** The peer and the Node floor, each measured on a shape right after NEXUS on PostgreSQL (see `main`). */
type Alongside = (shape: Shape) => Promise<void>;

async function runNexus(engine: Engine, tmpRoot: string, alongside?: Alongside): Promise<EngineResult> {
  const dataDir = await fs.mkdtemp(path.join(tmpRoot, `nexus-${engine.toLowerCase()}-`));
  const databaseUrl = engine === 'PostgreSQL' ? await freshPostgres() : undefined;
  await checkpoint();
  log(`${engine}: starting NEXUS (child process)`);
  const { url, child } = await startNexusChild(
    `nexus ${engine}`,
    ROOT,
    {
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      NEXUS_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      JWT_SECRET_KEY,
      NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HOST: '127.0.0.1',
      PORT: '0',
    },
    START_TIMEOUT_MS,
  );
  await checkpoint();

  const login = await post(`${url}/api/v1/auth/login`, { username: 'admin', password: ADMIN_PASSWORD });
  const adminAuth = `Bearer ${login.token as string}`;
  // One token per sender, as the receiver's documentation asks (src/alerts/routes.ts).
  const created = await post(`${url}/api/v1/tokens`, { name: 'bench-alertmanager', role: 'responder' }, adminAuth);
  const receiverAuth = `Bearer ${created.token as string}`;
  const receiverUrl = `${url}/api/v1/alerts/alertmanager`;

  // The measured answers must be the real thing, not 401s: one alert, acknowledged and paged.
  const probe = new AlertStream({ cluster: 'bench-probe', groups: 1, perPayload: 1, newShare: 0 });
  const answer = await post(receiverUrl, JSON.parse(webhookBody(probe.batch())), receiverAuth);
  if (answer.received !== 1 || (answer.incidents as unknown[]).length !== 1) throw new Error(`probe alert answered ${JSON.stringify(answer)}`);
  const ledger = new Map<string, Ledger>([['bench-probe', { acknowledged: 1, unanswered: 0 }]]);

  const target: Target = {
    name: engine,
    url: receiverUrl,
    headers: { authorization: receiverAuth },
    body: webhookBody,
    settle: () => settle(url, receiverAuth),
    pid: child.pid,
    usesPostgres: engine === 'PostgreSQL',
  };
  const rows: EngineResult['rows'] = [];
  for (const shape of SHAPES) {
    rows.push({ shape, row: await throughputCase(target, shape, ledger) });
    await alongside?.(shape);
  }

  const fixed: Row[] = [];
  if (engine === 'PostgreSQL') {
    for (const variant of FIXED) {
      const cluster = `bench-rate-${variant.id}`;
      log(`${engine}: fixed ${variant.requestsPerSecond} requests/s of ${plural(variant.perPayload)} for ${SECONDS} s (after each group's first payload)`);
      const stream = new AlertStream({ cluster, groups: variant.groups, perPayload: variant.perPayload, newShare: NEW_SHARE });
      const body = () => webhookBody(stream.batch());
      const primed = await prime(receiverUrl, target.headers, variant.groups, 10, body);
      book(ledger, cluster, primed * variant.perPayload, (variant.groups - primed) * variant.perPayload);
      await target.settle();
      await checkpoint();
      const load = await paced({
        url: receiverUrl,
        headers: target.headers,
        rate: variant.requestsPerSecond,
        seconds: SECONDS,
        connections: FIXED_CONNECTIONS,
        maxBacklogSeconds: FIXED_MAX_BACKLOG_SECONDS,
        body,
      });
      bookLoad(ledger, cluster, load, variant.perPayload, 0);
      fixed.push({ label: `fixed ${variant.requestsPerSecond} req/s × ${variant.perPayload}`, server: engine, perPayload: variant.perPayload, connections: FIXED_CONNECTIONS, load, busyAfter: await target.settle() });
      await checkpoint();
    }
  }

  log(`${engine}: alert → first notification, ${PAGING.rate} new incidents/s for ${PAGING.seconds} s`);
  const paging = await measurePaging({ url, adminAuth, receiverAuth, cluster: 'bench-paging', rate: PAGING.rate, seconds: PAGING.seconds });
  await checkpoint();
  bookLoad(ledger, 'bench-paging', paging.load, 1, 0);

  log(`${engine}: SIGKILL NEXUS, then count what the storage holds`);
  await child.kill();
  const committed = await countCommitted(databaseUrl ? { databaseUrl } : { dataDir });
  await fs.rm(dataDir, { recursive: true, force: true });
  return { engine, rows, fixed, paging, ledger, committed, hiddenLines: child.hiddenLines() };
}

// --- the Node floor and the peer ---------------------------------------------------

interface Comparison {
  /** Measures one shape; the row is kept for the report. */
  measure(shape: Shape): Promise<void>;
  rows: Map<Shape['id'], Row>;
  stop(): Promise<void>;
}

function comparison(name: string, url: string, body: (batch: Batch) => string, child: Child): Comparison {
  // Neither keeps a backlog to wait for: the floor stores nothing, Alertmanager answers once the alerts are in memory.
  const target: Target = { name, url, headers: {}, body, settle: async () => 0, pid: child.pid, usesPostgres: false };
  const stop = () => child.stop();
  const rows = new Map<Shape['id'], Row>();
  return { rows, stop, measure: async (shape) => void rows.set(shape.id, await throughputCase(target, shape, null)) };
}

/** Bare Fastify parsing the same bodies and storing nothing: the most a Node server answers here. */
async function startFloor(): Promise<Comparison> {
  log('Node floor: starting bare Fastify (child process)');
  const { url, child } = await startListening('node floor', 'bench/alerts/floor-server.ts', ROOT, { NODE_ENV: 'production' }, START_TIMEOUT_MS);
  return comparison('bare Fastify', `${url}/`, webhookBody, child);
}

async function startPeer(tmpRoot: string): Promise<{ version: string; comparison: Comparison } | string> {
  const version = await alertmanagerVersion();
  if (!version) return 'prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)';
  log(`Alertmanager ${version}: starting (child process)`);
  try {
    const { url, child } = await startAlertmanager(tmpRoot);
    return { version, comparison: comparison('Alertmanager', `${url}/api/v2/alerts`, postableAlerts, child) };
  } catch (error) {
    return `Alertmanager did not start: ${(error as Error).message}`;
  }
}

/**
 * Each shape is measured on NEXUS (PostgreSQL), then on Alertmanager, then on
 * the Node floor, one right after the other: this machine's speed drifts over
 * minutes (other tenants), and the ratio should not depend on it. All three
 * stay up; the idle ones wait. PGlite comes after (info only).
 */
async function main(): Promise<number> {
  const tmpRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-alerts-'));
  onCleanup('remove the temporary directory', () => fs.rm(tmpRoot, { recursive: true, force: true }));
  const peer = await startPeer(tmpRoot);
  await checkpoint();
  const floor = await startFloor();
  await checkpoint();
  const compared = [...(typeof peer === 'string' ? [] : [peer.comparison]), floor];
  const alongside: Alongside = async (shape) => {
    for (const other of compared) {
      await other.measure(shape);
      await checkpoint();
    }
  };
  const engines: EngineResult[] = [await runNexus('PostgreSQL', tmpRoot, alongside)];
  await checkpoint();
  for (const other of compared) await other.stop();
  engines.push(await runNexus('PGlite', tmpRoot));
  await checkpoint();
  const peerResult: PeerResult | string = typeof peer === 'string' ? peer : { version: peer.version, rows: peer.comparison.rows };
  return report(engines, peerResult, floor.rows) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  if (!isInterrupted()) console.error(`bench/alerts failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await checkpoint();
  await cleanup();
}
process.exit(code);
