import type { Counter } from 'prom-client';
import type { OpenOrJoinInput } from '../incidents/index.js';
import type { EventBus } from '../platform/events/index.js';
import type { Logger } from '../platform/logger.js';

export const ALERT_RECEIVED_EVENT = 'alert.received';
import { labelFingerprint, matchesAll } from './matchers.js';
import type { IncomingAlert } from './receive.js';
import { RoutingService } from './routing.js';
import type { Alert, Matcher } from './schema.js';
import type { RoutingSnapshot } from './snapshot.js';
import type { AlertRow, AlertStore, NewAlert, RuleRow, SilenceRow } from './store.js';

/**
 * What alerts need of the incidents domain. `NexusApp.incidents` satisfies
 * it; tests of routing alone can pass a recording sink.
 */
export interface IncidentSink {
  openOrJoin(input: OpenOrJoinInput): Promise<{ incident: { id: string }; created: boolean }>;
  alertResolved(groupKey: string, alertId: string): Promise<unknown>;
}

export interface AlertServiceDeps {
  store: AlertStore;
  /** Rules and silences in memory (src/alerts/snapshot.ts). */
  routing: Pick<RoutingSnapshot, 'at'>;
  incidents: IncidentSink;
  logger: Logger;
  clock: () => Date;
  received: Counter<'source' | 'status'>;
  /** Consoles refresh their alert lists on `alert.received`. */
  bus: Pick<EventBus, 'publish'>;
  /** Escalation policy id by name (rules name policies); null when there is none of that name. */
  policyId?: (name: string) => Promise<string | null>;
}

export interface ReceiveOutcome {
  received: number;
  firing: number;
  resolved: number;
  silenced: number;
  incidents: string[];
}

interface Routed {
  value: NewAlert;
  rule: RuleRow | null;
}

export function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    source: row.source,
    status: row.status as Alert['status'],
    labels: row.labels,
    annotations: row.annotations,
    groupKey: row.groupKey,
    severity: (row.severity as Alert['severity']) ?? null,
    ruleId: row.ruleId,
    silencedBy: row.silencedBy,
    incidentId: row.incidentId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    generatorURL: row.generatorUrl,
    count: row.receiveCount,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** A generic alert without a groupKey groups by the rule that routed it and its alertname + service. */
function groupKeyOf(alert: IncomingAlert, rule: RuleRow | null): string {
  if (alert.groupKey) return alert.groupKey;
  const { alertname = '', service = '' } = alert.labels;
  return `rule:${rule?.id ?? 'none'}:${labelFingerprint({ alertname, service })}`;
}

/** Receiving: dedup, routing and silences, committed before the sender hears back; then paging. */
export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  async receive(incoming: IncomingAlert[]): Promise<ReceiveOutcome> {
    const { store, clock } = this.deps;
    const now = clock();
    const { rules, silences } = await this.deps.routing.at(now);
    const routed = this.route(incoming, rules, silences, now);
    const rows = await store.upsert(routed.map((r) => r.value));
    for (const a of incoming) this.deps.received.inc({ source: a.source, status: a.status });
    const ruleById = new Map(routed.map((r) => [r.value.fingerprint, r.rule]));
    const incidents = new Set<string>();
    /** Alerts paged by this payload, by incident: linked back in one update per incident. */
    const newlyLinked = new Map<string, string[]>();
    for (const row of rows) {
      const id = await this.page(row, ruleById.get(row.fingerprint) ?? null);
      if (!id) continue;
      incidents.add(id);
      if (row.incidentId !== id) newlyLinked.set(id, [...(newlyLinked.get(id) ?? []), row.id]);
    }
    for (const [incidentId, ids] of newlyLinked) await store.setIncident(ids, incidentId);
    const outcome: ReceiveOutcome = {
      received: incoming.length,
      firing: incoming.filter((a) => a.status === 'firing').length,
      resolved: incoming.filter((a) => a.status === 'resolved').length,
      silenced: rows.filter((r) => r.silencedBy !== null).length,
      incidents: [...incidents],
    };
    // Ids only: labels and annotations are read through the API, which checks the role.
    this.deps.bus.publish(ALERT_RECEIVED_EVENT, { ...outcome, alertIds: rows.map((r) => r.id) }, { minRole: 'viewer' });
    return outcome;
  }

  /**
   * One row per fingerprint: a payload may repeat one (a generic batch), and a
   * multi-row upsert cannot touch a row twice, so the last copy wins and the
   * count says how many arrived.
   */
  private route(incoming: IncomingAlert[], rules: RuleRow[], silences: SilenceRow[], now: Date): Routed[] {
    const byFingerprint = new Map<string, Routed>();
    for (const alert of incoming) {
      const rule = RoutingService.route(rules, alert.labels);
      const silence = silences.find((s) => matchesAll(s.matchers as Matcher[], alert.labels)) ?? null;
      const count = (byFingerprint.get(alert.fingerprint)?.value.receiveCount ?? 0) + 1;
      byFingerprint.set(alert.fingerprint, {
        rule,
        value: {
          fingerprint: alert.fingerprint,
          source: alert.source,
          status: alert.status,
          labels: alert.labels,
          annotations: alert.annotations,
          groupKey: groupKeyOf(alert, rule),
          severity: rule?.severity ?? null,
          ruleId: rule?.id ?? null,
          silencedBy: alert.status === 'firing' ? (silence?.id ?? null) : null,
          startsAt: alert.startsAt,
          endsAt: alert.endsAt,
          generatorUrl: alert.generatorUrl,
          receiveCount: count,
          firstSeenAt: now,
          lastSeenAt: now,
          resolvedAt: alert.status === 'resolved' ? (alert.endsAt ?? now) : null,
        },
      });
    }
    return [...byFingerprint.values()];
  }

  /**
   * After the commit. A failure here propagates (the sender gets an error and
   * retries); that is safe because an alert with no incident yet is paged on
   * the next delivery and the incidents side ignores a link it already has.
   */
  private async page(row: AlertRow, rule: RuleRow | null): Promise<string | null> {
    if (row.status === 'resolved') {
      // The upsert keeps the link when an alert resolves, so the row says whether an incident waits for it.
      if (row.incidentId) await this.deps.incidents.alertResolved(row.groupKey, row.id);
      return null;
    }
    // Already paged (the upsert clears the link when a resolved alert fires again).
    if (!rule || row.silencedBy || row.incidentId) return row.incidentId;
    const { incident } = await this.deps.incidents.openOrJoin({
      groupKey: row.groupKey,
      title: rule.title ?? row.annotations.summary ?? row.labels.alertname ?? 'Alert',
      severity: rule.severity as OpenOrJoinInput['severity'],
      service: rule.service ?? row.labels.service ?? null,
      category: rule.category === 'security' ? 'security' : null,
      ...(rule.runbookSlug && rule.procedureId ? { runbook: { slug: rule.runbookSlug, procedureId: rule.procedureId } } : {}),
      escalationPolicyId: rule.escalationPolicy ? await this.policy(rule.escalationPolicy) : null,
      alert: { id: row.id, fingerprint: row.fingerprint, labels: row.labels, summary: row.annotations.summary ?? row.labels.alertname ?? '' },
    });
    return incident.id;
  }

  private async policy(name: string): Promise<string | null> {
    const id = (await this.deps.policyId?.(name)) ?? null;
    if (!id) this.deps.logger.warn({ policy: name }, 'routing rule names an escalation policy that does not exist');
    return id;
  }

  list = (...args: Parameters<AlertStore['list']>) => this.deps.store.list(...args);
}
