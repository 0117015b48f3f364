import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import { auditRoutes } from './platform/audit/routes.js';
import { installAuditRecorder } from './platform/audit/recorder.js';
import { AuditService } from './platform/audit/service.js';
import { AuditStore } from './platform/audit/store.js';
import { namesFrom } from './platform/audit/targets.js';
import { enforceRouteDeclarations, installAuthentication, type RegisteredRoute } from './platform/auth/access.js';
import { SessionTokens } from './platform/auth/jwt.js';
import { KeyRing } from './platform/auth/key-ring.js';
import { authRoutes } from './platform/auth/routes.js';
import { AuthService } from './platform/auth/service.js';
import { AuthStore } from './platform/auth/store.js';
import { apiTokens, users } from './platform/auth/tables.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db/index.js';
import { AppError } from './platform/errors.js';
import { eventRoutes, type EventBus } from './platform/events/index.js';
import { healthRoutes } from './platform/health/routes.js';
import { consoleRoutes } from './platform/http/console.js';
import { installCompression } from './platform/http/compression.js';
import { installErrorHandling } from './platform/http/errors.js';
import { installJsonParser } from './platform/http/json-parser.js';
import { installValidation } from './platform/http/validation.js';
import { ErrorResponse } from './platform/http/schemas.js';
import type { App } from './platform/http/types.js';
import type { JobQueue } from './platform/jobs/index.js';
import { lazyChild, type Logger } from './platform/logger.js';
import { MaintenanceMode } from './platform/maintenance-mode/index.js';
import type { StartupTimer } from './platform/startup.js';
import { createMetrics, installHttpMetrics, type Metrics } from './platform/metrics/index.js';
import { VERSION } from './platform/version.js';
import { registerAlerts, type AlertsModule } from './alerts/index.js';
import { registerDeployments, type DeploymentsModule } from './deployments/index.js';
import { registerIncidents, type IncidentsModule } from './incidents/index.js';
import { registerMaintenance, type BuiltInTask, type MaintenanceModule, type SchedulerTiming } from './maintenance/index.js';
import { registerNotify, type NotifyModule } from './notify/index.js';
import { registerRunbooks, type RunbookAnalysis, type RunbookLibrary, type RunsModule } from './runbooks/index.js';
import { createRunnerRegistry, registerRunners, type LocalRunner, type RemoteRunners, type RunnerRegistry } from './runners/index.js';

const noPhases: Pick<StartupTimer, 'phase'> = { phase: () => {} };

export interface AppDeps {
  config: Config;
  /** The resolved root secret, JWT_SECRET_KEY (embedded mode generates one; see server.ts): the key ring is sealed under it (ADR 0012). */
  jwtSecretKey: string;
  db: Database;
  redis: Redis | null;
  bus: EventBus;
  jobs: JobQueue;
  logger: Logger;
  clock?: Clock;
  /** Where the start's time goes: each domain's registration is a phase of the `startup` line. */
  startup?: StartupTimer;
  /** Built-in maintenance tasks beyond the domains' own (tests register small ones). */
  maintenanceTasks?: BuiltInTask[];
  schedulerTiming?: Partial<SchedulerTiming>;
  /** The schedules' own clock (tests jump it across due times without aging sessions); default: `clock`. */
  maintenanceClock?: Clock;
}

export interface NexusApp {
  app: App;
  auth: AuthService;
  audit: AuditService;
  metrics: Metrics;
  /** Every route with its declared access, for the route × role test and docs. */
  routes: RegisteredRoute[];
  /** The runbook library: import Markdown, read versions (other domains read runbooks here). */
  runbooks: RunbookLibrary;
  /** Parsing and linting in worker threads, with a time limit. */
  analysis: RunbookAnalysis;
  runs: RunsModule;
  /** Incidents: the service (alerts open, join and resolve incidents through it), timeline, SLA clocks, post-mortems. */
  incidents: IncidentsModule;
  /** The in-process runner, unless NEXUS_LOCAL_RUNNER=false. */
  localRunner: LocalRunner | null;
  /** The HTTP side of `nexus runner` agents. */
  remoteRunners: RemoteRunners;
  /** Enrolled runners: enrolment tokens, runner credentials, lease holders. */
  runnerRegistry: RunnerRegistry;
  /** Contacts, on-call, escalation policies and notification delivery (incidents pages through it). */
  notify: NotifyModule;
  /** Alert receivers, routing rules and silences (they open incidents through `incidents`). */
  alerts: AlertsModule;
  /** Canary and blue-green deployments: the service and the controller (a failed one opens an incident). */
  deployments: DeploymentsModule;
  /** Schedules, backups and restore drills, secret rotation, database care. */
  maintenance: MaintenanceModule;
  /** Signing and data keys (ADR 0012): what sessions, links and sealed secrets use. */
  keyRing: KeyRing;
}

const CLOSE_GRACE_MS = 1000;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(deps: AppDeps): Promise<NexusApp> {
  const { config, db, bus, logger } = deps;
  const app = Fastify({
    // Typed as Fastify's base logger so the instance matches the `App` route modules expect.
    loggerInstance: logger as FastifyBaseLogger,
    childLoggerFactory: (parent, bindings, options) => lazyChild(parent as Logger, bindings, options) as unknown as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // A client that sends its body one byte every few seconds (issue 14, point 5) is cut off
    // with a 408 within requestTimeout (+ one check interval), instead of holding a descriptor.
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: { headersTimeout: config.http.headersTimeoutMs, connectionsCheckingInterval: config.http.timeoutCheckIntervalMs },
    // Keep a caller's request id (nginx sets one) so logs line up across hops.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Callback style, not async: a promise per request for one header is measurable on the hottest path.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  // Node 20's server.close() waits forever on a keep-alive connection that never
  // sent a request (fetch leaves one behind after aborting a stream). In-flight
  // requests get a grace period; then every connection is closed.
  app.addHook('preClose', async () => {
    setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
  });

  // Beyond this many sockets, new ones are closed at once: the process keeps descriptors for its database and runners.
  app.server.maxConnections = config.http.maxConnections;

  const routes: RegisteredRoute[] = [];
  enforceRouteDeclarations(app, routes);
  installErrorHandling(app);
  installJsonParser(app);
  installValidation(app);
  // Before any route (API docs included): the plugin attaches itself to each route as it is added.
  await installCompression(app);

  const keyRing = await KeyRing.open({ orm: db.orm, root: deps.jwtSecretKey, previousRoot: config.jwtSecretKeyPrevious, clock: deps.clock ?? systemClock, logger });
  // Another replica rotated: read the ring now rather than when this copy goes stale.
  bus.subscribe((event) => {
    if (event.type === 'secrets.rotated') keyRing.refresh().catch((err) => logger.warn({ err }, 'key ring: could not read the key ring'));
  });
  const auth = new AuthService(
    new AuthStore(db.orm, db),
    new SessionTokens(keyRing, config.jwtTtlSeconds),
    bus,
    logger,
    deps.clock,
  );
  // A rotation found by reading the ring (the bus's event lost, or Redis absent) ends cached sessions too.
  keyRing.onSigningKeysChanged(() => auth.forgetCachedPrincipals());
  const audit = new AuditService(new AuditStore(db.orm), bus, logger);
  const metrics = createMetrics(config.subset);

  await app.register(rateLimit, {
    global: false,
    ...(deps.redis ? { redis: deps.redis, nameSpace: 'nexus:ratelimit:' } : {}),
    // Redis down must not lock everyone out of login.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', `Too many attempts; retry in ${Math.ceil(context.ttl / 1000)} s`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'NEXUS API', version: VERSION, description: 'Runbooks, incidents, deployments and maintenance.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.addSchema(ErrorResponse);

  installHttpMetrics(app, metrics, config.metricsToken);
  const runnerRegistry = createRunnerRegistry(db, bus, logger);
  installAuthentication(app, auth, runnerRegistry);
  // After authentication, so a write refused during maintenance is audited under its caller's name.
  const maintenanceMode = new MaintenanceMode(db, logger);
  maintenanceMode.install(app);
  installAuditRecorder(app, audit);
  audit.nameTargets('user', namesFrom(db.orm, users.id, users.username));
  audit.nameTargets('token', namesFrom(db.orm, apiTokens.id, apiTokens.name));

  healthRoutes(app, {
    db,
    redis: deps.redis,
    jobs: deps.jobs,
    version: VERSION,
    startedAt: new Date(),
    // Registered below; the app serves no request before every domain is.
    notify: () => notify.deliverability(),
    maintenance: () => maintenanceMode.current(),
  });
  authRoutes(app, { auth, config });
  auditRoutes(app, { audit });
  await app.register(eventRoutes, { bus, maxStreamsPerUser: config.events.maxStreamsPerUser, maxStreams: config.events.maxStreams });
  // The web console (web/dist) answers every GET outside /api, /health and /metrics.
  await app.register(consoleRoutes);

  // The domains, each after those it depends on. Fastify runs onClose hooks last-registered first,
  // so each stops before the ones it uses; runners come last as they stop first: the steps they report
  // lost at shutdown still reach runs and the incident timeline (which only listens).
  const clock = deps.clock ?? systemClock;
  const startup = deps.startup ?? noPhases;
  startup.phase('platform services');
  const { library: runbooks, analysis, runs } = registerRunbooks(app, {
    db,
    bus,
    audit,
    logger,
    registry: metrics.registry,
    config: { runbooks: config.runbooks, runs: config.runs, prometheusUrl: config.prometheusUrl },
    keys: keyRing,
  });
  startup.phase('runbooks');
  const notify = await registerNotify(app, {
    db,
    audit,
    jobs: deps.jobs,
    bus,
    logger,
    config: config.notify,
    keys: keyRing,
    clock: deps.clock,
  });
  startup.phase('notify');
  const incidents = registerIncidents(app, {
    db,
    audit,
    bus,
    logger,
    clock,
    runbooks,
    runs: runs.runs,
    registry: metrics.registry,
    notify,
    publicUrl: config.publicUrl,
    keys: keyRing,
    reopenWindowMinutes: config.alerts.reopenWindowMinutes,
  });
  startup.phase('incidents');
  const alerts = registerAlerts(app, { db, audit, bus, logger, clock, incidents: incidents.incidents, history: incidents.history, registry: metrics.registry, notify, config: config.alerts });
  startup.phase('alerts');
  const deployments = registerDeployments(app, {
    db,
    bus,
    logger,
    clock,
    registry: metrics.registry,
    config: config.deployments,
    prometheusUrl: config.prometheusUrl,
    incidents: incidents.incidents,
  });
  startup.phase('deployments');
  const maintenance = await registerMaintenance(app, {
    db,
    audit,
    jobs: deps.jobs,
    bus,
    logger,
    clock: deps.maintenanceClock ?? clock,
    tasks: deps.maintenanceTasks ?? [],
    runbooks,
    runs,
    notify,
    publicUrl: config.publicUrl,
    ...(deps.schedulerTiming ? { schedulerTiming: deps.schedulerTiming } : {}),
    care: { db, audit, registry: metrics.registry, clock, config: config.care },
    secrets: { db, bus, clock, keyRing, rootSecret: deps.jwtSecretKey, config: config.secretRotation },
    backups: { db, config: config.backups, dataDir: config.dataDir, maintenance: maintenanceMode, registry: metrics.registry, clock, version: VERSION },
  });
  app.addHook('onClose', () => maintenance.close());
  startup.phase('maintenance');
  const runners = registerRunners(app, {
    registry: runnerRegistry,
    queue: runs.queue,
    bus,
    audit,
    logger,
    config: config.runs,
    dataDir: config.dataDir,
    enrolRateLimit: config.loginRateLimit,
    serverSecrets: () => keyRing.secretValues(),
    liveSecrets: () => notify.channelSecretValues(),
  });

  startup.phase('runners');
  await app.ready();
  startup.phase('ready');
  return {
    app,
    auth,
    audit,
    metrics,
    routes,
    runbooks,
    analysis,
    runs,
    incidents,
    localRunner: runners.local,
    notify,
    remoteRunners: runners.remote,
    runnerRegistry: runners.registry,
    alerts,
    deployments,
    maintenance,
    keyRing,
  };
}
