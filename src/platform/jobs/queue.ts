import type { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { Database } from '../db/index.js';
import type { Logger } from '../logger.js';
import { rateLimitedWarn } from '../rate-limited-warn.js';
import { withTimeout } from '../timeout.js';
import { isUuid } from '../uuid.js';

/**
 * How pg-boss treats a queue's jobs. `standard` is the default; the others are
 * what make `singletonKey` deduplicate: `short` keeps at most one queued job
 * per key, `singleton` at most one active job per key, `stately` one of each.
 */
export type QueueKind = 'standard' | 'short' | 'singleton' | 'stately';

export interface QueuePolicy {
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** How long a worker may hold a job before maintenance fails it as expired and retries it. */
  leaseSeconds?: number;
  /** Routes jobs that exhausted their retries to `${name}.dead` (a copy with a new id and the same data). */
  deadLetter?: boolean;
  kind?: QueueKind;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 0 on the first attempt; counts retries after failures and expired leases. */
  retryCount: number;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  retryCount: number;
  output: unknown;
  data: unknown;
}

export interface JobQueueHealth {
  status: 'up' | 'down';
  detail?: string;
}

export interface JobQueue {
  start(): Promise<void>;
  /** Graceful: waits briefly for active handlers, never throws on an already-down DB. */
  stop(): Promise<void>;
  /** Idempotent create/update; deadLetter:true creates `${name}.dead` and routes exhausted jobs there. */
  define(name: string, policy?: QueuePolicy): Promise<void>;
  /** Returns null when a `singletonKey` deduplicated the job; throws for a queue that was never defined. */
  send<T extends object>(name: string, data: T, options?: { startAfterSeconds?: number; singletonKey?: string }): Promise<string | null>;
  work<T>(name: string, handler: (job: Job<T>) => Promise<unknown>, options?: { concurrency?: number }): Promise<void>;
  /** Poll `name` now instead of at the next interval (latency-sensitive queues). */
  wake(name: string): void;
  getJob(name: string, id: string): Promise<JobInfo | null>;
  health(): Promise<JobQueueHealth>;
}

export interface JobQueueOptions {
  /** How often expired leases are failed (and so retried). pg-boss runs it on one instance at a time. */
  maintenanceIntervalSeconds?: number;
  pollingIntervalSeconds?: number;
  /** pg-boss's own schema; tests may use a distinct one. */
  schema?: string;
  /** How long `stop()` waits for active handlers before failing their jobs back into retry. */
  shutdownTimeoutSeconds?: number;
}

export const QUEUE_DEFAULTS = {
  leaseSeconds: 60,
  retryLimit: 5,
  retryBackoff: true,
  retryDelaySeconds: 2,
  maintenanceIntervalSeconds: 30,
  pollingIntervalSeconds: 2,
  schema: 'pgboss',
  shutdownTimeoutSeconds: 5,
} as const;

const HEALTH_TIMEOUT_MS = 2000;
const ERROR_LOG_INTERVAL_MS = 30_000;

interface SqlAdapter extends PgBoss.Db {
  close(): Promise<void>;
}

type Rows = { rows: unknown[] };

export function createJobQueue(db: Database, logger: Logger, options: JobQueueOptions = {}): JobQueue {
  const log = logger.child({ component: 'jobs' });
  const schema = options.schema ?? QUEUE_DEFAULTS.schema;
  const sql = guardOutcomeWrites(createSqlAdapter(db, log), log);
  const boss = createBoss(sql, schema, options, log);
  const workers = new Map<string, string[]>();
  let started = false;
  let stopped = false;

  return {
    async start() {
      if (started) return;
      // stop() closed our pool; a restarted pg-boss would find no connections.
      if (stopped) throw new Error('job queue was stopped; create a new one');
      await boss.start();
      started = true;
    },
    async stop() {
      if (!started) return;
      started = false;
      stopped = true;
      workers.clear();
      await stopBoss(boss, sql, log, options.shutdownTimeoutSeconds ?? QUEUE_DEFAULTS.shutdownTimeoutSeconds);
    },
    define: (name, policy = {}) => defineQueue(boss, name, policy),
    async send(name, data, sendOptions = {}) {
      const id = await boss.send(name, data, toSendOptions(sendOptions));
      // pg-boss answers null both for a deduplicated job and for a queue that does not exist.
      if (id === null && !(await boss.getQueue(name))) throw new Error(`job queue "${name}" is not defined`);
      return id;
    },
    async work(name, handler, workOptions = {}) {
      const ids = await startWorkers(boss, name, handler, workOptions.concurrency ?? 1);
      workers.set(name, [...(workers.get(name) ?? []), ...ids]);
    },
    wake(name) {
      for (const id of workers.get(name) ?? []) boss.notifyWorker(id);
    },
    async getJob(name, id) {
      if (!isUuid(id)) return null;
      const job = await boss.getJobById(name, id, { includeArchive: true });
      return job ? toJobInfo(job) : null;
    },
    async health() {
      if (!started) return { status: 'down', detail: 'job queue is not running' };
      return checkHealth(sql, schema);
    },
  };
}

function createBoss(sql: SqlAdapter, schema: string, options: JobQueueOptions, logger: Logger): PgBoss {
  const boss = new PgBoss({
    db: sql,
    schema,
    migrate: true,
    supervise: true,
    // Cron belongs to the maintenance domain's scheduler; pg-boss's would add another poller.
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? QUEUE_DEFAULTS.maintenanceIntervalSeconds,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? QUEUE_DEFAULTS.pollingIntervalSeconds,
    expireInSeconds: QUEUE_DEFAULTS.leaseSeconds,
    retryLimit: QUEUE_DEFAULTS.retryLimit,
    retryDelay: QUEUE_DEFAULTS.retryDelaySeconds,
    retryBackoff: QUEUE_DEFAULTS.retryBackoff,
  });
  // Without a listener EventEmitter throws 'error' events, which would turn an outage into a crash.
  const warn = rateLimitedWarn(logger, ERROR_LOG_INTERVAL_MS);
  boss.on('error', (error: unknown) => warn({ err: error }, 'job queue error (the queue retries on its own)'));
  return boss;
}

async function startWorkers<T>(
  boss: PgBoss,
  name: string,
  handler: (job: Job<T>) => Promise<unknown>,
  concurrency: number,
): Promise<string[]> {
  const ids: string[] = [];
  // pg-boss 10 has no team size: concurrency is one polling worker per slot.
  for (let i = 0; i < Math.max(1, concurrency); i++) {
    // Filled once pg-boss names the worker; a job it hands over before that just waits for the next poll.
    const worker: { id?: string } = {};
    const handle = toBossHandler(handler);
    // A pg-boss worker waits a whole polling interval after every job, so a backlog drained at
    // concurrency ÷ interval jobs/s (2/s for deliveries) and grew. Where one job was, more may wait: look again at once.
    const next: PgBoss.WorkWithMetadataHandler<T> = async (jobs) => {
      try {
        return await handle(jobs);
      } finally {
        if (worker.id && jobs.length > 0) boss.notifyWorker(worker.id);
      }
    };
    worker.id = await boss.work(name, { includeMetadata: true, batchSize: 1 }, next);
    ids.push(worker.id);
  }
  return ids;
}

/** Reaches the database and proves pg-boss's schema is there. */
async function checkHealth(sql: SqlAdapter, schema: string): Promise<JobQueueHealth> {
  try {
    await withTimeout(sql.executeSql(`SELECT 1 FROM ${schema}.version`, []), HEALTH_TIMEOUT_MS);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', detail: (error as Error).message || 'unreachable' };
  }
}

function createSqlAdapter(db: Database, logger: Logger): SqlAdapter {
  if (db.engine === 'pglite') {
    if (!db.pglite) throw new Error('PGlite database without an embedded instance');
    return pgliteAdapter(db.pglite);
  }
  if (!db.connectionString) throw new Error('PostgreSQL database without a connection string');
  return postgresAdapter(db.connectionString, logger);
}

/**
 * Our own small pool rather than pg-boss's: pg-boss's `Db` answers undefined
 * (and `send` null) when used before `open()`, and it gives us no place to
 * guard the outcome writes (see `guardOutcomeWrites`).
 */
function postgresAdapter(connectionString: string, logger: Logger): SqlAdapter {
  const pool = new pg.Pool({
    connectionString,
    max: 5,
    application_name: 'nexus-jobs',
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dying (outage, restart) must not crash the process; the pool reconnects.
  pool.on('error', (error) => logger.warn({ err: error }, 'job queue connection lost'));
  return {
    async executeSql(text, values) {
      const result = (await pool.query(text, values)) as pg.QueryResult | pg.QueryResult[];
      // A multi-statement script (pg-boss's locked maintenance) answers one result per statement.
      return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}

function pgliteAdapter(pglite: PGlite): SqlAdapter {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows };
      // Parameterless SQL from pg-boss may be a multi-statement script (schema, maintenance),
      // which the extended protocol behind `query` refuses. Its own BEGIN/COMMIT would leave
      // the single shared connection in an aborted transaction if a statement failed;
      // `transaction` rolls back under PGlite's lock, before any other query can run.
      const results = await pglite.transaction((tx) => tx.exec(text));
      return { rows: results.at(-1)?.rows ?? [] };
    },
    async close() {
      // The embedded instance belongs to the Database handle, which closes it.
    },
  };
}

/**
 * pg-boss 10 records a handler's outcome (`complete`/`fail`) without awaiting
 * it, so a database error at that moment would be an unhandled rejection and
 * kill the process. Those two writes are the only calls shaped
 * `[queue, ids[], output]`; we never call them ourselves. Swallowing the error
 * is safe: the job stays active, its lease expires and it is retried.
 */
function guardOutcomeWrites(inner: SqlAdapter, logger: Logger): SqlAdapter {
  return {
    async executeSql(text, values) {
      if (!(values?.length === 3 && Array.isArray(values[1]))) return inner.executeSql(text, values);
      try {
        return await inner.executeSql(text, values);
      } catch (error) {
        logger.warn({ err: error, jobIds: values[1] }, 'could not record a job outcome; the job is retried after its lease');
        return { rows: [{ count: 0 }] } satisfies Rows;
      }
    },
    close: () => inner.close(),
  };
}

async function stopBoss(boss: PgBoss, sql: SqlAdapter, logger: Logger, timeoutSeconds: number): Promise<void> {
  try {
    // After the timeout pg-boss fails the still-active jobs, so they are retried rather than left to their lease.
    await boss.stop({ graceful: true, wait: true, timeout: timeoutSeconds * 1000 });
  } catch (error) {
    logger.warn({ err: error }, 'job queue did not stop cleanly; active jobs are retried after their lease');
  }
  try {
    await sql.close();
  } catch (error) {
    logger.warn({ err: error }, 'job queue connections did not close cleanly');
  }
}

async function defineQueue(boss: PgBoss, name: string, policy: QueuePolicy): Promise<void> {
  const queue: PgBoss.Queue = {
    name,
    policy: policy.kind ?? 'standard',
    retryLimit: policy.retryLimit ?? QUEUE_DEFAULTS.retryLimit,
    retryDelay: policy.retryDelaySeconds ?? QUEUE_DEFAULTS.retryDelaySeconds,
    retryBackoff: policy.retryBackoff ?? QUEUE_DEFAULTS.retryBackoff,
    expireInSeconds: policy.leaseSeconds ?? QUEUE_DEFAULTS.leaseSeconds,
  };
  if (policy.deadLetter) {
    // The dead-letter queue must exist first: queue.dead_letter is a foreign key.
    const deadLetter = `${name}.dead`;
    await upsertQueue(boss, { name: deadLetter, policy: 'standard', expireInSeconds: queue.expireInSeconds });
    queue.deadLetter = deadLetter;
  }
  await upsertQueue(boss, queue);
}

/** createQueue ignores an existing queue; updateQueue then applies the (possibly changed) policy. */
async function upsertQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  await boss.createQueue(queue.name, queue);
  await boss.updateQueue(queue.name, queue);
}

function toSendOptions(options: { startAfterSeconds?: number; singletonKey?: string }): PgBoss.SendOptions {
  const result: PgBoss.SendOptions = {};
  if (options.startAfterSeconds && options.startAfterSeconds > 0) result.startAfter = options.startAfterSeconds;
  if (options.singletonKey) result.singletonKey = options.singletonKey;
  return result;
}

function toBossHandler<T>(handler: (job: Job<T>) => Promise<unknown>): PgBoss.WorkWithMetadataHandler<T> {
  return async ([job]) => {
    if (!job) return undefined;
    return handler({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount });
  };
}

function toJobInfo(job: PgBoss.JobWithMetadata<unknown>): JobInfo {
  return {
    id: job.id,
    name: job.name,
    state: job.state,
    retryCount: job.retryCount,
    output: job.output ?? null,
    data: job.data ?? null,
  };
}
