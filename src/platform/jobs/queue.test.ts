import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createPostgresDatabase, createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { ADMIN_URL } from '../../../test/support/env.js';
import { openDatabase, type Database } from '../db/index.js';
import { createLogger } from '../logger.js';
import { createJobQueue, type Job, type JobQueue } from './index.js';

const SCHEMA = 'jobs_test';
const logger = createLogger('silent');

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(ENGINES)('job queue on %s', (engine) => {
  let t: TestDatabase;
  let queue: JobQueue;

  const stateOf = async (name: string, id: string) => (await queue.getJob(name, id))?.state;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    queue = createJobQueue(t.db, logger, { schema: SCHEMA, maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5 });
    await queue.start();
  });

  afterAll(async () => {
    await queue?.stop();
    await t?.dispose();
  });

  it('runs each job exactly once and completes it with the handler output, even with concurrent workers', async () => {
    await queue.define('once');
    const runs = new Map<string, number>();
    const seen: Job<{ value: number }>[] = [];
    await queue.work<{ value: number }>(
      'once',
      async (job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        seen.push(job);
        return { doubled: job.data.value * 2 };
      },
      { concurrency: 3 },
    );
    const ids = await Promise.all([1, 2, 3, 4, 5].map((value) => queue.send('once', { value })));
    for (const id of ids) await waitFor(async () => (await stateOf('once', id!)) === 'completed', `job ${id} to complete`);

    expect([...runs.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(runs.keys())).toEqual(new Set(ids));
    const first = seen.find((job) => job.id === ids[0]);
    expect(first).toEqual({ id: ids[0], name: 'once', data: { value: 1 }, retryCount: 0 });
    expect((await queue.getJob('once', ids[0]!))?.output).toEqual({ doubled: 2 });
  });

  it('retries a throwing handler with growing delays, then fails it into the dead-letter queue', async () => {
    await queue.define('flaky', { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true, deadLetter: true });
    const attempts: { retryCount: number; at: number }[] = [];
    const dead = deferred<Job<{ order: number }>>();
    await queue.work('flaky', async (job) => {
      attempts.push({ retryCount: job.retryCount, at: Date.now() });
      throw new Error('boom');
    });
    await queue.work<{ order: number }>('flaky.dead', async (job) => dead.resolve(job));

    const id = await queue.send('flaky', { order: 7 });
    const deadJob = await dead.promise;

    expect(deadJob.data).toEqual({ order: 7 });
    expect(deadJob.id).not.toBe(id);
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    // Backoff waits delay·2^n/2 plus up to as much jitter before retry n: at least 1 s, then at least 2 s.
    // Without backoff the second wait would be about 1 s.
    const [first, second, third] = attempts as [(typeof attempts)[0], (typeof attempts)[0], (typeof attempts)[0]];
    expect(second.at - first.at).toBeGreaterThanOrEqual(900);
    expect(third.at - second.at).toBeGreaterThanOrEqual(1900);
    const info = await queue.getJob('flaky', id!);
    expect(info).toMatchObject({ id, name: 'flaky', state: 'failed', retryCount: 2, data: { order: 7 } });
    expect(JSON.stringify(info?.output)).toContain('boom');
  });

  it('getJob reports created, active, retry and completed, and null for unknown jobs', async () => {
    await queue.define('stateful');
    const id = (await queue.send('stateful', { step: 1 }))!;
    expect(await stateOf('stateful', id)).toBe('created');

    const started = deferred();
    const gate = deferred();
    await queue.work('stateful', async () => {
      started.resolve();
      await gate.promise;
      return { done: true };
    });
    await started.promise;
    expect(await stateOf('stateful', id)).toBe('active');
    gate.resolve();
    await waitFor(async () => (await stateOf('stateful', id)) === 'completed', 'the gated job to complete');
    expect((await queue.getJob('stateful', id))?.output).toEqual({ done: true });

    await queue.define('stateful.retry', { retryDelaySeconds: 600, retryBackoff: false });
    await queue.work('stateful.retry', async () => {
      throw new Error('not yet');
    });
    const retried = (await queue.send('stateful.retry', { step: 2 }))!;
    await waitFor(async () => (await stateOf('stateful.retry', retried)) === 'retry', 'the failed job to wait for its retry');

    expect(await queue.getJob('stateful', randomUUID())).toBeNull();
    expect(await queue.getJob('stateful', 'not-a-uuid')).toBeNull();
  });

  it('wake dispatches a waiting job at once while an unwoken queue waits for its next poll', async () => {
    // A minute between polls: only the wake can start a job within this test.
    const slow = createJobQueue(t.db, logger, { schema: SCHEMA, pollingIntervalSeconds: 60 });
    await slow.start();
    try {
      await slow.define('wake.a');
      await slow.define('wake.b');
      // Not yet due, so the workers' first fetch (right after `work`) cannot take them.
      const idA = (await slow.send('wake.a', { q: 'a' }, { startAfterSeconds: 2 }))!;
      const idB = (await slow.send('wake.b', { q: 'b' }, { startAfterSeconds: 2 }))!;
      const ranB = deferred<string>();
      await slow.work('wake.a', async () => ({}));
      await slow.work('wake.b', async (job) => ranB.resolve(job.id));
      await waitFor(async () => {
        const rows = await t.db.query<{ due: boolean }>(
          `SELECT bool_and(start_after < now()) AS due FROM ${SCHEMA}.job WHERE id = ANY($1::uuid[])`,
          [[idA, idB]],
        );
        return rows[0]?.due === true;
      }, 'both jobs to be due');

      slow.wake('wake.b');

      expect(await ranB.promise).toBe(idB);
      expect(await slow.getJob('wake.a', idA)).toMatchObject({ state: 'created' });
    } finally {
      await slow.stop();
    }
  });

  it('a worker that finished a job looks again at once, so a backlog drains without a poll interval per job', async () => {
    // A minute between polls and one worker: only the look-again after each job can run all five within this test.
    const slow = createJobQueue(t.db, logger, { schema: SCHEMA, pollingIntervalSeconds: 60 });
    await slow.start();
    try {
      await slow.define('backlog');
      const ran: number[] = [];
      const all = deferred<void>();
      await slow.work<{ n: number }>('backlog', async (job) => {
        ran.push(job.data.n);
        if (ran.length === 5) all.resolve();
      });
      for (let n = 1; n <= 5; n++) await slow.send('backlog', { n });
      slow.wake('backlog');
      await all.promise;
      expect(ran.sort()).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await slow.stop();
    }
  });

  it('deduplicates by singletonKey on a short queue and refuses a queue that was never defined', async () => {
    await queue.define('dedup', { kind: 'short' });
    const first = await queue.send('dedup', { n: 1 }, { singletonKey: 'incident-42', startAfterSeconds: 600 });
    const second = await queue.send('dedup', { n: 2 }, { singletonKey: 'incident-42', startAfterSeconds: 600 });
    const other = await queue.send('dedup', { n: 3 }, { singletonKey: 'incident-43', startAfterSeconds: 600 });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
    await expect(queue.send('never-defined', { n: 1 })).rejects.toThrow(/not defined/);
  });

  it('define is idempotent and applies a changed policy to new jobs', async () => {
    await queue.define('redefined', { retryLimit: 1 });
    await queue.define('redefined', { retryLimit: 1 });
    await queue.define('redefined', { retryLimit: 4, leaseSeconds: 30 });
    const id = (await queue.send('redefined', { n: 1 }, { startAfterSeconds: 600 }))!;
    const [row] = await t.db.query<{ retry_limit: number; lease: number }>(
      `SELECT retry_limit, EXTRACT(epoch FROM expire_in)::int AS lease FROM ${SCHEMA}.job WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ retry_limit: 4, lease: 30 });
  });

  it('reports health up while running and down once stopped; stopping twice is harmless, restarting is refused', async () => {
    expect(await queue.health()).toEqual({ status: 'up' });
    const other = createJobQueue(t.db, logger, { schema: SCHEMA });
    expect((await other.health()).status).toBe('down');
    await other.start();
    expect(await other.health()).toEqual({ status: 'up' });
    await other.stop();
    await other.stop();
    expect(await other.health()).toMatchObject({ status: 'down', detail: expect.any(String) });
    await expect(other.start()).rejects.toThrow(/stopped/);
  });
});

describe('job queue through a PostgreSQL outage', () => {
  let url: string;
  let dbName: string;
  let drop: () => Promise<void>;
  let db: Database;
  const queues: JobQueue[] = [];
  const lines: { msg?: string }[] = [];
  const capturing = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line)) });

  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  const setOutage = async (down: boolean) => {
    await admin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS ${down ? 'false' : 'true'}`);
    if (down) await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}'`);
  };

  beforeAll(async () => {
    ({ url, drop } = await createPostgresDatabase());
    dbName = new URL(url).pathname.slice(1);
    db = await openDatabase({ databaseUrl: url, logger });
  });

  afterAll(async () => {
    if (dbName) await setOutage(false);
    for (const queue of queues) await queue.stop();
    await db?.close();
    await drop?.();
  });

  it('keeps the process alive, reports down, and retries the job whose outcome could not be written', async () => {
    const options = { maintenanceIntervalSeconds: 1, pollingIntervalSeconds: 0.5, shutdownTimeoutSeconds: 1 };
    const before = createJobQueue(db, capturing, options);
    queues.push(before);
    await before.start();
    await before.define('outage', { leaseSeconds: 2, retryDelaySeconds: 0, retryBackoff: false });
    const started = deferred();
    const gate = deferred();
    await before.work('outage', async () => {
      started.resolve();
      await gate.promise;
      return { attempt: 'first' };
    });
    const id = (await before.send('outage', { n: 1 }))!;
    await started.promise;

    await setOutage(true);
    gate.resolve(); // pg-boss now writes the outcome without awaiting it: it must not become an unhandled rejection
    await waitFor(() => lines.some((l) => l.msg?.startsWith('could not record a job outcome')), 'the failed outcome write');
    expect(await before.health()).toMatchObject({ status: 'down', detail: expect.any(String) });
    await before.stop();

    await setOutage(false);
    const after = createJobQueue(db, capturing, options);
    queues.push(after);
    await after.start();
    const retried = deferred<Job<unknown>>();
    await after.work('outage', async (job) => {
      retried.resolve(job);
      return { attempt: 'retry' };
    });
    const job = await retried.promise;
    expect(job.id).toBe(id);
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await after.getJob('outage', id))?.state === 'completed', 'the retried job to complete');
    expect(await after.getJob('outage', id)).toMatchObject({ output: { attempt: 'retry' } });
    expect(await after.health()).toEqual({ status: 'up' });
  });
});
