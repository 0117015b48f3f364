import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/platform/db/index.js';
import { createJobQueue, type Job, type JobQueue } from '../src/platform/jobs/index.js';
import { createLogger } from '../src/platform/logger.js';
import { CRASH_QUEUE_POLICY, type CrashWorkerConfig } from './fixtures/jobs-crash-config.js';
import { createPostgresDatabase } from './support/db.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/jobs-crash-worker.ts', import.meta.url));
const QUEUE = 'crash.step';
const logger = createLogger('silent');
const QUEUE_OPTIONS = { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 };

type WorkerEvent = { event: string; id?: string; retryCount?: number };

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The fixture worker in its own process, with its stdout events collected. */
function startWorker(config: CrashWorkerConfig) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => events.push(JSON.parse(line) as WorkerEvent));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const until = async (name: string): Promise<WorkerEvent> => {
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`worker exited early (${child.exitCode}): ${stderr}`);
      return events.some((e) => e.event === name);
    }, `the worker to report "${name}"`);
    return events.find((e) => e.event === name)!;
  };
  const kill = async () => {
    child.kill('SIGKILL');
    return exited;
  };
  return { child, until, kill };
}

/** Works the queue in this process and answers the first job it is given. */
async function takeOver(queue: JobQueue): Promise<Job<unknown>> {
  let resolve!: (job: Job<unknown>) => void;
  const taken = new Promise<Job<unknown>>((r) => (resolve = r));
  await queue.work(QUEUE, async (job) => {
    resolve(job);
    return { finishedBy: 'survivor' };
  });
  return taken;
}

// Each case starts child processes that load TypeScript and open a database: deadlines sized for a loaded machine.
describe('a worker killed mid-job', { timeout: 180_000 }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let running: ChildProcess | undefined;

  afterEach(async () => {
    if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  it('on PostgreSQL leaves a job that is retried after its lease and completes, never lost', async () => {
    const { url, drop } = await createPostgresDatabase();
    cleanups.push(drop);
    const db: Database = await openDatabase({ databaseUrl: url, logger });
    cleanups.push(() => db.close());
    const queue = createJobQueue(db, logger, QUEUE_OPTIONS);
    await queue.start();
    cleanups.push(() => queue.stop());
    await queue.define(QUEUE, CRASH_QUEUE_POLICY);
    const id = (await queue.send(QUEUE, { step: 'restart nginx' }))!;

    const worker = startWorker({ queue: QUEUE, databaseUrl: url });
    running = worker.child;
    const started = await worker.until('started');
    expect(started).toMatchObject({ id, retryCount: 0 });
    expect(await worker.kill()).toBe('SIGKILL');
    expect(['active', 'retry']).toContain((await queue.getJob(QUEUE, id))?.state);

    const job = await takeOver(queue);
    expect(job.id).toBe(id);
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await queue.getJob(QUEUE, id))?.state === 'completed', 'the retried job to complete');
    expect((await queue.getJob(QUEUE, id))?.output).toEqual({ finishedBy: 'survivor' });
  });

  it('on PGlite leaves a job in the data directory that is retried after reopening and completes', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-jobs-crash-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));

    const worker = startWorker({ queue: QUEUE, dataDir, send: { step: 'flush cache' } });
    running = worker.child;
    const { id } = await worker.until('sent');
    const started = await worker.until('started');
    expect(started).toMatchObject({ id, retryCount: 0 });
    expect(await worker.kill()).toBe('SIGKILL');

    // Only now: one embedded data directory admits one process at a time.
    const db = await openDatabase({ dataDir, logger });
    cleanups.push(() => db.close());
    const queue = createJobQueue(db, logger, QUEUE_OPTIONS);
    await queue.start();
    cleanups.push(() => queue.stop());
    expect(['active', 'retry']).toContain((await queue.getJob(QUEUE, id!))?.state);

    const job = await takeOver(queue);
    expect(job.id).toBe(id);
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
    expect(job.data).toEqual({ step: 'flush cache' });
    await waitFor(async () => (await queue.getJob(QUEUE, id!))?.state === 'completed', 'the retried job to complete');
  });
});
