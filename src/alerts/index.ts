import { Counter, type Registry } from 'prom-client';
import type { AuditService } from '../platform/audit/service.js';
import { namesFrom } from '../platform/audit/targets.js';
import type { AlertsConfig } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { App } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import { withTimeout } from '../platform/timeout.js';
import type { IncidentHistory, IncidentService } from '../incidents/index.js';
import type { NotifyModule } from '../notify/index.js';
import { receiverRoutes, ruleRoutes, silenceRoutes } from './routes.js';
import { RoutingService, severityFromLabels } from './routing.js';
import { AlertIntake } from './intake.js';
import { AlertPaging } from './paging.js';
import { SilenceService } from './silences.js';
import { RoutingSnapshot } from './snapshot.js';
import { AlertStore } from './store.js';
import { AlertViews } from './views.js';
import { routingRules } from './tables.js';

export { ALERT_RECEIVED_EVENT, AlertIntake, type ReceiveOutcome } from './intake.js';
export { ALERT_CONFIG_EVENT } from './snapshot.js';
export { RoutingService, defaultRules, severityFromLabels, DEFAULT_ESCALATION_POLICY, DEFAULT_RUNBOOK_SLUG } from './routing.js';
export { labelFingerprint, matches, matchesAll } from './matchers.js';
export type { Alert, RoutingRule, Silence } from './schema.js';

export interface AlertsDeps {
  db: Database;
  /** The audit log names routing rules by their names. */
  audit: Pick<AuditService, 'nameTargets'>;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** Alerts open, join and resolve incidents through the incidents domain's service. */
  incidents: Pick<IncidentService, 'openOrJoin' | 'joinOpen' | 'alertResolved'>;
  /** Which alerts an incident has had, for `GET /api/v1/alerts?incident=`; without it that filter answers 404. */
  history?: Pick<IncidentHistory, 'linkedAlertIds'>;
  registry: Registry;
  /** To turn a rule's escalation policy name into the id incidents store. */
  notify?: Pick<NotifyModule, 'oncall'>;
  /** How an alert's `severity` label maps to a priority, for rules that leave it to the alert. */
  config: Pick<AlertsConfig, 'severityMap' | 'defaultSeverity'>;
}

export interface AlertsModule {
  alerts: AlertIntake;
  views: AlertViews;
  routing: RoutingService;
  silences: SilenceService;
}

const POLICY_CACHE_MS = 30_000;

/**
 * Policy ids by name, remembered for a while: every new alert asks, and the
 * answer changes only when an admin renames or recreates a policy. A name
 * not found is asked again next time (it may have just been created).
 */
function policyLookup(notify: Pick<NotifyModule, 'oncall'>) {
  const known = new Map<string, { id: string; at: number }>();
  return async (name: string): Promise<string | null> => {
    const hit = known.get(name);
    if (hit && Date.now() - hit.at < POLICY_CACHE_MS) return hit.id;
    const id = (await notify.oncall.policyIdByName(name)) ?? null;
    if (id) known.set(name, { id, at: Date.now() });
    else known.delete(name);
    return id;
  };
}

/** How long shutdown waits for alert deliveries already received to commit and page. */
const DRAIN_TIMEOUT_MS = 15_000;

export function registerAlerts(app: App, deps: AlertsDeps): AlertsModule {
  const store = new AlertStore(deps.db.orm, deps.db);
  const received = new Counter({
    name: 'nexus_alerts_received_total',
    help: 'Alerts received, by receiver (alertmanager, generic) and status (firing, resolved)',
    labelNames: ['source', 'status'] as const,
    registers: [deps.registry],
  });
  const snapshot = new RoutingSnapshot(store, deps.bus, deps.clock);
  app.addHook('onClose', async () => snapshot.close());
  const paging = new AlertPaging({
    store,
    incidents: deps.incidents,
    logger: deps.logger.child({ component: 'alerts' }),
    ...(deps.notify ? { policyId: policyLookup(deps.notify) } : {}),
  });
  const alerts = new AlertIntake({
    store,
    routing: snapshot,
    paging,
    clock: deps.clock,
    received,
    bus: deps.bus,
    inProcessDatabase: deps.db.engine === 'pglite',
    severityOf: severityFromLabels(deps.config),
  });
  // Shutdown closes connections after a second's grace, but deliveries already received still
  // commit and page: the database closes only after them (bounded, so a hung one cannot block it).
  app.addHook('onClose', async () => {
    await withTimeout(alerts.drain(), DRAIN_TIMEOUT_MS).catch((error: unknown) =>
      deps.logger.warn({ err: error }, 'alert deliveries still in flight at shutdown'),
    );
  });
  const changed = () => snapshot.changed();
  const routing = new RoutingService(store, changed);
  const silences = new SilenceService(store, deps.clock, changed);
  const views = new AlertViews(store, deps.history);
  const routeDeps = { alerts, views, routing, silences, clock: deps.clock };
  receiverRoutes(app, routeDeps);
  ruleRoutes(app, routeDeps);
  silenceRoutes(app, routeDeps);
  deps.audit.nameTargets('routing_rule', namesFrom(deps.db.orm, routingRules.id, routingRules.name));
  return { alerts, views, routing, silences };
}

/** The seed's symptom rules, on the first start only, or upgraded once where untouched (called from server.ts after the admin bootstrap). */
export async function ensureDefaultRoutes(module: AlertsModule, audit: AuditService): Promise<boolean> {
  const applied = await module.routing.ensureDefaults();
  if (applied) {
    await audit.record({ actor: 'system', action: 'routing_rule.defaults', target: 'routing-rules', outcome: 'success', details: { ...applied } });
  }
  return applied !== null;
}
