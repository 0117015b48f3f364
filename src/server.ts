import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { buildApp, type NexusApp } from './app.js';
import type { Clock } from './platform/clock.js';
import { ConfigError, type Config } from './platform/config.js';
import { openDatabase, runMigrations, type Database } from './platform/db/index.js';
import { createEventBus, type EventBus } from './platform/events/index.js';
import { createJobQueue, type JobQueue } from './platform/jobs/index.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createRedis } from './platform/redis.js';
import { createStartupTimer, type StartupTimer } from './platform/startup.js';
import { ensureDefaults as ensureNotifyDefaults, warnWhenNothingDelivers } from './notify/index.js';
import { ensureDefaultRoutes } from './alerts/index.js';
import { BUILTIN_RUNBOOKS_DIR, importBuiltinRunbooks } from './runbooks/index.js';
import type { BuiltInTask, SchedulerTiming } from './maintenance/index.js';

export interface RunningServer extends NexusApp {
  url: string;
  db: Database;
  bus: EventBus;
  jobs: JobQueue;
  redis: Redis | null;
  /** Set on the very first start: the admin's generated password, to show once. */
  bootstrap: { username: string; password: string | null } | null;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** Tests: open PGlite from a migrated template instead of an empty directory. */
  pgliteLoadDataDir?: Blob;
  /** Tests: skip listening (use app.inject). */
  listen?: boolean;
  eventsChannel?: string;
  /** Where the built-in runbooks are (default: the package's runbooks/); null imports none. */
  builtinRunbooksDir?: string | null;
  /** `nexus serve` passes one that began at process start, so loading the code counts too. */
  startup?: StartupTimer;
  /** Tests: built-in maintenance tasks of their own, and scheduler intervals. */
  maintenanceTasks?: BuiltInTask[];
  schedulerTiming?: Partial<SchedulerTiming>;
  maintenanceClock?: Clock;
}

/**
 * Embedded mode keeps a generated key in the data directory so sessions
 * survive restarts. Server mode must be given one: replicas have to agree.
 */
async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.jwtSecretKey) return config.jwtSecretKey;
  if (config.databaseUrl) {
    throw new ConfigError('JWT_SECRET_KEY', 'is required when DATABASE_URL is set (all replicas must share it)');
  }
  const file = path.join(config.dataDir, 'jwt-secret');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(48).toString('base64url');
  await fs.writeFile(file, key + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const startup = options.startup ?? createStartupTimer();
  if (!config.databaseUrl) {
    // Traversable, not listable: the runner user reaches its run's work directory (runs/<id>) and nothing else here.
    await fs.mkdir(config.dataDir, { recursive: true, mode: 0o711 });
    await fs.chmod(config.dataDir, 0o711);
  }
  const jwtSecretKey = await resolveJwtSecret(config);
  startup.phase('data directory');

  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: options.pgliteLoadDataDir ? undefined : config.dataDir,
    poolSize: config.databasePoolSize,
    logger,
    pgliteLoadDataDir: options.pgliteLoadDataDir,
  });
  startup.phase('database open');
  const cleanup: Array<() => Promise<unknown>> = [() => db.close()];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) await step().catch((err) => logger.warn({ err }, 'shutdown step failed'));
  };
  try {
    await runMigrations(db, logger);
    startup.phase('migrations');
    const redis = config.redisUrl ? createRedis(config.redisUrl, logger, 'cache') : null;
    if (redis) cleanup.push(() => redis.quit().catch(() => redis.disconnect()));
    const bus = createEventBus({ redisUrl: config.redisUrl, logger, channel: options.eventsChannel ?? config.eventsChannel });
    cleanup.push(() => bus.close());
    const jobs = createJobQueue(db, logger);
    await jobs.start();
    cleanup.push(() => jobs.stop());
    startup.phase('job queue');

    const nexus = await buildApp({
      config,
      jwtSecretKey,
      db,
      redis,
      bus,
      jobs,
      logger,
      startup,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.maintenanceTasks ? { maintenanceTasks: options.maintenanceTasks } : {}),
      ...(options.schedulerTiming ? { schedulerTiming: options.schedulerTiming } : {}),
      ...(options.maintenanceClock ? { maintenanceClock: options.maintenanceClock } : {}),
    });
    cleanup.push(() => nexus.app.close());
    const bootstrap = await nexus.auth.bootstrapAdmin(config.adminPassword);
    if (bootstrap) {
      await nexus.audit.record({ actor: 'system', action: 'user.bootstrap_admin', target: 'admin', outcome: 'success' });
    }
    // The seed's contacts and default escalation policy, on the first start only.
    await ensureNotifyDefaults(nexus.notify, nexus.audit);
    await warnWhenNothingDelivers(nexus.notify, logger);
    // The seed's symptoms as routing rules (P1/P2/P3 → runbook procedures), on the first start only.
    await ensureDefaultRoutes(nexus.alerts, nexus.audit);
    startup.phase('defaults');
    // Every start: a new or changed runbooks/*.md becomes a new version; unchanged files store nothing.
    const builtinDir = options.builtinRunbooksDir === undefined ? BUILTIN_RUNBOOKS_DIR : options.builtinRunbooksDir;
    if (builtinDir !== null) await importBuiltinRunbooks({ library: nexus.runbooks, audit: nexus.audit, logger }, builtinDir);
    startup.phase('built-in runbooks');
    // The built-in runbook's daily, weekly and monthly tasks as schedules, disabled, once each.
    for (const seeded of await nexus.maintenance.schedules.ensureSeeds()) {
      await nexus.audit.record({ actor: 'system', action: 'schedule.seed', target: seeded.id, outcome: 'success', details: { name: seeded.name, enabled: false } });
    }
    let url = '';
    if (options.listen !== false) {
      url = await nexus.app.listen({ host: config.host, port: config.port });
      startup.phase('listen');
      startup.report(logger);
      // A serving NEXUS loads its parser thread now, so the first import or lint does not wait for it.
      nexus.analysis.warm();
    }
    return { ...nexus, url, db, bus, jobs, redis, bootstrap, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
