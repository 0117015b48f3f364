import { setTimeout as delay } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import type { Clock } from '../platform/clock.js';
import type { AuditService } from '../platform/audit/service.js';
import { namesFrom } from '../platform/audit/targets.js';
import type { Database } from '../platform/db/index.js';
import { runSingleton } from '../platform/jobs/index.js';
import { LinkSigner, type LinkKeySource } from '../platform/signed-links.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { RunService } from '../runbooks/index.js';
import type { NotifyModule } from '../notify/index.js';
import { ackLinkRoutes } from './ack-link-routes.js';
import { AckLinkStore } from './ack-link-store.js';
import { AckLinks } from './ack-links.js';
import { ChangeStore } from './change-store.js';
import { ServiceChanges } from './changes.js';
import type { RunbookSource } from './attach.js';
import { PageStore } from './page-store.js';
import { IncidentHistory } from './history.js';
import { HistoryStore } from './history-store.js';
import { Pager, type EscalationPort } from './paging.js';
import { PagingOutcomes } from './paging-outcome.js';
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

export { IncidentService, type AlertResolution, type OpenOrJoinInput } from './service.js';
export { IncidentHistory } from './history.js';
export type { JoinedOpen, JoinOpenStatement } from './alert-links.js';
export { DEFAULT_RUNBOOK, SLA_DEFAULTS } from './attach.js';
export { INCIDENT_EVENT, Timeline } from './timeline.js';
export { SlaClock } from './sla.js';
export { CHANGE_EVENT_KIND, CHANGE_WINDOW_MINUTES, ServiceChanges } from './changes.js';
export { Pager, type EscalationPort } from './paging.js';
export type { Incident, IncidentDetail, ServiceChange, IncidentState, Postmortem, Severity, TimelineEvent } from './schema.js';

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
  /** Paging and escalation go through the notify domain; an acknowledge link names whom its delivery went to. */
  notify: EscalationPort & Pick<NotifyModule, 'recipient'>;
  /** The key ring: acknowledge links are checked with keys derived from its signing keys (notify signs with the same). */
  keys: LinkKeySource;
  /** The console's address, for links in pages (NEXUS_PUBLIC_URL). */
  publicUrl: string;
  /** How often the clock loop checks SLA clocks and escalations; tests call `sla.check()` / `pager.pageDue()` instead. */
  clockIntervalMs?: number;
  /** An alert firing again this soon after its incident resolved reopens it (NEXUS_ALERT_REOPEN_WINDOW_MINUTES). */
  reopenWindowMinutes: number;
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
  /** What came of each paged level: who was reached, and the next level at once when nobody was. */
  outcomes: PagingOutcomes;
  postmortems: Postmortems;
  /** Deployments of an incident's service around it, heard on the bus. */
  changes: ServiceChanges;
  close(): Promise<void>;
}

export function registerIncidents(app: App, deps: IncidentsDeps): IncidentsModule {
  const { db, bus, logger, clock } = deps;
  const store = new IncidentStore(db.orm);
  const events = new TimelineStore(db.orm);
  const timeline = new Timeline({ store: events, bus, logger, clock });
  const pages = new PageStore(db.orm);
  const pager: Pager = new Pager({ store, pages, timeline, notify: deps.notify, clock, logger, publicUrl: deps.publicUrl, settle: (page) => outcomes.settle(page) });
  const outcomes = new PagingOutcomes({ pages, store, timeline, notify: deps.notify, bus, clock, logger, kick: (id) => pager.kick(id) });
  const links = new AlertLinkStore(db.orm, db);
  const incidents = new IncidentService({
    store,
    pages,
    links,
    events,
    timeline,
    runbooks: deps.runbooks,
    runs: deps.runs,
    bus,
    logger,
    clock,
    pager,
    policies: deps.notify,
    reopenWindowMinutes: deps.reopenWindowMinutes,
  });
  const postmortems = new Postmortems({ store: new PostmortemStore(db.orm), events, timeline, clock });
  const sla = new SlaClock({ store: new SlaStore(db.orm), timeline, clock, logger, registry: deps.registry });
  const history = new IncidentHistory({ history: new HistoryStore(db.orm), incidents: store, pages });
  const changes = new ServiceChanges({ store: new ChangeStore(db.orm), timeline, bus, clock, logger });
  incidentRoutes(app, { incidents, history, postmortems, changes });
  deps.audit.nameTargets('incident', namesFrom(db.orm, incidentsTable.id, incidentsTable.title));
  const signer = new LinkSigner(deps.keys, 'ack-links v1');
  ackLinkRoutes(app, new AckLinks({ signer, store: new AckLinkStore(db.orm), incidents, recipients: deps.notify, clock }));
  timeline.listen();
  changes.listen();
  outcomes.listen();
  const loop = startClockLoop(db, logger, deps.clockIntervalMs ?? DEFAULT_CLOCK_INTERVAL_MS, [
    ['SLA check', () => sla.check()],
    // Outcomes first: a level found to have reached nobody makes the next one due in the same round.
    ['paging outcome pass', () => outcomes.settlePending()],
    ['escalation pass', () => pager.pageDue()],
  ]);
  const module: IncidentsModule = {
    incidents,
    history,
    timeline,
    sla,
    pager,
    outcomes,
    postmortems,
    changes,
    async close() {
      await loop.stop();
      await changes.close();
      await outcomes.close();
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
