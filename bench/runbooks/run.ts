/**
 * Runbook benchmark (issue 3, "Benchmark"): dispatch latency (step requested
 * → its process running) and output latency (bytes written by the command →
 * delivered to an SSE client), p50/p99 over 500 steps, for the local runner
 * and for one remote runner (`./bin/nexus runner`); import + lint of a
 * 5,000-line runbook; and `/health` latency while the server lints 500 KB
 * of pathological Markdown (in its worker thread, issue 14). NEXUS runs in
 * a child process on a fresh PostgreSQL database; the measuring client is
 * the CLI's own NexusClient.
 *
 *   npm run bench -- runbooks
 *   npx tsx bench/runbooks/run.ts
 *
 * Reports; never asserts: it exits 0 whether or not the targets are met,
 * and non-zero only when the measurement itself is broken.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NexusClient } from '../../src/cli/client.js';
import { checkpoint, cleanup, isInterrupted, log, onCleanup, startAgentChild, startServerChild } from './children.js';
import { measureHealthDuringLint, type HealthDuringLint } from './health-during-lint.js';
import { bigRunbook, measureImportLint, type ImportLintResult } from './import-lint.js';
import { latencyRunbook, measureRunner, percentile, type RunnerResult } from './latency.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// test/support resolves its template paths against the working directory.
process.chdir(ROOT);

const STEPS = 500;
const WARMUP = 20;
const RUNBOOK_LINES = 5000;
const TARGETS = { dispatchLocal: 50, dispatchRemote: 250, output: 100, importLint: 1000, healthDuringLint: 50 };
const REMOTE_LABEL = 'bench-remote';
const REMOTE_READY_MS = 30_000;

const ADMIN_PASSWORD = `bench-admin-${randomBytes(12).toString('base64url')}`;
const JWT_SECRET_KEY = randomBytes(48).toString('base64url');

async function freshDatabases(): Promise<{ nexus: string; lintTarget: string }> {
  log('preparing the migrated PostgreSQL template (vitest global setup)');
  const { default: globalSetup } = await import('../../test/support/global-setup.js');
  onCleanup('drop the template database', await globalSetup());
  const { createPostgresDatabase } = await import('../../test/support/db.js');
  const database = await createPostgresDatabase();
  onCleanup('drop the benchmark database', database.drop);
  // Lint checks SQL against a database of its own (NEXUS_LINT_SQL_URL), never NEXUS's.
  const lintTarget = await createPostgresDatabase();
  onCleanup('drop the lint target database', lintTarget.drop);
  return { nexus: database.url, lintTarget: lintTarget.url };
}

async function startNexus(databaseUrl: string, lintSqlUrl: string): Promise<{ client: NexusClient; token: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-runbooks-'));
  onCleanup('remove the data directory', () => fs.rm(dataDir, { recursive: true, force: true }));
  log('starting NEXUS (child process)');
  const url = await startServerChild(ROOT, 'bench/http/nexus-server.ts', {
    DATABASE_URL: databaseUrl,
    NEXUS_LINT_SQL_URL: lintSqlUrl,
    LOG_LEVEL: 'warn',
    JWT_SECRET_KEY,
    NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    NEXUS_DATA_DIR: dataDir,
    // The latency runbook pins its commands to runner=local or runner=bench-remote.
    NEXUS_LOCAL_RUNNER_LABELS: 'runner=local',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const anonymous = new NexusClient(url, undefined);
  const { token } = await anonymous.login({ username: 'admin', password: ADMIN_PASSWORD });
  return { client: anonymous.withToken(token), token };
}

type RemoteOutcome = { result: RunnerResult } | { unavailable: string };

/** One `nexus runner` agent; if it never serves a step, the remote rows say why instead of showing numbers. */
async function measureRemote(client: NexusClient, slug: string, procedure: string): Promise<RemoteOutcome> {
  // Enrolled as an admin enrols any runner: a one-time token, labels assigned by NEXUS.
  const { enrolmentToken } = await client.createEnrolment({ name: REMOTE_LABEL, labels: { runner: REMOTE_LABEL }, expiresInMinutes: 10 });
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-agent-'));
  onCleanup('remove the runner work directory', () => fs.rm(workDir, { recursive: true, force: true }));
  log('starting the remote runner (./bin/nexus runner, child process)');
  const agent = startAgentChild(
    ROOT,
    ['--url', client.baseUrl, '--enrolment-token', enrolmentToken, '--credential-file', path.join(workDir, 'credential'), '--concurrency', '1'],
    workDir,
  );
  const deadline = Date.now() + REMOTE_READY_MS;
  while (!/serving labels/.test(agent.log())) {
    if (agent.exited() || Date.now() > deadline) {
      const last = agent.log().trim().split('\n').at(-1) ?? 'no output';
      return { unavailable: `the runner did not start serving (${agent.exited() ? 'it exited' : 'timeout'}): ${last}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`remote runner: ${WARMUP} warm-up + ${STEPS} measured steps`);
  try {
    return { result: await measureRunner(client, slug, procedure, WARMUP) };
  } catch (error) {
    return { unavailable: `measurement failed: ${(error as Error).message}; runner log: ${agent.log().trim().split('\n').at(-1) ?? ''}` };
  }
}

// --- the table -------------------------------------------------------------------

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, width: number) => (Number.isFinite(value) ? value.toFixed(1) : '-').padStart(width);
const verdict = (value: number, target: number) => (value < target ? 'PASS' : 'BELOW TARGET');

function latencyRows(name: string, outcome: RemoteOutcome, dispatchTarget: number): string[] {
  if ('unavailable' in outcome) return [`${pad(`${name}: not available`, 46)}${outcome.unavailable}`];
  const s = outcome.result.samples;
  const row = (label: string, values: number[], target: number | null) => {
    const p99 = percentile(values, 0.99);
    const goal = target === null ? 'info' : `p99 < ${target}`;
    const result = target === null ? '' : verdict(p99, target);
    return `${pad(`${name}: ${label}`, 46)}${num(percentile(values, 0.5), 9)}${num(p99, 9)}${num(percentile(values, 1), 9)}${String(values.length).padStart(6)}  ${pad(goal, 12)}${result}`;
  };
  return [
    row('dispatch (request → process)', s.map((x) => x.dispatchMs), dispatchTarget),
    row('output (write → SSE client)', s.map((x) => x.outputMs), TARGETS.output),
    row('  of which request → queued event', s.map((x) => x.queuedEventMs), null),
    row('  queued → running event (lease)', s.map((x) => x.leaseMs), null),
    row('  running event → process (spawn)', s.map((x) => x.spawnMs), null),
  ];
}

function importLintRows(result: ImportLintResult): string[] {
  const rows = result.timings.map(
    (t) => `${pad(`  ${t.label}`, 62)}${num(t.firstMs, 10)}${num(t.medianMs, 10)}${t.counted ? '' : '  (info)'}`,
  );
  const counted = result.timings.filter((t) => t.counted);
  const first = counted.reduce((sum, t) => sum + t.firstMs, 0);
  const median = counted.reduce((sum, t) => sum + t.medianMs, 0);
  return [
    `Import + lint: ${result.lines} lines (${(result.bytes / 1024).toFixed(0)} KiB), ${result.procedures} procedures, ${result.commands} commands, ${result.findings} lint findings`,
    `${pad('', 62)}${'first ms'.padStart(10)}${'median ms'.padStart(10)}`,
    ...rows,
    `${pad('  import + lint', 62)}${num(first, 10)}${num(median, 10)}  target < ${TARGETS.importLint} ms: first ${verdict(first, TARGETS.importLint)}, median ${verdict(median, TARGETS.importLint)}`,
  ];
}

/** The 1-minute load average: on a shared machine, latencies mean little without it. */
const load = () => os.loadavg()[0]!.toFixed(1);
const loadAtStart = load();

function healthRows(result: HealthDuringLint): string[] {
  const s = result.samples;
  const p99 = percentile(s, 0.99);
  return [
    `/health during a lint of ${(result.bytes / 1024).toFixed(0)} KiB of pathological Markdown (lint answered ${result.lintStatus} after ${result.lintMs.toFixed(0)} ms)`,
    `${pad('  GET /health, one after another', 46)}${num(percentile(s, 0.5), 9)}${num(p99, 9)}${num(percentile(s, 1), 9)}${String(s.length).padStart(6)}  ${pad(`p99 < ${TARGETS.healthDuringLint}`, 12)}${s.length ? verdict(p99, TARGETS.healthDuringLint) : 'NO SAMPLES'}`,
  ];
}

function report(local: RunnerResult, remote: RemoteOutcome, importLint: ImportLintResult, health: HealthDuringLint): boolean {
  const lines = [
    '',
    `Machine: ${os.cpus().length} CPUs; 1-minute load average ${loadAtStart} at start, ${load()} at the end ` +
      '(NEXUS, PostgreSQL, the runner and this client share them).',
    `Runbook benchmark: NEXUS in a child process on a fresh PostgreSQL database (no Redis); steps one at a time, ` +
      `${STEPS} measured after ${WARMUP} warm-up, per runner`,
    'dispatch = the command\'s own `date +%s%N` (the first thing it runs) − wall clock just before POST …/steps/:cmd/run;',
    'output = arrival of that chunk at the bench\'s SSE client (NexusClient.openEvents) − the same timestamp; one machine clock.',
    'The "of which" rows split dispatch by the run.step events\' `at` (server clock, ms resolution); p50s need not add up.',
    '',
    `${pad('measure', 46)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'n'.padStart(6)}  ${pad('target', 12)}result`,
    ...latencyRows('local', { result: local }, TARGETS.dispatchLocal),
    ...latencyRows('remote', remote, TARGETS.dispatchRemote),
    '',
    ...importLintRows(importLint),
    '',
    `${pad('', 46)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'n'.padStart(6)}`,
    ...healthRows(health),
  ];
  console.log(lines.join('\n'));
  const all = [local, ...('result' in remote ? [remote.result] : [])];
  return all.every((r) => r.samples.length === STEPS);
}

async function main(): Promise<number> {
  const databases = await freshDatabases();
  const { client, token } = await startNexus(databases.nexus, databases.lintTarget);
  await checkpoint();
  const slug = `bench-latency-${Date.now().toString(36)}`;
  await client.importRunbook({
    slug,
    source: latencyRunbook(
      [
        { title: 'Local', runnerLabel: 'local' },
        { title: 'Remote', runnerLabel: REMOTE_LABEL },
      ],
      STEPS + WARMUP,
    ),
  });
  log(`local runner: ${WARMUP} warm-up + ${STEPS} measured steps`);
  const local = await measureRunner(client, slug, 'local', WARMUP);
  await checkpoint();
  const remote = await measureRemote(client, slug, 'remote');
  await checkpoint();
  log(`import + lint of a ${RUNBOOK_LINES}-line runbook`);
  const seed = await fs.readFile(path.join(ROOT, 'test/fixtures/runbooks/seed-nexus-runbooks.md'), 'utf8');
  const importLint = await measureImportLint(client, bigRunbook(seed, RUNBOOK_LINES), databases.lintTarget);
  await checkpoint();
  log('/health while a pathological runbook is linted');
  const health = await measureHealthDuringLint(client.baseUrl, token);
  return report(local, remote, importLint, health) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  if (!isInterrupted()) console.error(`bench/runbooks failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await checkpoint();
  await cleanup();
}
process.exit(code);
