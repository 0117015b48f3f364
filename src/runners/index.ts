import type { AuditService } from '../platform/audit/service.js';
import type { RunsConfig } from '../platform/config.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { StepQueue } from '../runbooks/runs/index.js';
import { RemoteRunners } from './remote.js';
import { runnerRoutes } from './routes.js';

export { LocalRunner, type LocalRunnerOptions } from './local.js';
export type { RemoteRunners } from './remote.js';
export { describeSandbox, resolveSandbox, type Sandbox } from './sandbox.js';

export interface RemoteRunnerDeps {
  queue: StepQueue;
  bus: EventBus;
  audit: AuditService;
  logger: Logger;
  config: RunsConfig;
  /** The key in use (maybe the embedded one from the data directory): redacted from remote output too. */
  jwtSecretKey: string;
}

/** The HTTP API `nexus runner` agents use (ADR 0004); its long-polls end before the server closes. */
export function registerRemoteRunners(app: App, deps: RemoteRunnerDeps): RemoteRunners {
  const runners = new RemoteRunners({
    queue: deps.queue,
    bus: deps.bus,
    logger: deps.logger,
    redact: [...deps.config.redactValues, deps.jwtSecretKey],
    outputLimitBytes: deps.config.outputLimitBytes,
  });
  runnerRoutes(app, { runners, audit: deps.audit });
  app.addHook('preClose', async () => runners.close());
  return runners;
}
