import type { Clock } from '../platform/clock.js';
import type { DomainEvent, EventBus } from '../platform/events/index.js';
import type { Logger } from '../platform/logger.js';
import type { ChangeRow, ChangeStore } from './change-store.js';
import type { Incident, ServiceChange } from './schema.js';
import { INCIDENT_EVENT, type Timeline } from './timeline.js';
import { SerialWork } from '../platform/serial-work.js';

/**
 * The deployments domain's bus events, by name: incidents never import
 * deployments (DESIGN.md §3), they hear `deployment.<kind>` with this payload
 * (src/deployments/schema.ts DeploymentBusEvent).
 */
const DEPLOYMENT_PREFIX = 'deployment.';
interface DeploymentNews {
  deploymentId: string;
  service: string;
  version: string;
  stableVersion: string;
  state: string;
  canaryWeight: number;
  event: { seq: number; at: string; kind: string; actor: string; summary: string; data: Record<string, unknown> };
}
/** Deployment states with nothing left to do; any other can still be aborted. */
const FINISHED = new Set(['succeeded', 'aborted', 'failed', 'rolled_back']);
const isNews = (data: unknown): data is DeploymentNews => {
  const d = data as Partial<DeploymentNews> | null;
  return typeof d?.deploymentId === 'string' && typeof d.service === 'string' && typeof d.event?.seq === 'number';
};

/** A deployment this long before an incident opened is still a suspect. */
export const CHANGE_WINDOW_MINUTES = 30;
/** Deployments finished longer ago are forgotten (their timeline entries stay). */
const KEEP_DAYS = 30;
const MINUTE = 60_000;

export const CHANGE_EVENT_KIND = 'change.deployment';

export function toServiceChange(row: ChangeRow): ServiceChange {
  return {
    deploymentId: row.deploymentId,
    service: row.service,
    version: row.version,
    stableVersion: row.stableVersion,
    strategy: row.strategy,
    state: row.state,
    inProgress: row.finishedAt === null,
    weight: row.weight,
    weightAt: row.weightAt.toISOString(),
    summary: row.lastSummary,
    startedAt: row.startedAt.toISOString(),
    at: row.lastAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

function ago(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  return minutes < 1 ? 'less than a minute' : `${minutes} min`;
}

/** "web v1.4.2 reached 25 % canary 4 min before this incident opened". */
export function describeBefore(change: ChangeRow, openedAt: Date): string {
  const what = `${change.service} ${change.version}`;
  if (change.finishedAt === null) {
    const waiting = change.state === 'progressing' ? '' : ` (${change.state.replace('_', ' ')})`;
    return `${what} reached ${change.weight} % ${change.strategy ?? 'deployment'} ${ago(openedAt.getTime() - change.weightAt.getTime())} before this incident opened${waiting}`;
  }
  return `${what} ${change.state.replace('_', ' ')} (${change.weight} % on it) ${ago(openedAt.getTime() - change.finishedAt.getTime())} before this incident opened`;
}

/**
 * Change events for responders: keeps each recent deployment's state as the
 * bus tells it, puts the deployments around an incident on its timeline when
 * it opens, and each deployment step during an open incident of the same
 * service. Every replica hears every event; the upsert and the timeline's
 * dedupe keys make hearing one twice a no-op.
 */
export class ServiceChanges {
  private readonly work = new SerialWork();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: { store: ChangeStore; timeline: Timeline; bus: EventBus; clock: Clock; logger: Logger }) {}

  /** The changes an incident's API view and console header show. */
  async around(incident: Pick<Incident, 'service' | 'triggeredAt' | 'resolvedAt'>): Promise<ServiceChange[]> {
    if (!incident.service) return [];
    const opened = new Date(incident.triggeredAt);
    const until = incident.resolvedAt ? new Date(incident.resolvedAt) : this.deps.clock();
    const rows = await this.deps.store.overlapping(incident.service, new Date(opened.getTime() - CHANGE_WINDOW_MINUTES * MINUTE), until);
    return rows.map(toServiceChange);
  }

  /** Handled one at a time: an incident opening and a deployment step heard together are recorded in order. */
  listen(): void {
    this.unsubscribe = this.deps.bus.subscribe((event) => {
      if (!event.type.startsWith(DEPLOYMENT_PREFIX) && event.type !== INCIDENT_EVENT.created) return;
      this.work.add(
        () => this.hear(event),
        (error) => this.deps.logger.warn({ err: error, type: event.type }, 'could not record a change event'),
      );
    });
  }

  idle(): Promise<void> {
    return this.work.idle();
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
  }

  private async hear(event: DomainEvent): Promise<void> {
    if (event.type === INCIDENT_EVENT.created) await this.incidentOpened(event.data as Incident);
    else if (isNews(event.data)) await this.deploymentNews(event.data);
  }

  private async incidentOpened(incident: Incident): Promise<void> {
    if (!incident.service) return;
    const opened = new Date(incident.triggeredAt);
    const rows = await this.deps.store.overlapping(incident.service, new Date(opened.getTime() - CHANGE_WINDOW_MINUTES * MINUTE), opened);
    for (const row of rows.reverse()) {
      await this.deps.timeline.record(incident.id, {
        kind: CHANGE_EVENT_KIND,
        actor: 'system',
        summary: describeBefore(row, opened),
        data: changeData(row),
        dedupeKey: `${CHANGE_EVENT_KIND}:${incident.id}:${row.deploymentId}:opened`,
      });
    }
  }

  private async deploymentNews(news: DeploymentNews): Promise<void> {
    const at = new Date(news.event.at);
    const finished = FINISHED.has(news.state);
    const strategy = news.event.kind === 'created' && typeof news.event.summary === 'string' ? /^(canary|blue-green) /.exec(news.event.summary)?.[1] : undefined;
    await this.deps.store.upsert({
      deploymentId: news.deploymentId,
      service: news.service,
      version: news.version,
      stableVersion: news.stableVersion,
      strategy: strategy ?? null,
      state: news.state,
      weight: news.canaryWeight,
      weightAt: at,
      lastSeq: news.event.seq,
      lastKind: news.event.kind,
      lastSummary: news.event.summary,
      startedAt: at,
      lastAt: at,
      finishedAt: finished ? at : null,
    });
    if (finished) await this.deps.store.prune(new Date(at.getTime() - KEEP_DAYS * 24 * 60 * MINUTE));
    for (const incidentId of await this.deps.store.openIncidentsOf(news.service)) {
      await this.deps.timeline.record(incidentId, {
        kind: CHANGE_EVENT_KIND,
        actor: news.event.actor,
        summary: `${news.service} ${news.version}: ${news.event.summary}`,
        data: { deploymentId: news.deploymentId, version: news.version, state: news.state, weight: news.canaryWeight, event: news.event.kind, inProgress: !finished },
        dedupeKey: `${CHANGE_EVENT_KIND}:${incidentId}:${news.deploymentId}:${news.event.seq}`,
      });
    }
  }
}

function changeData(row: ChangeRow): Record<string, unknown> {
  return { deploymentId: row.deploymentId, version: row.version, state: row.state, weight: row.weight, weightAt: row.weightAt.toISOString(), inProgress: row.finishedAt === null };
}
