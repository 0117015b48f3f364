import type { Counter } from 'prom-client';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/index.js';
import { GroupCommit } from '../platform/group-commit.js';
import { labelFingerprint, matchesAll, type Labels } from './matchers.js';
import { NOTHING_PAGED, type AlertPaging, type Paged, type ResolvedIncident, type Stored } from './paging.js';
import type { IncomingAlert } from './receive.js';
import { RoutingService } from './routing.js';
import type { Matcher } from './schema.js';
import type { RoutingSnapshot } from './snapshot.js';
import type { AlertStore, NewAlert, RuleRow, SilenceRow } from './store.js';

export const ALERT_RECEIVED_EVENT = 'alert.received';

export interface AlertIntakeDeps {
  store: Pick<AlertStore, 'upsert'>;
  /** Rules and silences in memory (src/alerts/snapshot.ts). */
  routing: Pick<RoutingSnapshot, 'at'>;
  /** Opens, joins and resolves incidents for the alerts that need it, after their commit. */
  paging: Pick<AlertPaging, 'page'>;
  clock: Clock;
  received: Counter<'source' | 'status'>;
  /** Consoles refresh their alert lists on `alert.received` (one per group commit). */
  bus: Pick<EventBus, 'publish'>;
  /** The database runs in this process (PGlite): its statements block the event loop while they run. */
  inProcessDatabase?: boolean;
  /** The priority an alert states itself (its `severity` label), for rules that leave it to the alert. */
  severityOf: (labels: Labels) => string;
}

export interface ReceiveOutcome {
  received: number;
  firing: number;
  resolved: number;
  silenced: number;
  incidents: string[];
  /** Incidents this delivery's resolved alerts resolved. */
  resolvedIncidents: ResolvedIncident[];
}

interface Routed {
  value: NewAlert;
  rule: RuleRow | null;
}

/** A generic alert without a groupKey groups by the rule that routed it and its alertname + service. */
function groupKeyOf(alert: IncomingAlert, rule: RuleRow | null): string {
  if (alert.groupKey) return alert.groupKey;
  const { alertname = '', service = '' } = alert.labels;
  return `rule:${rule?.id ?? 'none'}:${labelFingerprint({ alertname, service })}`;
}

/** One receiver call: its alerts as routed, one per fingerprint. */
interface Delivery {
  routed: Routed[];
}

/** What a group commit gives each delivery: its rows and incidents, or why paging failed for it. */
type Settled = { rows: Stored[]; incidents: string[]; resolvedIncidents: ResolvedIncident[] } | { error: unknown };

/** One delivery's answer: its rows and incidents (already linked, or linked by this paging), or the paging error. */
function settle(rows: Stored[], paged: Paged): Settled {
  const failure = rows.find((row) => paged.failed.has(row.value.fingerprint));
  if (failure) return { error: paged.failed.get(failure.value.fingerprint) };
  const incidents = new Set<string>();
  const resolved = new Map<string, ResolvedIncident>();
  for (const row of rows) {
    const id = paged.incidentOf.get(row.value.fingerprint) ?? (row.value.status === 'firing' ? row.incidentId : null);
    if (id) incidents.add(id);
    const closed = paged.resolvedBy.get(row.value.fingerprint);
    if (closed) resolved.set(closed.id, closed);
  }
  return { rows, incidents: [...incidents], resolvedIncidents: [...resolved.values()] };
}

/** Concurrent deliveries share one upsert; a group of up to this many alerts goes in one statement. */
const GROUP_MAX_ALERTS = 5000;
/** Groups in flight at once: one upserting while the previous one pages keeps both busy. */
const GROUP_CONCURRENCY = 2;
/**
 * …but only once a webhook's worth of alerts waits. Single-alert webhooks
 * otherwise went in two small groups, and PostgreSQL's cost per statement
 * dominated: waiting for the running group makes fewer, larger groups and
 * more alerts/s (docs/benchmarks/2026-11-27-alerts.md), while 100-alert
 * webhooks still overlap.
 */
const GROUP_OVERLAP_ALERTS = 100;

/** Receiving: dedup, routing and silences, committed before the sender hears back; then paging (paging.ts). */
export class AlertIntake {
  /**
   * Deliveries arriving while others are being committed are committed
   * together (src/platform/group-commit.ts): one upsert and one paging pass
   * for all of them. A delivery still hears back only once its own alerts are
   * committed, and one that shares a fingerprint with a delivery in flight
   * waits for it, so the order of an alert's updates is kept.
   */
  private readonly commits: GroupCommit<Delivery, Settled>;

  constructor(private readonly deps: AlertIntakeDeps) {
    this.commits = new GroupCommit<Delivery, Settled>({
      run: (deliveries, answer) => this.commit(deliveries, answer),
      concurrency: GROUP_CONCURRENCY,
      overlapWeight: GROUP_OVERLAP_ALERTS,
      maxWeight: GROUP_MAX_ALERTS,
      weight: (delivery) => delivery.routed.length,
      keys: (delivery) => delivery.routed.map((r) => r.value.fingerprint),
      gatherReads: deps.inProcessDatabase === true,
    });
  }

  /** `now`: the receipt time the alerts were read with (an alert without a start started then). */
  async receive(incoming: IncomingAlert[], now: Date = this.deps.clock()): Promise<ReceiveOutcome> {
    const { rules, silences } = await this.deps.routing.at(now);
    const routed = this.route(incoming, rules, silences, now);
    const settled: Settled = routed.length > 0 ? await this.commits.submit({ routed }) : { rows: [], incidents: [], resolvedIncidents: [] };
    if ('error' in settled) throw settled.error;
    // Counted per delivery, not per alert: a labelled counter hashes its labels on every inc.
    let firing = 0;
    for (const a of incoming) if (a.status === 'firing') firing += 1;
    const source = incoming[0]?.source;
    if (source !== undefined && incoming.every((a) => a.source === source)) {
      if (firing > 0) this.deps.received.inc({ source, status: 'firing' }, firing);
      if (incoming.length > firing) this.deps.received.inc({ source, status: 'resolved' }, incoming.length - firing);
    } else for (const a of incoming) this.deps.received.inc({ source: a.source, status: a.status });
    return {
      received: incoming.length,
      firing,
      resolved: incoming.length - firing,
      silenced: settled.rows.filter((r) => r.value.silencedBy).length,
      incidents: settled.incidents,
      resolvedIncidents: settled.resolvedIncidents,
    };
  }

  /**
   * One `alert.received` per group commit, not per delivery: in an alert
   * storm, consoles hear "alerts changed" once per commit (and refetch once)
   * instead of once per webhook. Ids only: labels and annotations are read
   * through the API, which checks the role.
   */
  private publishReceived(deliveries: number, rows: Stored[], settled: Settled[]): void {
    const incidents = new Set<string>();
    for (const s of settled) if ('incidents' in s) for (const id of s.incidents) incidents.add(id);
    let firing = 0;
    let silenced = 0;
    for (const row of rows) {
      if (row.value.status === 'firing') firing += 1;
      if (row.value.silencedBy) silenced += 1;
    }
    const data = { deliveries, received: rows.length, firing, resolved: rows.length - firing, silenced, incidents: [...incidents], alertIds: rows.map((r) => r.id) };
    this.deps.bus.publish(ALERT_RECEIVED_EVENT, data, { minRole: 'viewer' });
  }

  /**
   * One group: the upsert (one statement, so the whole group commits or none
   * of it does, and GroupCommit retries each delivery alone if it fails), then
   * paging. Paging errors do not throw: the alerts are committed by then, so
   * only the deliveries whose alerts failed to page are answered with the
   * error (the sender retries them; see `AlertPaging.page`).
   */
  private async commit(deliveries: Delivery[], answer: (index: number, settled: Settled) => void): Promise<Settled[]> {
    const sent = deliveries.flatMap((d) => d.routed.map((r) => r.value));
    const upserted = new Map((await this.deps.store.upsert(sent)).map((u) => [u.fingerprint, u]));
    // No spread: copying every column of every alert again is a measurable share of a batch.
    const rows: Stored[] = sent.map((value) => {
      const { id, incidentId } = upserted.get(value.fingerprint)!;
      return { value, id, incidentId };
    });
    const rowOf = new Map(rows.map((row) => [row.value.fingerprint, row]));
    const ruleOf = new Map(deliveries.flatMap((d) => d.routed.map((r) => [r.value.fingerprint, r.rule] as const)));
    const own = deliveries.map((delivery) => delivery.routed.map((r) => rowOf.get(r.value.fingerprint)!));
    const needsPaging = (row: Stored) => this.needsPaging(row, ruleOf.get(row.value.fingerprint) ?? null);
    // Most deliveries only repeat alerts already paged: they hear back now, not after the others' paging.
    own.forEach((mine, i) => {
      if (!mine.some(needsPaging)) answer(i, settle(mine, NOTHING_PAGED));
    });
    const paged = await this.deps.paging.page(rows.filter(needsPaging), ruleOf);
    const settled = own.map((mine) => settle(mine, paged));
    // Committed, paged or not: consoles see the alerts either way.
    this.publishReceived(deliveries.length, rows, settled);
    return settled;
  }

  /** A resolved alert that an incident waits for, or a firing one routed, not silenced and not paged yet. */
  private needsPaging(row: Stored, rule: RuleRow | null): boolean {
    // The upsert keeps the link when an alert resolves, and clears it when a resolved alert fires again.
    if (row.value.status === 'resolved') return row.incidentId !== null;
    return rule !== null && !row.value.silencedBy && row.incidentId === null;
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
          // A rule without a severity leaves it to the alert (its `severity` label, mapped).
          severity: rule ? (rule.severity ?? this.deps.severityOf(alert.labels)) : null,
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

  /** Resolves once every delivery received so far is committed and paged (or has failed). */
  drain(): Promise<void> {
    return this.commits.idle();
  }
}
