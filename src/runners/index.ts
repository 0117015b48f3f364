import type { AuditService } from '../platform/audit/service.js';
import type { RunsConfig } from '../platform/config.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { StepQueue } from '../runbooks/runs/index.js';
import type { Database } from '../platform/db/index.js';
import { RunnerRegistry } from './registry.js';
import { RemoteRunners } from './remote.js';
import { runnerRoutes } from './routes.js';

export { LocalRunner, type LocalRunnerOptions } from './local.js';
export type { RemoteRunners } from './remote.js';
export type { RunnerRegistry } from './registry.js';

/** Enrolled runners and their credentials; made before authentication is installed, which asks it about `nxr_…` credentials. */
export function createRunnerRegistry(db: Database, bus: EventBus, logger: Logger): RunnerRegistry {
  return new RunnerRegistry(db.orm, bus, logger);
}
export { describeSandbox, reachableWorkRoot, resolveSandbox, type Sandbox } from './sandbox.js';

export interface RemoteRunnerDeps {
  queue: StepQueue;
  registry: RunnerRegistry;
  bus: EventBus;
  audit: AuditService;
  logger: Logger;
  config: RunsConfig;
  /** Enrolment attempts per client address per window (LOGIN_RATE_LIMIT_*): the anonymous enrol route is guessed at like login. */
  enrolRateLimit: { max: number; windowSeconds: number };
  /** The key in use (maybe the embedded one from the data directory): redacted from remote output too. */
  jwtSecretKey: string;
}

/** The HTTP API `nexus runner` agents use (ADR 0004), and runner enrolment; its long-polls end before the server closes. */
export function registerRemoteRunners(app: App, deps: RemoteRunnerDeps): RemoteRunners {
  const runners = new RemoteRunners({
    queue: deps.queue,
    registry: deps.registry,
    bus: deps.bus,
    logger: deps.logger,
    redact: [...deps.config.redactValues, deps.jwtSecretKey],
    outputLimitBytes: deps.config.outputLimitBytes,
  });
  runnerRoutes(app, { runners, registry: deps.registry, audit: deps.audit, enrolRateLimit: deps.enrolRateLimit });
  app.addHook('preClose', async () => runners.close());
  app.addHook('onClose', async () => deps.registry.close());
  return runners;
}
