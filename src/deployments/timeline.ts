import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/index.js';
import type { DeploymentBusEvent, DeploymentState } from './schema.js';
import type { DeploymentRow, DeploymentStore } from './store.js';
import { toEvent } from './views.js';

/** Bus events are `deployment.<kind>` (deployment.traffic, deployment.step, …); incidents and consoles listen to the prefix. */
export const DEPLOYMENT_EVENT_PREFIX = 'deployment.';
export const CONTROLLER_ACTOR = 'deployments-controller';

/** Writes an event on the deployment's timeline and publishes it on the bus, with the deployment as it is now. */
export class DeploymentTimeline {
  constructor(private readonly deps: { store: Pick<DeploymentStore, 'addEvent'>; bus: EventBus; clock: Clock }) {}

  async record(row: DeploymentRow, kind: string, actor: string, summary: string, data: Record<string, unknown> = {}): Promise<void> {
    const event = await this.deps.store.addEvent({ deploymentId: row.id, kind, actor, summary, data, at: this.deps.clock() });
    const payload: DeploymentBusEvent = {
      deploymentId: row.id,
      service: row.service,
      version: row.version,
      stableVersion: row.stableVersion,
      state: row.state as DeploymentState,
      canaryWeight: row.canaryWeight,
      event: toEvent(event),
    };
    this.deps.bus.publish(`${DEPLOYMENT_EVENT_PREFIX}${kind}`, payload);
  }
}
