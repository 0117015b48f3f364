import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { openDatabase, type Database } from '../db/index.js';
import { createLogger } from '../logger.js';
import { runSingleton, type SingletonHandle } from './index.js';

const RETRY_MS = 200;
const REFUSED = 'singleton lock is held elsewhere';

async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const started: SingletonHandle[] = [];

// A failed assertion must not leave a loop holding a pooled connection, or closing the pool would hang.
afterEach(async () => {
  await Promise.all(started.splice(0).map((handle) => handle.stop()));
});

/** One replica: a singleton handle plus what its loop and its log saw. */
function replica(db: Database, name: string) {
  const log: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void log.push((JSON.parse(line) as { msg: string }).msg) });
  const seen = { runs: 0, aborts: 0 };
  const handle: SingletonHandle = runSingleton(
    db,
    name,
    async (signal) => {
      seen.runs++;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      seen.aborts++;
    },
    { logger, retryMs: RETRY_MS },
  );
  started.push(handle);
  const refusals = () => log.filter((msg) => msg === REFUSED).length;
  return { handle, seen, refusals };
}

describe('runSingleton on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let admin: pg.Client;
  const dbs: Database[] = [];

  const lockHolders = async () =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
    ).rows.map((r) => r.pid);

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    const logger = createLogger('silent');
    for (let i = 0; i < 2; i++) dbs.push(await openDatabase({ databaseUrl: created.url, logger }));
    admin = new pg.Client({ connectionString: created.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const db of dbs) await db.close();
    await drop?.();
  });

  it('elects exactly one leader, fails over when its connection dies, and hands over on stop', async () => {
    const a = replica(dbs[0]!, 'sla-clock');
    const b = replica(dbs[1]!, 'sla-clock');
    await waitFor(() => a.handle.isLeader() || b.handle.isLeader(), 'a leader');
    const [leader, follower] = a.handle.isLeader() ? [a, b] : [b, a];
    await waitFor(() => follower.refusals() >= 2, 'the follower to be refused twice');

    expect(leader.handle.isLeader()).toBe(true);
    expect(follower.handle.isLeader()).toBe(false);
    expect([leader.seen.runs, follower.seen.runs]).toEqual([1, 0]);
    const holders = await lockHolders();
    expect(holders).toHaveLength(1);

    // The leader's connection dies: PostgreSQL frees its lock, the follower takes over within a few retry periods.
    await admin.query('SELECT pg_terminate_backend($1)', [holders[0]]);
    await waitFor(() => follower.handle.isLeader(), 'the follower to take over', 10 * RETRY_MS);
    await waitFor(() => leader.seen.aborts === 1, "the old leader's loop to be aborted");
    expect(leader.handle.isLeader()).toBe(false);
    expect(follower.seen.runs).toBe(1);
    const refusedBefore = leader.refusals();
    await waitFor(() => leader.refusals() > refusedBefore, 'the old leader to try again and be refused');
    expect(leader.handle.isLeader()).toBe(false);
    expect(await lockHolders()).toHaveLength(1);

    // Stopping the new leader aborts its loop and unlocks, so the old one leads again.
    await follower.handle.stop();
    expect(follower.handle.isLeader()).toBe(false);
    expect(follower.seen.aborts).toBe(1);
    await waitFor(() => leader.handle.isLeader(), 'the old leader to lead again', 10 * RETRY_MS);
    expect(leader.seen.runs).toBe(2);

    await leader.handle.stop();
    expect(await lockHolders()).toEqual([]);
  });

  it('keeps loops of different names independent', async () => {
    const scheduler = replica(dbs[0]!, 'scheduler');
    const controller = replica(dbs[1]!, 'deployment-controller');
    await waitFor(() => scheduler.handle.isLeader() && controller.handle.isLeader(), 'both loops to lead');
    await Promise.all([scheduler.handle.stop(), controller.handle.stop()]);
    expect([scheduler.seen.aborts, controller.seen.aborts]).toEqual([1, 1]);
  });
});

describe('runSingleton on PGlite', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
  });

  afterAll(async () => {
    await t?.dispose();
  });

  it('leads at once with a single instance, keeps a second one waiting, and stops cleanly', async () => {
    const first = replica(t.db, 'scheduler');
    await waitFor(() => first.handle.isLeader(), 'the only instance to lead');
    expect(first.seen.runs).toBe(1);

    const second = replica(t.db, 'scheduler');
    await waitFor(() => second.refusals() >= 1, 'the second instance to be refused');
    expect(second.handle.isLeader()).toBe(false);

    await first.handle.stop();
    expect(first.handle.isLeader()).toBe(false);
    expect(first.seen.aborts).toBe(1);
    await waitFor(() => second.handle.isLeader(), 'the second instance to lead', 10 * RETRY_MS);
    await second.handle.stop();
    expect(second.seen.aborts).toBe(1);
  });
});
