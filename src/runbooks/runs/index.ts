import { setTimeout as delay } from 'node:timers/promises';
import type { AuditService } from '../../platform/audit/service.js';
import type { RunsConfig } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import type { EventBus } from '../../platform/events/index.js';
import type { App } from '../../platform/http/types.js';
import { runSingleton } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import { StepActions } from './actions.js';
import { RunEvents } from './events.js';
import { RunProgress } from './progress.js';
import { StepQueue } from './queue.js';
import { QueueStore } from './queue-store.js';
import { runRoutes } from './routes.js';
import { SecretSealer, type SealingKeySource } from '../../platform/secrets.js';
import { RunService } from './service.js';
import { tableRunbookSource, type RunbookVersionSource } from './source.js';
import { RunStore } from './store.js';
import { SecretVault } from './vault.js';

export { RUN_EVENT, type OutputEvent, type StepEvent } from './events.js';
export { StepQueue, finalState, type CompletionReport, type LeaseRef, type StepLease } from './queue.js';
export type { RunService } from './service.js';
export { CreateRunBody, Run } from './schema.js';
export type { StepActions } from './actions.js';
export type { RunbookVersionSource } from './source.js';

export interface RunsDeps {
  db: Database;
  bus: EventBus;
  audit: AuditService;
  logger: Logger;
  config: RunsConfig;
  /** The key ring: run secrets are sealed under its data key. */
  keys: SealingKeySource;
  /** The runbook library; without it, runs read the library's tables themselves. */
  source?: RunbookVersionSource;
  /** How often the lease sweeper looks for expired leases. */
  sweepIntervalMs?: number;
}

export interface RunsModule {
  runs: RunService;
  actions: StepActions;
  queue: StepQueue;
  close(): Promise<void>;
}

export const DEFAULT_SWEEP_INTERVAL_MS = 1000;

/** Wires the runs domain into the app: routes, the queue runners use, and the lease sweeper. */
export function registerRuns(app: App, deps: RunsDeps): RunsModule {
  const { db, bus, logger, config } = deps;
  const store = new RunStore(db.orm);
  const events = new RunEvents(bus);
  const progress = new RunProgress(store, events, logger);
  const sealer = new SecretSealer(deps.keys, 'run-secrets v1');
  const vault = new SecretVault(store, sealer);
  const runs = new RunService({
    store,
    source: deps.source ?? tableRunbookSource(db.orm),
    sealer,
    events,
    progress,
    timeouts: config,
    maxActiveRunsPerUser: config.maxActiveRunsPerUser,
    logger,
  });
  const actions = new StepActions({ store, vault, events, progress, policy: config.policy, maxWaitingStepsPerUser: config.maxQueuedStepsPerUser });
  const queue = new StepQueue({
    store,
    queueStore: new QueueStore(db.orm),
    vault,
    events,
    progress,
    audit: deps.audit,
    bus,
    logger,
    leaseSeconds: config.leaseSeconds,
    outputLimitBytes: config.outputLimitBytes,
  });
  runRoutes(app, { runs, actions });

  const interval = deps.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  const sweeper = runSingleton(
    db,
    'runs.lease-sweeper',
    async (signal) => {
      while (!signal.aborted) {
        await queue.expireLeases().catch((error: unknown) => logger.warn({ err: error }, 'lease sweep failed'));
        await delay(interval, undefined, { signal }).catch(() => {});
      }
    },
    { logger },
  );
  return {
    runs,
    actions,
    queue,
    async close() {
      await sweeper.stop();
      queue.close();
    },
  };
}
