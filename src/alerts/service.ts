import type { Counter } from 'prom-client';
import type { OpenOrJoinInput } from '../incidents/index.js';
import type { Clock } from '../platform/clock.js';
import type { EventBus } from '../platform/events/index.js';
import { GroupCommit } from '../platform/group-commit.js';
import type { Logger } from '../platform/logger.js';
import { labelFingerprint, matchesAll } from './matchers.js';
import type { IncomingAlert } from './receive.js';
import { RoutingService } from './routing.js';
import type { Alert, Matcher } from './schema.js';
import type { RoutingSnapshot } from './snapshot.js';
import type { AlertRow, AlertStore, NewAlert, RuleRow, SilenceRow } from './store.js';

/** An alert as committed: what was sent, with the row's id and incident link. */
interface Stored {
  value: NewAlert;
  id: string;
  incidentId: string | null;
}

export const ALERT_RECEIVED_EVENT = 'alert.received';

/**
 * What alerts need of the incidents domain. `NexusApp.incidents` satisfies
 * it; tests of routing alone can pass a recording sink.
 */
export interface IncidentSink {
  openOrJoin(input: OpenOrJoinInput): Promise<{ incident: { id: string }; created: boolean }>;
  /** Joins many groups' alerts to their open incidents at once, and marks the joined alerts' rows with them; the incident id per group key joined. */
  joinOpen(groups: Array<{ groupKey: string; severity: OpenOrJoinInput['severity']; alerts: OpenOrJoinInput['alerts'] }>): Promise<Map<string, string>>;
  alertResolved(groupKey: string, alertId: string): Promise<unknown>;
}

export interface AlertServiceDeps {
  store: AlertStore;
  /** Rules and silences in memory (src/alerts/snapshot.ts). */
  routing: Pick<RoutingSnapshot, 'at'>;
  incidents: IncidentSink;
  logger: Logger;
  clock: Clock;
  received: Counter<'source' | 'status'>;
  /** Consoles refresh their alert lists on `alert.received` (one per group commit). */
  bus: Pick<EventBus, 'publish'>;
  /** Escalation policy id by name (rules name policies); null when there is none of that name. */
  policyId?: (name: string) => Promise<string | null>;
  /** The database runs in this process (PGlite): its statements block the event loop while they run. */
  inProcessDatabase?: boolean;
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

/** An alert as the incident links it. */
function link({ id, value }: Stored): OpenOrJoinInput['alerts'][number] {
  return { id, fingerprint: value.fingerprint, labels: value.labels, summary: value.annotations.summary ?? value.labels.alertname ?? '' };
}

type Severity = OpenOrJoinInput['severity'];

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
type Settled = { rows: Stored[]; incidents: string[] } | { error: unknown };

/** What paging did to the alerts it was given, by fingerprint; and the alert ids it linked, to mark on their rows. */
interface Paged {
  incidentOf: Map<string, string>;
  failed: Map<string, unknown>;
  linked: Map<string, string>;
}

const NOTHING_PAGED: Paged = { incidentOf: new Map(), failed: new Map(), linked: new Map() };

/** One delivery's answer: its rows and incidents (already linked, or linked by this paging), or the paging error. */
function settle(rows: Stored[], paged: Paged): Settled {
  const failure = rows.find((row) => paged.failed.has(row.value.fingerprint));
  if (failure) return { error: paged.failed.get(failure.value.fingerprint) };
  const incidents = new Set<string>();
  for (const row of rows) {
    const id = paged.incidentOf.get(row.value.fingerprint) ?? (row.value.status === 'firing' ? row.incidentId : null);
    if (id) incidents.add(id);
  }
  return { rows, incidents: [...incidents] };
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

/** Receiving: dedup, routing and silences, committed before the sender hears back; then paging. */
export class AlertService {
  /**
   * Deliveries arriving while others are being committed are committed
   * together (src/platform/group-commit.ts): one upsert and one paging pass
   * for all of them. A delivery still hears back only once its own alerts are
   * committed, and one that shares a fingerprint with a delivery in flight
   * waits for it, so the order of an alert's updates is kept.
   */
  private readonly commits: GroupCommit<Delivery, Settled>;

  constructor(private readonly deps: AlertServiceDeps) {
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
    const settled: Settled = routed.length > 0 ? await this.commits.submit({ routed }) : { rows: [], incidents: [] };
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
    };
  }

  /**
   * One `alert.received` per group commit, not per delivery: in an alert
   * storm, consoles hear "alerts changed" once per commit (and refetch once)
   * instead of once per webhook. Ids only: labels and annotations are read
   * through the API, which checks the role.
   */
  private announce(deliveries: number, rows: Stored[], settled: Settled[]): void {
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
   * error (the sender retries them; see `page`).
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
    const paged = await this.page(rows.filter(needsPaging), ruleOf);
    // Marked on the alert rows before anyone hears back: a 200 means the alert reads as paged.
    try {
      await this.deps.store.setIncidents(paged.linked);
    } catch (error) {
      for (const row of rows) if (paged.linked.has(row.id)) paged.failed.set(row.value.fingerprint, error);
    }
    const settled = own.map((mine) => settle(mine, paged));
    // Committed, paged or not: consoles see the alerts either way.
    this.announce(deliveries.length, rows, settled);
    return settled;
  }

  /** A resolved alert that an incident waits for, or a firing one routed, not silenced and not paged yet. */
  private needsPaging(row: Stored, rule: RuleRow | null): boolean {
    // The upsert keeps the link when an alert resolves, and clears it when a resolved alert fires again.
    if (row.value.status === 'resolved') return row.incidentId !== null;
    return rule !== null && !row.value.silencedBy && row.incidentId === null;
  }

  /**
   * After the commit. A failure fails the deliveries it concerns (the sender
   * gets an error and retries); that is safe because an alert with no incident
   * yet is paged on the next delivery and the incidents side ignores a link it
   * already has.
   *
   * Firing alerts of one group that need an incident open or join it in one
   * call; when they route to different rules, the most severe rule's goes
   * first, so it opens the incident (its severity, its runbook) and the others
   * join.
   */
  private async page(rows: Stored[], ruleOf: Map<string, RuleRow | null>): Promise<Paged> {
    const incidentOf = new Map<string, string>();
    const failed = new Map<string, unknown>();
    const toPage = new Map<string, Map<string, Stored[]>>();
    const resolved: Stored[] = [];
    for (const row of rows) {
      if (row.value.status === 'resolved') {
        resolved.push(row);
        continue;
      }
      const rule = ruleOf.get(row.value.fingerprint)!;
      const byRule = toPage.get(row.value.groupKey) ?? new Map<string, Stored[]>();
      toPage.set(row.value.groupKey, byRule);
      const batch = byRule.get(rule.id);
      if (batch) batch.push(row);
      else byRule.set(rule.id, [row]);
    }
    /** Alert id → the incident it opened or joined, for the caller to mark on the alert rows (`joinOpen` marks its own). */
    const linked = new Map<string, string>();
    const paged = (batch: Stored[], incidentId: string, marked: boolean) => {
      for (const row of batch) {
        incidentOf.set(row.value.fingerprint, incidentId);
        if (!marked) linked.set(row.id, incidentId);
      }
    };
    // Firing alerts join first: when a delivery resolves one alert of a group and fires another,
    // the incident must not auto-resolve in between (and a second incident open for the new one).
    const resolveAfter = async () => {
      for (const row of resolved) {
        try {
          await this.deps.incidents.alertResolved(row.value.groupKey, row.id);
        } catch (error) {
          failed.set(row.value.fingerprint, error);
        }
      }
      return { incidentOf, failed, linked };
    };
    if (toPage.size === 0) return resolveAfter();
    const severityOf = (batch: Stored[]) => ruleOf.get(batch[0]!.value.fingerprint)!.severity as Severity;
    // Most groups have their incident open already: join them all at once.
    const groups = [...toPage].map(([groupKey, byRule]) => {
      const batches = [...byRule.values()].sort((a, b) => severityOf(a).localeCompare(severityOf(b)));
      return { groupKey, batches };
    });
    let joined = new Map<string, string>();
    try {
      joined = await this.deps.incidents.joinOpen(
        groups.map(({ groupKey, batches }) => ({ groupKey, severity: severityOf(batches[0]!), alerts: batches.flat().map(link) })),
      );
    } catch (error) {
      for (const row of groups.flatMap((g) => g.batches.flat())) failed.set(row.value.fingerprint, error);
      return resolveAfter();
    }
    for (const { groupKey, batches } of groups) {
      const incidentId = joined.get(groupKey);
      if (incidentId) {
        paged(batches.flat(), incidentId, true);
        continue;
      }
      // No open incident: the most severe rule's alerts open it, the others join.
      for (const batch of batches) {
        try {
          paged(batch, await this.openOrJoin(groupKey, batch, ruleOf.get(batch[0]!.value.fingerprint)!), false);
        } catch (error) {
          for (const row of batch) failed.set(row.value.fingerprint, error);
        }
      }
    }
    return resolveAfter();
  }

  private async openOrJoin(groupKey: string, rows: Stored[], rule: RuleRow): Promise<string> {
    const first = rows[0]!;
    const { incident } = await this.deps.incidents.openOrJoin({
      groupKey,
      title: rule.title ?? first.value.annotations.summary ?? first.value.labels.alertname ?? 'Alert',
      severity: rule.severity as OpenOrJoinInput['severity'],
      service: rule.service ?? first.value.labels.service ?? null,
      category: rule.category === 'security' ? 'security' : null,
      ...(rule.runbookSlug && rule.procedureId ? { runbook: { slug: rule.runbookSlug, procedureId: rule.procedureId } } : {}),
      escalationPolicyId: rule.escalationPolicy ? await this.policy(rule.escalationPolicy) : null,
      alerts: rows.map(link),
    });
    return incident.id;
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

  private async policy(name: string): Promise<string | null> {
    const id = (await this.deps.policyId?.(name)) ?? null;
    if (!id) this.deps.logger.warn({ policy: name }, 'routing rule names an escalation policy that does not exist');
    return id;
  }

  /** Resolves once every delivery received so far is committed and paged (or has failed). */
  drain(): Promise<void> {
    return this.commits.idle();
  }

  list = (...args: Parameters<AlertStore['list']>) => this.deps.store.list(...args);
}
