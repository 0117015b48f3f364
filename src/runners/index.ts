import fs from 'node:fs';
import path from 'node:path';
import type { AuditService } from '../platform/audit/service.js';
import type { RunsConfig } from '../platform/config.js';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { StepQueue } from '../runbooks/index.js';
import { LocalRunner } from './local.js';
import { RunnerRegistry } from './registry.js';
import { RemoteRunners } from './remote.js';
import { runnerRoutes } from './routes.js';
import { describeSandbox, reachableWorkRoot, resolveSandbox } from './sandbox.js';

export { LocalRunner, type LocalRunnerOptions } from './local.js';
export type { RemoteRunners } from './remote.js';
export type { RunnerRegistry } from './registry.js';
export { describeSandbox, reachableWorkRoot, resolveSandbox, type Sandbox } from './sandbox.js';
export type { CreatedEnrolment, CreateEnrolmentBody, EnrolResponse, RunnerSchema, RunnerSelf } from './schema.js';
// `nexus runner` (the agent process) loads agent.ts, agent-http.ts and sandbox.ts directly: eslint.config.js lists them.
export { execute } from './exec.js';

/** Enrolled runners and their credentials; made before authentication is installed, which asks it about `nxr_…` credentials. */
export function createRunnerRegistry(db: Database, bus: EventBus, logger: Logger): RunnerRegistry {
  return new RunnerRegistry(db.orm, bus, logger);
}

export interface RunnersDeps {
  /** From `createRunnerRegistry`, the same one authentication asks. */
  registry: RunnerRegistry;
  /** The runs domain's step queue: runners lease steps from it and report back. */
  queue: StepQueue;
  bus: EventBus;
  audit: AuditService;
  logger: Logger;
  config: RunsConfig;
  /** NEXUS_DATA_DIR: the local runner's work directories go under it, and the sandbox hides it. */
  dataDir: string;
  /** Enrolment attempts per client address per window (LOGIN_RATE_LIMIT_*): the anonymous enrol route is guessed at like login. */
  enrolRateLimit: { max: number; windowSeconds: number };
  /** NEXUS's own keys (the configured and embedded JWT_SECRET_KEY and its previous, the key ring's keys), read at each use as rotation changes them: redacted from all output too. */
  serverSecrets: () => readonly string[];
  /** NEXUS's secrets that change while it runs (notify's channel URLs and keys), redacted from local output. */
  liveSecrets: () => Promise<readonly string[]>;
}

export interface RunnersModule {
  registry: RunnerRegistry;
  /** The HTTP side of `nexus runner` agents. */
  remote: RemoteRunners;
  /** The in-process runner, unless NEXUS_LOCAL_RUNNER=false. */
  local: LocalRunner | null;
}

/** Remote runners' API and enrolment (ADR 0004), and the in-process runner. */
export function registerRunners(app: App, deps: RunnersDeps): RunnersModule {
  const remote = registerRemoteRunners(app, deps);
  const local = startLocalRunner(deps);
  // Its running steps are reported lost while the database (and the runs sweeper) are still there.
  app.addHook('onClose', async () => local?.stop());
  return { registry: deps.registry, remote, local };
}

/** The HTTP API `nexus runner` agents use (ADR 0004), and runner enrolment; its long-polls end before the server closes. */
function registerRemoteRunners(app: App, deps: RunnersDeps): RemoteRunners {
  const runners = new RemoteRunners({
    queue: deps.queue,
    registry: deps.registry,
    bus: deps.bus,
    logger: deps.logger,
    redact: () => [...deps.config.redactValues, ...deps.serverSecrets()],
    outputLimitBytes: deps.config.outputLimitBytes,
  });
  runnerRoutes(app, { runners, registry: deps.registry, audit: deps.audit, enrolRateLimit: deps.enrolRateLimit });
  app.addHook('preClose', async () => runners.close());
  app.addHook('onClose', async () => deps.registry.close());
  return runners;
}

function startLocalRunner(deps: RunnersDeps): LocalRunner | null {
  const { config, dataDir, logger } = deps;
  if (!config.localRunner) return null;
  // The hidden data directory must exist for bwrap to mount over it, and be traversable (not listable)
  // for the runner user to reach its run's directory: what is in it is the NEXUS user's alone (0600, 0700).
  fs.mkdirSync(path.join(dataDir, 'runs'), { recursive: true, mode: 0o711 });
  fs.chmodSync(dataDir, 0o711);
  const sandbox = resolveSandbox({ mode: config.sandbox, user: config.runnerUser, hidden: [dataDir] });
  const { root: workRoot, moved } = reachableWorkRoot(sandbox, path.join(dataDir, 'runs'));
  fs.mkdirSync(workRoot, { recursive: true, mode: 0o711 });
  const log = sandbox.kind === 'bwrap' && sandbox.user ? logger.info.bind(logger) : logger.warn.bind(logger);
  log({ sandbox: sandbox.kind, user: sandbox.user?.name ?? null }, `local runner: ${describeSandbox(sandbox)}`);
  if (moved) logger.warn({ workRoot }, `local runner: ${sandbox.user!.name} cannot reach ${dataDir}; runs get their directories under ${workRoot}`);
  const runner = new LocalRunner({
    queue: deps.queue,
    bus: deps.bus,
    logger,
    labels: config.localRunnerLabels,
    concurrency: config.localRunnerConcurrency,
    baseEnv: config.baseEnv,
    redact: [...config.redactValues],
    // The embedded key (generated into the data directory) and the key ring's are NEXUS's secrets too; a rotation adds keys.
    liveSecrets: async () => [...deps.serverSecrets(), ...(await deps.liveSecrets())],
    workRoot,
    sandbox,
    outputLimitBytes: config.outputLimitBytes,
  });
  runner.start();
  return runner;
}
