import type { Registry } from 'prom-client';
import type { Clock } from '../platform/clock.js';
import type { DeploymentsConfig } from '../platform/config.js';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import { DEFAULT_RUNBOOK, type IncidentService } from '../incidents/index.js';
import { DeploymentController, type IncidentPort } from './controller.js';
import { ControllerLoop } from './loop.js';
import { kubernetesRouters } from './kubernetes.js';
import { NginxRouter } from './nginx.js';
import type { TrafficRouter } from './router.js';
import { deploymentRoutes } from './routes.js';
import type { DeploymentBusEvent } from './schema.js';
import { DeploymentService } from './service.js';
import { DeploymentStore } from './store.js';
import { CONTROLLER_ACTOR, DEPLOYMENT_EVENT_PREFIX, DeploymentTimeline } from './timeline.js';

export { BACKENDS_ANNOTATION } from './kubernetes.js';
export { renderUpstream } from './nginx.js';
export { RouterError, type ApplyResult, type Backend, type TrafficRouter } from './router.js';
export { DEPLOYMENT_EVENT_PREFIX } from './timeline.js';
export type { Deployment, DeploymentBusEvent, DeploymentDetail, DeploymentEvent, DeploymentState, Measurement } from './schema.js';

/**
 * The built-in runbook's procedure a failed deployment's incident gets: its
 * "Rollback Procedure" phase is what a responder does if the automatic
 * rollback was not enough.
 */
export const ROLLBACK_PROCEDURE = 'blue-green-deployment';

export interface DeploymentsDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  registry: Registry;
  config: DeploymentsConfig;
  /** Analysis queries go here (PROMETHEUS_URL); unset: every measurement is inconclusive. */
  prometheusUrl: string | undefined;
  /** A failed deployment opens an incident through the incidents domain. */
  incidents: Pick<IncidentService, 'openOrJoin'>;
  /** Routers by kind, replacing the configured ones (tests, and Kubernetes routers until they are configured here). */
  routers?: ReadonlyMap<string, TrafficRouter>;
}

export interface DeploymentsModule {
  deployments: DeploymentService;
  controller: DeploymentController;
  /** The singleton loop: `pass()` and `idle()` let tests step it without waiting for a tick. */
  loop: ControllerLoop;
  close(): Promise<void>;
}

export function registerDeployments(app: App, deps: DeploymentsDeps): DeploymentsModule {
  const { db, bus, clock } = deps;
  const logger = deps.logger.child({ component: 'deployments' });
  const store = new DeploymentStore(db.orm);
  const timeline = new DeploymentTimeline({ store, bus, clock });
  const routers = deps.routers ?? configuredRouters(deps.config, logger);
  const controller = new DeploymentController({
    store,
    timeline,
    routers,
    incidents: incidentPort(deps.incidents),
    clock,
    logger,
    registry: deps.registry,
    prometheusUrl: deps.prometheusUrl,
  });
  const loop = new ControllerLoop({ db, store, controller, clock, logger, tickMs: deps.config.tickMs });
  const deployments = new DeploymentService({ store, timeline, routers, clock, kick: () => loop.kick() });
  deploymentRoutes(app, deployments);

  // A person's action on another replica reaches the controller here over the bus, without waiting for a tick.
  const unsubscribe = bus.subscribe((event) => {
    if (!event.type.startsWith(DEPLOYMENT_EVENT_PREFIX)) return;
    if ((event.data as DeploymentBusEvent | undefined)?.event?.actor !== CONTROLLER_ACTOR) loop.kick();
  });
  loop.start();

  const module: DeploymentsModule = {
    deployments,
    controller,
    loop,
    async close() {
      unsubscribe();
      await loop.stop();
    },
  };
  app.addHook('onClose', async () => module.close());
  return module;
}

function configuredRouters(config: DeploymentsConfig, logger: Logger): Map<string, TrafficRouter> {
  const routers = new Map<string, TrafficRouter>();
  if (config.nginx) routers.set('nginx', new NginxRouter(config.nginx, logger));
  if (config.kubernetes) for (const router of kubernetesRouters(config.kubernetes, logger)) routers.set(router.kind, router);
  return routers;
}

function incidentPort(incidents: Pick<IncidentService, 'openOrJoin'>): IncidentPort {
  return {
    async openForDeployment(row) {
      const { incident } = await incidents.openOrJoin({
        // One incident per failed deployment, however often the controller retries this.
        groupKey: `deployment:${row.id}`,
        title: `Deployment of ${row.service} ${row.version} failed and was rolled back to ${row.stableVersion}: ${row.reason ?? ''}`.slice(0, 300),
        severity: 'P2',
        service: row.service,
        runbook: { slug: DEFAULT_RUNBOOK, procedureId: ROLLBACK_PROCEDURE },
        alerts: [],
      });
      return incident.id;
    },
  };
}
