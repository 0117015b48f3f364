/**
 * Start-up benchmark (issue 15, "Benchmark"): time from `./bin/nexus serve`
 * to a 200 from GET /health in embedded mode (PGlite, no servers), on a new
 * data directory and on a restart of the same one, median of 5; beside the
 * floor (plain Node opening PGlite and a bare Fastify answering /health) in
 * the same run. Where NEXUS's time goes comes from its own `startup` log
 * line (src/platform/startup.ts): one duration per phase.
 *
 *   npm run bench -- start
 *   npx tsx bench/start/run.ts [--iterations 5] [--baseline <checkout>]
 *
 * --baseline measures another checkout's `./bin/nexus serve` too (e.g. the
 * commit before a change, unpacked with `git archive`), alternating with
 * this one, so before and after share the machine's state.
 *
 * Reports; never asserts: it exits 0 whether or not the targets are met, and
 * non-zero only when the measurement itself is broken.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchLog, checkpoint, cleanup, isInterrupted, onCleanup } from '../support/lifecycle.js';
import { nexusNodeFlags } from '../support/node-flags.js';
import { cleanEnv, freePort } from '../support/processes.js';
import { FLOOR_PROGRAM } from './floor.js';
import { timeStart, type StartCommand, type StartSample } from './measure.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const log = benchLog('start');
const TARGETS = { first: 6000, restart: 2000 };

const { values: options } = parseArgs({
  options: { iterations: { type: 'string', default: '5' }, baseline: { type: 'string' } },
});
const ITERATIONS = Number(options.iterations);
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 1) throw new Error(`--iterations must be a positive integer, got ${options.iterations}`);

type Kind = 'first' | 'restart';

interface Subject {
  label: string;
  /** How to start it on `dataDir`, answering on `port`. */
  command(dataDir: string, port: number): Promise<StartCommand>;
  samples: Record<Kind, StartSample[]>;
}

function nexus(label: string, checkout: string): Subject {
  return {
    label,
    samples: { first: [], restart: [] },
    // As an operator starts it: bin/nexus with the Node flags on its own first line.
    command: async (dataDir, port) => ({
      command: path.join(checkout, 'bin/nexus'),
      args: ['serve'],
      cwd: checkout,
      port,
      env: cleanEnv({ NEXUS_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' }),
    }),
  };
}

const floor: Subject = {
  label: 'floor: node + PGlite + bare Fastify',
  samples: { first: [], restart: [] },
  command: async (dataDir, port) => {
    const pgdata = path.join(dataDir, 'pgdata');
    await fs.mkdir(pgdata, { recursive: true, mode: 0o700 });
    return {
      command: process.execPath,
      args: [...nexusNodeFlags(ROOT), '--input-type=module', '-e', FLOOR_PROGRAM],
      cwd: ROOT,
      port,
      env: cleanEnv({ FLOOR_PGDATA: pgdata, PORT: String(port) }),
    };
  },
};

/** A new data directory, started twice: the first start (initdb, migrations, first-start defaults), then a restart. */
async function measurePair(subject: Subject, iteration: number): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-bench-start-'));
  onCleanup('remove a data directory', () => fs.rm(dataDir, { recursive: true, force: true }));
  for (const kind of ['first', 'restart'] as const) {
    await checkpoint();
    const sample = await timeStart(await subject.command(dataDir, await freePort()));
    subject.samples[kind].push(sample);
    log(`${iteration}/${ITERATIONS} ${subject.label}, ${kind}: ${sample.ms.toFixed(0)} ms`);
  }
}

// --- the table -------------------------------------------------------------------

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-').padStart(8);
const LABEL = 44;

function spread(values: number[]): string {
  return `${ms(median(values))}${ms(Math.min(...values))}${ms(Math.max(...values))}`;
}

/** Each phase's median over the starts that reported it; medians of parts need not add up to the median of the whole. */
function phaseRows(subject: Subject): string[] {
  const names: string[] = [];
  for (const kind of ['first', 'restart'] as const) {
    for (const sample of subject.samples[kind]) for (const name of Object.keys(sample.account?.phases ?? {})) if (!names.includes(name)) names.push(name);
  }
  const column = (kind: Kind, pick: (sample: StartSample) => number | undefined) => {
    const values = subject.samples[kind].map(pick).filter((v): v is number => v !== undefined);
    return values.length ? spread(values) : ''.padStart(24);
  };
  const rows = names.map((name) => `${`    ${name}`.padEnd(LABEL)}${column('first', (s) => s.account?.phases[name])}    ${column('restart', (s) => s.account?.phases[name])}`);
  const outside = (s: StartSample) => (s.account ? s.ms - s.account.totalMs : undefined);
  rows.push(`${'    (outside: spawn, exec, /health poll)'.padEnd(LABEL)}${column('first', outside)}    ${column('restart', outside)}`);
  return rows;
}

function verdict(value: number, target: number): string {
  return value < target ? 'PASS' : 'BELOW TARGET';
}

const load = () => os.loadavg()[0]!.toFixed(1);
const loadAtStart = load();

function report(subjects: Subject[], nexusSubject: Subject): void {
  const lines = [
    '',
    `Machine: ${os.cpus().length} CPUs; 1-minute load average ${loadAtStart} at start, ${load()} at the end. ` +
      `${ITERATIONS} iteration(s): each subject on a new data directory, then restarted on it; subjects alternate.`,
    'Spawn → first 200 from GET /health (polled every 10 ms); phases from the server\'s own `startup` line.',
    '',
    `${''.padEnd(LABEL)}${'first start (new data dir)'.padEnd(28)}${'restart'}`,
    `${''.padEnd(LABEL)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}    ${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`,
  ];
  for (const subject of subjects) {
    lines.push(`${subject.label.padEnd(LABEL)}${spread(subject.samples.first.map((s) => s.ms))}    ${spread(subject.samples.restart.map((s) => s.ms))}`);
    lines.push(...phaseRows(subject));
  }
  const first = median(nexusSubject.samples.first.map((s) => s.ms));
  const restart = median(nexusSubject.samples.restart.map((s) => s.ms));
  const floorFirst = median(floor.samples.first.map((s) => s.ms));
  const floorRestart = median(floor.samples.restart.map((s) => s.ms));
  lines.push(
    `${'NEXUS above the floor (medians)'.padEnd(LABEL)}${ms(first - floorFirst)}${''.padEnd(16)}    ${ms(restart - floorRestart)}`,
    `${'target'.padEnd(LABEL)}${`< ${TARGETS.first}`.padStart(8)}${''.padEnd(16)}    ${`< ${TARGETS.restart}`.padStart(8)}`,
    `${'result (NEXUS median)'.padEnd(LABEL)}${verdict(first, TARGETS.first).padStart(8)}${''.padEnd(16)}    ${verdict(restart, TARGETS.restart).padStart(8)}`,
  );
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  const current = nexus('NEXUS: ./bin/nexus serve', ROOT);
  const subjects = [current, floor];
  if (options.baseline) subjects.unshift(nexus(`baseline: ${path.basename(path.resolve(options.baseline))}`, path.resolve(options.baseline)));
  for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
    for (const subject of subjects) await measurePair(subject, iteration);
  }
  report(subjects, current);
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  if (!isInterrupted()) console.error(`bench/start failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await checkpoint();
  await cleanup();
}
process.exit(code);
