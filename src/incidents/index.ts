import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import type { Clock } from '../platform/clock.js';
import type { AuditService } from '../platform/audit/service.js';
import { namesFrom } from '../platform/audit/targets.js';
import type { Database } from '../platform/db/index.js';
import { runSingleton } from '../platform/jobs/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { RunService } from '../runbooks/index.js';
import type { RunbookSource } from './attach.js';
import { IncidentHistory } from './history.js';
import { HistoryStore } from './history-store.js';
import { Pager, type EscalationPort } from './paging.js';
import { Postmortems } from './postmortem.js';
import { incidentRoutes } from './routes.js';
import { IncidentService } from './service.js';
import { SlaClock } from './sla.js';
import { AlertLinkStore } from './alert-links.js';
import { IncidentStore } from './incident-store.js';
import { PostmortemStore } from './postmortem-store.js';
import { SlaStore } from './sla-store.js';
import { TimelineStore } from './timeline-store.js';
import { Timeline } from './timeline.js';
import { incidents as incidentsTable } from './tables.js';

export { IncidentService, type OpenOrJoinInput } from './service.js';
export { IncidentHistory } from './history.js';
export type { JoinedOpen, JoinOpenStatement } from './alert-links.js';
export { DEFAULT_RUNBOOK, SLA_DEFAULTS } from './attach.js';
export { INCIDENT_EVENT, Timeline } from './timeline.js';
export { SlaClock } from './sla.js';
export { Pager, type EscalationPort } from './paging.js';
export type { Incident, IncidentState, Postmortem, Severity, TimelineEvent } from './schema.js';

export interface IncidentsDeps {
  db: Database;
  /** The audit log names incidents by their titles. */
  audit: Pick<AuditService, 'nameTargets'>;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  runbooks: RunbookSource;
  runs: RunService;
  registry: Registry;
  /** Paging and escalation go through the notify domain. */
  notify: EscalationPort;
  /** The console's address, for links in pages (NEXUS_PUBLIC_URL). */
  publicUrl: string;
  /** How often the clock loop checks SLA clocks and escalations; tests call `sla.check()` / `pager.pageDue()` instead. */
  clockIntervalMs?: number;
}

export const DEFAULT_CLOCK_INTERVAL_MS = 5000;

/** What other domains and tests use: alerts open, join and resolve incidents through `incidents`. */
export interface IncidentsModule {
  incidents: IncidentService;
  /** Listing and search; the alerts domain asks it which alerts an incident has had. */
  history: IncidentHistory;
  timeline: Timeline;
  sla: SlaClock;
  pager: Pager;
  postmortems: Postmortems;
  close(): Promise<void>;
}

export function registerIncidents(app: App, deps: IncidentsDeps): IncidentsModule {
  const { db, bus, logger, clock } = deps;
  const store = new IncidentStore(db.orm);
  const events = new TimelineStore(db.orm);
  const timeline = new Timeline({ store: events, bus, logger, clock });
  const pager = new Pager({ store, timeline, notify: deps.notify, clock, logger, publicUrl: deps.publicUrl });
  const links = new AlertLinkStore(db.orm, db);
  const incidents = new IncidentService({ store, links, events, timeline, runbooks: deps.runbooks, runs: deps.runs, bus, logger, clock, pager, policies: deps.notify });
  const postmortems = new Postmortems({ store: new PostmortemStore(db.orm), events, timeline, clock });
  const sla = new SlaClock({ store: new SlaStore(db.orm), timeline, clock, logger, registry: deps.registry });
  const history = new IncidentHistory({ history: new HistoryStore(db.orm), incidents: store });
  incidentRoutes(app, { incidents, history, postmortems });
  deps.audit.nameTargets('incident', namesFrom(db.orm, incidentsTable.id, incidentsTable.title));
  timeline.listen();
  const loop = startClockLoop(db, logger, deps.clockIntervalMs ?? DEFAULT_CLOCK_INTERVAL_MS, [
    ['SLA check', () => sla.check()],
    ['escalation pass', () => pager.pageDue()],
  ]);
  const module: IncidentsModule = {
    incidents,
    history,
    timeline,
    sla,
    pager,
    postmortems,
    async close() {
      await loop.stop();
      await pager.idle();
      await timeline.close();
    },
  };
  app.addHook('onClose', async () => module.close());
  return module;
}

/** SLA clocks and escalations, on exactly one replica (advisory lock); another takes over if it dies. */
function startClockLoop(db: Database, logger: Logger, intervalMs: number, passes: Array<[string, () => Promise<unknown>]>) {
  return runSingleton(
    db,
    'incidents.clocks',
    async (signal) => {
      while (!signal.aborted) {
        for (const [name, pass] of passes) await pass().catch((error: unknown) => logger.warn({ err: error }, `${name} failed`));
        await delay(intervalMs, undefined, { signal }).catch(() => {});
      }
    },
    { logger },
  );
}
