import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Database, DbSession } from '../db/index.js';
import type { Logger } from '../logger.js';
import { withTimeout } from '../timeout.js';

export interface SingletonOptions {
  logger: Logger;
  /** How often a follower tries to take the lock, and how often the leader checks its connection. */
  retryMs?: number;
}

export interface SingletonHandle {
  /** Aborts the loop, waits for it to return, then unlocks. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

export const DEFAULT_SINGLETON_RETRY_MS = 5000;

/** Held by the leader until its connection dies or it lets go. */
interface Lease {
  readonly lost: Promise<unknown>;
  release(): Promise<void>;
}

interface Locker {
  /** null: another replica holds the lock. */
  acquire(): Promise<Lease | null>;
  dispose(): Promise<void>;
}

/**
 * The advisory lock key for a loop name: the first 8 bytes of a SHA-256,
 * so names never need registering and collisions are negligible.
 */
export function singletonLockKey(name: string): string {
  return createHash('sha256').update(`nexus.singleton:${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * Runs `loop` on exactly one replica. The loop must return soon after its
 * signal aborts: leadership passes on only once it has, so a loop that
 * ignores the signal blocks `stop()` rather than risking two leaders.
 */
export function runSingleton(
  db: Database,
  name: string,
  loop: (signal: AbortSignal) => Promise<void>,
  options: SingletonOptions,
): SingletonHandle {
  const retryMs = options.retryMs ?? DEFAULT_SINGLETON_RETRY_MS;
  const logger = options.logger.child({ singleton: name });
  const stopping = new AbortController();
  const state = { leader: false };
  const locker = db.engine === 'pglite' ? localLocker(db, name) : advisoryLocker(db, name, retryMs, logger);
  const supervisor = supervise({ locker, loop, retryMs, logger, stopping: stopping.signal, state });
  return {
    async stop() {
      stopping.abort();
      await supervisor;
    },
    isLeader: () => state.leader,
  };
}

interface SupervisorContext {
  locker: Locker;
  loop: (signal: AbortSignal) => Promise<void>;
  retryMs: number;
  logger: Logger;
  stopping: AbortSignal;
  state: { leader: boolean };
}

async function supervise(ctx: SupervisorContext): Promise<void> {
  try {
    while (!ctx.stopping.aborted) {
      let lease: Lease | null = null;
      try {
        lease = await ctx.locker.acquire();
      } catch (error) {
        ctx.logger.warn({ err: error }, 'could not try the singleton lock; trying again');
      }
      if (lease) await lead(ctx, lease);
      else if (!ctx.stopping.aborted) ctx.logger.debug('singleton lock is held elsewhere');
      await delay(ctx.retryMs, undefined, { signal: ctx.stopping }).catch(() => {});
    }
  } finally {
    await ctx.locker.dispose();
  }
}

async function lead(ctx: SupervisorContext, lease: Lease): Promise<void> {
  const controller = new AbortController();
  ctx.state.leader = true;
  ctx.logger.info('became leader');
  const running = Promise.resolve()
    .then(() => ctx.loop(controller.signal))
    .then(
      () => 'ended' as const,
      (error: unknown) => {
        ctx.logger.error({ err: error }, 'singleton loop failed');
        return 'failed' as const;
      },
    );
  let onStop: () => void = () => {};
  const stopped = new Promise<'stopped'>((resolve) => {
    onStop = () => resolve('stopped');
    if (ctx.stopping.aborted) onStop();
    else ctx.stopping.addEventListener('abort', onStop, { once: true });
  });
  const outcome = await Promise.race([running, stopped, lease.lost.then(() => 'lost' as const)]);
  ctx.stopping.removeEventListener('abort', onStop);
  // Stop claiming leadership first: once the connection is gone another replica may already lead.
  ctx.state.leader = false;
  controller.abort(new Error(`singleton leadership ended: ${outcome}`));
  await running;
  await lease.release();
  ctx.logger[outcome === 'stopped' ? 'info' : 'warn']({ outcome }, 'no longer leader');
}

/** One embedded database is one process: an in-process registry is the whole lock. */
const localHolders = new WeakMap<object, Set<string>>();

function localLocker(db: Database, name: string): Locker {
  const owner: object = db.pglite ?? db;
  return {
    async acquire() {
      const held = localHolders.get(owner) ?? new Set<string>();
      localHolders.set(owner, held);
      if (held.has(name)) return null;
      held.add(name);
      return { lost: new Promise<never>(() => {}), release: async () => void held.delete(name) };
    },
    async dispose() {},
  };
}

/**
 * A session-level advisory lock on a dedicated connection: PostgreSQL frees
 * it the moment that connection dies, so a crashed leader never blocks the others.
 */
function advisoryLocker(db: Database, name: string, retryMs: number, logger: Logger): Locker {
  const key = singletonLockKey(name);
  // A follower keeps its connection between attempts instead of reconnecting each time.
  let waiting: DbSession | undefined;
  const drop = async (session: DbSession) => {
    await session.release().catch((error: unknown) => logger.debug({ err: error }, 'releasing singleton session failed'));
  };
  return {
    async acquire() {
      const session = waiting ?? (await db.session());
      waiting = undefined;
      let locked: boolean;
      try {
        const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
        locked = row?.locked === true;
      } catch (error) {
        await drop(session);
        throw error;
      }
      if (!locked) {
        waiting = session;
        return null;
      }
      return leaseOn(session, key, retryMs, drop);
    },
    async dispose() {
      if (waiting) await drop(waiting);
      waiting = undefined;
    },
  };
}

/**
 * The `lost` promise of a pg client only fires when the socket reports an
 * error; a silent network partition would not. A heartbeat bounds how long
 * a cut-off leader goes on believing it leads.
 */
function leaseOn(session: DbSession, key: string, intervalMs: number, drop: (s: DbSession) => Promise<void>): Lease {
  let markLost: (reason: unknown) => void = () => {};
  const lost = new Promise<unknown>((resolve) => (markLost = resolve));
  void session.lost.then(markLost);
  let released = false;
  let timer: NodeJS.Timeout | undefined;
  const beat = async () => {
    try {
      await withTimeout(session.query('SELECT 1'), intervalMs);
      if (!released) timer = setTimeout(beat, intervalMs);
    } catch (error) {
      markLost(error);
    }
  };
  timer = setTimeout(beat, intervalMs);
  return {
    lost,
    async release() {
      released = true;
      clearTimeout(timer);
      // Unlock explicitly; if the connection is already gone, so is the lock.
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      await drop(session);
    },
  };
}
