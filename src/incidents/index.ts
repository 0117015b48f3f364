import type { Registry } from 'prom-client';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { RunService } from '../runbooks/runs/index.js';
import type { RunbookSource } from './attach.js';
import { Postmortems } from './postmortem.js';
import { incidentRoutes } from './routes.js';
import { IncidentService } from './service.js';
import { DEFAULT_SLA_CHECK_INTERVAL_MS, SlaClock } from './sla.js';
import { IncidentStore } from './store.js';
import { Timeline } from './timeline.js';

export { IncidentService, type OpenOrJoinInput } from './service.js';
export { DEFAULT_RUNBOOK, SLA_DEFAULTS } from './attach.js';
export { INCIDENT_EVENT, Timeline } from './timeline.js';
export { SlaClock } from './sla.js';
export type { Incident, IncidentState, Severity, TimelineEvent } from './schema.js';

export interface IncidentsDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  clock: () => Date;
  runbooks: RunbookSource;
  runs: RunService;
  registry: Registry;
  /** How often the SLA loop checks the clocks; tests call `sla.check()` instead. */
  slaIntervalMs?: number;
}

/** What other domains (alerts) and tests use: `incidents.openOrJoin`, `incidents.alertResolved`. */
export interface IncidentsModule {
  openOrJoin: IncidentService['openOrJoin'];
  alertResolved: IncidentService['alertResolved'];
  incidents: IncidentService;
  timeline: Timeline;
  sla: SlaClock;
  postmortems: Postmortems;
  close(): Promise<void>;
}

export function registerIncidents(app: App, deps: IncidentsDeps): IncidentsModule {
  const { db, bus, logger, clock } = deps;
  const store = new IncidentStore(db.orm);
  const timeline = new Timeline({ store, bus, logger, clock });
  const incidents = new IncidentService({ store, timeline, runbooks: deps.runbooks, bus, logger, clock });
  const postmortems = new Postmortems({ store, timeline });
  const sla = new SlaClock({ store, timeline, clock, logger, registry: deps.registry });
  incidentRoutes(app, { incidents, store, postmortems, runs: deps.runs });
  timeline.listen();
  const loop = sla.start(db, deps.slaIntervalMs ?? DEFAULT_SLA_CHECK_INTERVAL_MS);
  return {
    openOrJoin: (input) => incidents.openOrJoin(input),
    alertResolved: (groupKey, alertId) => incidents.alertResolved(groupKey, alertId),
    incidents,
    timeline,
    sla,
    postmortems,
    async close() {
      await loop.stop();
      await timeline.close();
    },
  };
}
