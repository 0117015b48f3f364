import type { Registry } from 'prom-client';
import type { AuditService } from '../platform/audit/service.js';
import { namesFrom } from '../platform/audit/targets.js';
import type { RunbookAnalysisConfig, RunsConfig } from '../platform/config.js';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { SealingKeySource } from '../platform/secrets.js';
import { RunbookAnalysis } from './analysis/pool.js';
import { runbookRoutes } from './library/routes.js';
import { RunbookLibrary } from './library/service.js';
import { RunbookStore } from './library/store.js';
import { lintRoutes } from './lint/routes.js';
import { registerRuns, type RunsModule } from './runs/index.js';
import { installStepMetrics } from './runs/metrics.js';
import { runbooks as runbooksTable, runs as runsTable } from './tables.js';

// The runbooks domain's one face: library, lint, analysis, parser and runs are its internals.
// Pure modules (model, risk, parser, lint, params) are re-exported here for other domains; the CLI,
// which must not load the server, imports the same modules directly (see eslint.config.js).
export type { Command, Phase, Placeholder, Procedure, ParsedRunbook, RiskClass, Step } from './model.js';
export { commandsOf } from './model.js';
export { classifyRisk } from './risk.js';
export { parseRunbook, RunbookParseError } from './parser/index.js';
// Lint itself is offered through `analysis.lint` (worker threads): the server's main thread never loads it.
export type { Finding, LintReport } from './lint/index.js';
export { parametersOf } from './runs/params.js';
export { rewritePlaceholders } from './runs/script.js';
export { BUILTIN_RUNBOOKS_DIR, importBuiltinRunbooks, RunbookLibrary } from './library/service.js';
export type { ImportBody, ImportResponse, Runbook, RunbookDetail, RunbookVersion } from './library/schema.js';
export { RunbookAnalysis } from './analysis/pool.js';
export { Run, CreateRunBody, type RunStep, type StepsResponse } from './runs/schema.js';
export {
  RUN_EVENT,
  type CompletionReport,
  type LeaseRef,
  type OutputEvent,
  type RunService,
  type RunsModule,
  type StepEvent,
  type StepLease,
  type StepQueue,
} from './runs/index.js';

export interface RunbooksDeps {
  db: Database;
  bus: EventBus;
  audit: AuditService;
  logger: Logger;
  /** Step counters and durations go here. */
  registry: Registry;
  config: {
    runbooks: RunbookAnalysisConfig;
    runs: RunsConfig;
    /** PROMETHEUS_URL, for lint's promql-invalid. */
    prometheusUrl: string | undefined;
  };
  /** The key ring: run secrets are sealed under its data key. */
  keys: SealingKeySource;
}

export interface RunbooksModule {
  /** Import Markdown, read versions (other domains read runbooks here). */
  library: RunbookLibrary;
  /** Parsing and linting in worker threads, with a time limit. */
  analysis: RunbookAnalysis;
  /** Runs, the step queue runners lease from, and the lease sweeper. */
  runs: RunsModule;
}

/** The library and lint routes, the analysis pool, runs and their step metrics. */
export function registerRunbooks(app: App, deps: RunbooksDeps): RunbooksModule {
  const { config, db, bus, logger } = deps;
  const analysis = new RunbookAnalysis({ timeoutSeconds: config.runbooks.analysisTimeoutSeconds, maxThreads: config.runbooks.analysisThreads });
  app.addHook('onClose', async () => analysis.close());
  const library = new RunbookLibrary(new RunbookStore(db.orm), bus, logger, (source) => analysis.parse(source));
  runbookRoutes(app, { library });
  deps.audit.nameTargets('runbook', namesFrom(db.orm, runbooksTable.id, runbooksTable.title));
  deps.audit.nameTargets('run', namesFrom(db.orm, runsTable.id, runsTable.procedureTitle));
  lintRoutes(app, {
    analysis,
    sqlUrl: config.runbooks.lintSqlUrl,
    sqlDetailRole: config.runbooks.lintSqlDetailRole,
    maxPerUser: config.runbooks.lintMaxPerUser,
    prometheusUrl: config.prometheusUrl,
  });
  const runs = registerRuns(app, {
    db,
    bus,
    audit: deps.audit,
    logger,
    config: config.runs,
    keys: deps.keys,
    source: library,
  });
  const stopStepMetrics = installStepMetrics(bus, deps.registry);
  // Hooks run last-registered first: runners (composed later) stop before the sweeper here.
  app.addHook('onClose', async () => {
    await runs.close();
    stopStepMetrics();
  });
  return { library, analysis, runs };
}
