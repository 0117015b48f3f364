/**
 * Retention benchmark (issue 18, point 7): NEXUS on PostgreSQL with
 * 1,000,000 resolved alerts older than the retention age. Alert ingestion
 * (Alertmanager webhooks, 10 alerts per request at 100 requests/s: 1,000
 * alerts/s, paced) is measured first without the prune, then while
 * `retention.prune` deletes the million rows — run for 5 s, paused for 5 s,
 * in turn, under one unbroken load, so the slots with and without the prune
 * share whatever else the machine is doing — and once more after it, in the
 * same run on the same database. Prints ingestion p50/p99 for each and the
 * prune's rows/s.
 *
 *   npm run bench -- retention
 *   npx tsx bench/retention/run.ts
 *
 * NEXUS serves in its own process; the prune runs in this one (the task a
 * schedule would start, with the default batch size and pause), on its own
 * connections to the same database. Reports; never asserts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Registry } from 'prom-client';
import { careTasks } from '../../src/maintenance/care/index.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ADMIN_URL } from '../../test/support/env.js';
import { AlertStream, webhookBody } from '../alerts/alert-pool.js';
import { paced, percentile } from '../alerts/load.js';
import { checkpoint, cleanup, onCleanup, startNexusChild } from '../alerts/processes.js';
import { benchLog } from '../support/lifecycle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
process.chdir(ROOT);
const log = benchLog('retention');

const OLD_ALERTS = Number(process.env.BENCH_RETENTION_ROWS ?? 1_000_000);
const SEED_CHUNK = 100_000;
const PER_PAYLOAD = 10;
const REQUESTS_PER_SECOND = 100;
const CONNECTIONS = 50;
const BASELINE_SECONDS = Number(process.env.BENCH_RETENTION_BASELINE_SECONDS ?? 30);
/** Load runs this long at most while the prune runs and pauses. */
const DURING_MAX_SECONDS = 600;
/** The prune runs this long, then pauses as long, in turn (see main). */
const SLOT_SECONDS = 5;
const WARMUP_SECONDS = Number(process.env.BENCH_RETENTION_WARMUP_SECONDS ?? 60);
const ADMIN_PASSWORD = `bench-admin-${randomBytes(12).toString('base64url')}`;
const JWT_SECRET_KEY = randomBytes(48).toString('base64url');

async function freshPostgres(): Promise<string> {
  // Named like test/support's databases, so a killed run's leftover is swept by the next test run.
  const name = `nexus_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  onCleanup('drop the benchmark database', async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
  });
  return ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}

async function post(url: string, body: unknown, auth?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Resolved alerts shaped like real ones (labels, annotations), resolved 40–100 days ago. */
async function seed(client: pg.Client, total: number): Promise<void> {
  for (let from = 0; from < total; from += SEED_CHUNK) {
    const to = Math.min(total, from + SEED_CHUNK) - 1;
    await client.query(
      `INSERT INTO alerts (fingerprint, source, status, labels, annotations, group_key, starts_at, ends_at, first_seen_at, last_seen_at, resolved_at, receive_count)
       SELECT md5('old-' || g), 'alertmanager', 'resolved',
              jsonb_build_object('alertname', 'HighErrorRate', 'cluster', 'bench-old', 'service', 'svc-' || (g % 500), 'instance', 'ip-10-' || (g % 250) || '-' || (g % 97) || ':9100', 'severity', 'warning'),
              jsonb_build_object('summary', 'HighErrorRate on svc-' || (g % 500), 'description', 'Error rate above 5% for more than 5 minutes.'),
              '{}:{alertname="HighErrorRate", service="svc-' || (g % 500) || '"}',
              t, t + interval '10 minutes', t, t + interval '10 minutes', t + interval '10 minutes', 3
         FROM generate_series($1::int, $2::int) g, LATERAL (SELECT now() - interval '100 days' + (g % 5000000) * interval '5 seconds' AS t) ts`,
      [from, to],
    );
    log(`seeded ${to + 1} old resolved alerts`);
    await checkpoint();
  }
  await client.query('VACUUM ANALYZE alerts');
  await client.query('CHECKPOINT');
}

/** Waits until a read answers within 100 ms twice in a row: the work of the last load is done. */
async function settle(url: string, authorization: string): Promise<void> {
  let quick = 0;
  const started = performance.now();
  while (quick < 2 && performance.now() - started < 60_000) {
    const asked = performance.now();
    await (await fetch(`${url}/api/v1/alerts?limit=1`, { headers: { authorization } })).arrayBuffer();
    quick = performance.now() - asked < 100 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sequential scans of the alerts table so far: ingestion should never need one, however large the table. */
async function alertScans(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT seq_scan::text AS n FROM pg_stat_user_tables WHERE relname = 'alerts'`);
  return Number(rows[0]?.n ?? 0);
}

interface Window {
  requests: number;
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

function summarise(latencies: number[], failed: number): Window {
  return { requests: latencies.length + failed, ok: latencies.length, failed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: percentile(latencies, 1) };
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-retention-'));
  onCleanup('remove the data directory', () => fs.rm(tmp, { recursive: true, force: true }));
  const databaseUrl = await freshPostgres();
  log('starting NEXUS on PostgreSQL (child process)');
  const { url } = await startNexusChild(
    'nexus',
    ROOT,
    { DATABASE_URL: databaseUrl, NEXUS_DATA_DIR: tmp, LOG_LEVEL: 'warn', JWT_SECRET_KEY, NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD, HOST: '127.0.0.1', PORT: '0' },
    90_000,
  );
  const seeder = new pg.Client({ connectionString: databaseUrl });
  await seeder.connect();
  onCleanup('close the seeding connection', () => seeder.end());
  const seedStarted = performance.now();
  await seed(seeder, OLD_ALERTS);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const [{ size }] = (await seeder.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('alerts')) AS size`)).rows as [{ size: string }];
  log(`${OLD_ALERTS} old alerts in ${seedSeconds.toFixed(0)} s; alerts table ${size}`);

  const login = await post(`${url}/api/v1/auth/login`, { username: 'admin', password: ADMIN_PASSWORD });
  const created = await post(`${url}/api/v1/tokens`, { name: 'bench-alertmanager', role: 'responder' }, `Bearer ${login.token as string}`);
  const headers = { authorization: `Bearer ${created.token as string}` };
  const receiver = `${url}/api/v1/alerts/alertmanager`;
  const stream = new AlertStream({ cluster: 'bench-live', groups: 50, perPayload: PER_PAYLOAD, newShare: 0.1 });
  const body = () => webhookBody(stream.batch());
  // Every group's first payload (and its incident) before anything is timed.
  for (let i = 0; i < 50; i += 1) await post(receiver, JSON.parse(body()), headers.authorization);

  // Unmeasured: the first seconds of a fresh process (JIT, prepared statements, the 50 incidents' paging) are not the steady state.
  log(`warm-up: ${WARMUP_SECONDS} s of the same load, then until NEXUS answers quickly again`);
  await paced({ url: receiver, headers, rate: REQUESTS_PER_SECOND, seconds: WARMUP_SECONDS, connections: CONNECTIONS, body, maxBacklogSeconds: 3 });
  await settle(url, headers.authorization);
  await checkpoint();
  const scansBefore = await alertScans(seeder);

  log(`ingestion without the prune: ${REQUESTS_PER_SECOND} requests/s × ${PER_PAYLOAD} alerts for ${BASELINE_SECONDS} s`);
  const baseline = await paced({ url: receiver, headers, rate: REQUESTS_PER_SECOND, seconds: BASELINE_SECONDS, connections: CONNECTIONS, body, maxBacklogSeconds: 3 });
  const scansBaseline = (await alertScans(seeder)) - scansBefore;
  await settle(url, headers.authorization);
  await checkpoint();

  // The prune, as a schedule would run it: the app's tasks with the default retention settings.
  const db = await openDatabase({ databaseUrl, poolSize: 2, logger: createLogger('silent') });
  onCleanup('close the prune database', () => db.close());
  // NEXUS_RETENTION_BATCH_SIZE and NEXUS_RETENTION_BATCH_PAUSE_MS try other settings; the defaults otherwise.
  const config = loadConfig(process.env).care;
  const prune = careTasks({
    db,
    registry: new Registry(),
    clock: () => new Date(),
    config,
    // The audit row is written as the app would write it (src/platform/audit/store.ts columns).
    audit: {
      record: async (entry) => {
        await db.query(`INSERT INTO audit_log (actor, action, outcome, details) VALUES ($1, $2, $3, $4)`, [entry.actor, entry.action, entry.outcome, JSON.stringify(entry.details ?? null)]);
        return undefined as never;
      },
    },
  }).find((t) => t.key === 'retention.prune')!;

  // Prune on for a slot, off for a slot, under one unbroken load, until it is done: on a shared machine the
  // load of others drifts by the minute, and alternating slots lets both sides see the same drift.
  log(`ingestion while retention.prune deletes ${OLD_ALERTS} rows (batch ${config.retention.batchSize}, pause ${config.retention.batchPauseMs} ms), on and off in ${SLOT_SECONDS} s slots`);
  const slots: Array<{ from: number; to: number; on: boolean }> = [];
  const latencies = { on: [] as number[], off: [] as number[] };
  const failures = { on: 0, off: 0 };
  const stopLoad = new AbortController();
  const load = paced({
    signal: stopLoad.signal,
    url: receiver,
    headers,
    rate: REQUESTS_PER_SECOND,
    seconds: DURING_MAX_SECONDS,
    connections: CONNECTIONS,
    body,
    maxBacklogSeconds: 3,
    onResponse: (_index, status, _text, due) => {
      const slot = slots.find((s) => due >= s.from && due < s.to);
      if (!slot) return;
      const side = slot.on ? 'on' : 'off';
      if (status >= 200 && status < 300) latencies[side].push(performance.now() - due);
      else failures[side] += 1;
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  let deleted = 0;
  let runs = 0;
  let done = false;
  while (!done) {
    const on = { from: performance.now(), to: Number.POSITIVE_INFINITY, on: true };
    slots.push(on);
    const slot = new AbortController();
    const timer = setTimeout(() => slot.abort(), SLOT_SECONDS * 1000);
    const ran = await prune.run({ signal: slot.signal, progress: () => {}, logger: createLogger('silent'), actor: 'scheduler' });
    clearTimeout(timer);
    on.to = performance.now();
    runs += 1;
    deleted += (ran.details as { deleted: Record<string, number> }).deleted.alerts ?? 0;
    done = ran.ok;
    const off = { from: performance.now(), to: performance.now() + SLOT_SECONDS * 1000, on: false };
    slots.push(off);
    await new Promise((resolve) => setTimeout(resolve, SLOT_SECONDS * 1000));
    await checkpoint();
  }
  stopLoad.abort();
  await load;
  const pruneSeconds = slots.filter((s) => s.on).reduce((sum, s) => sum + (s.to - s.from) / 1000, 0);
  log(`prune done: ${deleted} rows in ${pruneSeconds.toFixed(1)} s of prune time over ${runs} slots`);
  // The same load again once the prune is over: on a shared machine, this brackets how much the figures move anyway.
  await settle(url, headers.authorization);
  log(`ingestion after the prune: ${BASELINE_SECONDS} s`);
  const after = await paced({ url: receiver, headers, rate: REQUESTS_PER_SECOND, seconds: BASELINE_SECONDS, connections: CONNECTIONS, body, maxBacklogSeconds: 3 });
  const [{ left }] = (await seeder.query<{ left: string }>(`SELECT count(*)::text AS left FROM alerts WHERE labels->>'cluster' = 'bench-old'`)).rows as [{ left: string }];
  const [{ live }] = (await seeder.query<{ live: string }>(`SELECT count(*)::text AS live FROM alerts WHERE labels->>'cluster' = 'bench-live'`)).rows as [{ live: string }];

  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const row = (label: string, w: Window) => console.log(`| ${label} | ${w.requests} | ${w.failed} | ${ms(w.p50)} | ${ms(w.p99)} | ${ms(w.max)} |`);
  const offSeconds = slots.filter((s) => !s.on).length * SLOT_SECONDS;
  console.log(`\n## bench/retention — ${new Date().toISOString()}`);
  console.log(`PostgreSQL, ${OLD_ALERTS.toLocaleString('en')} old resolved alerts (alerts table ${size}); ingestion ${REQUESTS_PER_SECOND} req/s × ${PER_PAYLOAD} alerts, ${CONNECTIONS} connections; batch ${config.retention.batchSize}, pause ${config.retention.batchPauseMs} ms\n`);
  console.log('| ingestion | requests | failed | p50 | p99 | max |');
  console.log('|---|---|---|---|---|---|');
  row(`before, no prune (${BASELINE_SECONDS} s)`, { requests: baseline.ok + baseline.non2xx + baseline.errors, ok: baseline.ok, failed: baseline.non2xx + baseline.errors, p50: baseline.p50, p99: baseline.p99, max: baseline.max });
  row(`prune running (${pruneSeconds.toFixed(1)} s in ${runs} slots)`, summarise(latencies.on, failures.on));
  row(`prune paused, between those slots (${offSeconds} s)`, summarise(latencies.off, failures.off));
  row(`after the prune (${BASELINE_SECONDS} s)`, { requests: after.ok + after.non2xx + after.errors, ok: after.ok, failed: after.non2xx + after.errors, p50: after.p50, p99: after.p99, max: after.max });
  console.log(`\nsequential scans of alerts during the baseline window: ${scansBaseline}`);
  console.log(`prune: ${deleted} alerts in ${pruneSeconds.toFixed(1)} s of prune time = ${Math.round(deleted / pruneSeconds)} rows/s; old alerts left ${left}; live alerts kept ${live}`);
}

try {
  await main();
} finally {
  await cleanup();
}
