import type { IncidentService, OpenOrJoinInput } from '../incidents/index.js';
import type { Logger } from '../platform/logger.js';
import type { AlertStore, NewAlert, RuleRow } from './store.js';

/** An alert as committed: what was sent, with the row's id and incident link. */
export interface Stored {
  value: NewAlert;
  id: string;
  incidentId: string | null;
}

/** An incident a resolved alert resolved (its last firing one). */
export interface ResolvedIncident {
  id: string;
  title: string;
}

/** What paging did to the alerts it was given, by fingerprint. */
export interface Paged {
  incidentOf: Map<string, string>;
  /** Resolved alerts whose resolution resolved their incident. */
  resolvedBy: Map<string, ResolvedIncident>;
  failed: Map<string, unknown>;
}

export const NOTHING_PAGED: Paged = { incidentOf: new Map(), resolvedBy: new Map(), failed: new Map() };

/** How an incident opened by an alert is titled when its rule gives no title: what the alert says of itself. */
export function alertTitle(value: Pick<NewAlert, 'labels' | 'annotations'>): string {
  const summary = value.annotations.summary?.trim();
  const { alertname, service } = value.labels;
  const title = summary || (alertname && service ? `${alertname} on ${service}` : alertname || 'Alert');
  // The incident schema's bound; annotations may be longer.
  return title.length > 300 ? `${title.slice(0, 299)}…` : title;
}

type Severity = OpenOrJoinInput['severity'];

export interface AlertPagingDeps {
  store: Pick<AlertStore, 'setIncidents' | 'joinOpenAndMark'>;
  /** The incidents domain's service: alerts open, join and resolve incidents through it. */
  incidents: Pick<IncidentService, 'openOrJoin' | 'joinOpen' | 'alertResolved'>;
  logger: Logger;
  /** Escalation policy id by name (rules name policies); null when there is none of that name. */
  policyId?: (name: string) => Promise<string | null>;
}

/** Batches of one group: one per rule and severity, since a rule may leave the severity to each alert. */
const batchKey = (rule: RuleRow, value: NewAlert) => `${rule.id}\u0000${value.severity ?? ''}`;

/** An alert as the incident links it. */
function link({ id, value }: Stored): OpenOrJoinInput['alerts'][number] {
  return { id, fingerprint: value.fingerprint, labels: value.labels, summary: value.annotations.summary ?? value.labels.alertname ?? '' };
}

/** Paging committed alerts: they open, join or resolve their group's incident, and their rows are marked with it. */
export class AlertPaging {
  constructor(private readonly deps: AlertPagingDeps) {}

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
   *
   * The alerts are marked on their rows before this returns: a 200 means the
   * alert reads as paged.
   */
  async page(rows: Stored[], ruleOf: Map<string, RuleRow | null>): Promise<Paged> {
    const incidentOf = new Map<string, string>();
    const resolvedBy = new Map<string, ResolvedIncident>();
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
      const key = batchKey(rule, row.value);
      const batch = byRule.get(key);
      if (batch) batch.push(row);
      else byRule.set(key, [row]);
    }
    /** Alert id → the incident it opened, or joined through `openOrJoin`, to mark on its row (the join statement marks its own). */
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
          const outcome = await this.deps.incidents.alertResolved(row.value.groupKey, row.id);
          if (outcome?.resolved) resolvedBy.set(row.value.fingerprint, { id: outcome.incident.id, title: outcome.incident.title });
        } catch (error) {
          failed.set(row.value.fingerprint, error);
        }
      }
      await this.mark(linked, rows, failed);
      return { incidentOf, resolvedBy, failed };
    };
    if (toPage.size === 0) return resolveAfter();
    // Routing gave each firing alert routed a severity: its rule's, or its own.
    const severityOf = (batch: Stored[]) => batch[0]!.value.severity as Severity;
    // Most groups have their incident open already: join them all at once.
    const groups = [...toPage].map(([groupKey, byRule]) => {
      const batches = [...byRule.values()].sort((a, b) => severityOf(a).localeCompare(severityOf(b)));
      return { groupKey, batches };
    });
    let joined = new Map<string, string>();
    try {
      // The join and the mark of the joined alerts' rows go in one statement: ours (ADR 0007).
      joined = await this.deps.incidents.joinOpen(
        groups.map(({ groupKey, batches }) => ({ groupKey, severity: severityOf(batches[0]!), alerts: batches.flat().map(link) })),
        (joining, joinedAt) => this.deps.store.joinOpenAndMark(joining, joinedAt),
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
          paged(batch, await this.openOrJoin(groupKey, batch, ruleOf.get(batch[0]!.value.fingerprint)!, severityOf(batch)), false);
        } catch (error) {
          for (const row of batch) failed.set(row.value.fingerprint, error);
        }
      }
    }
    return resolveAfter();
  }

  /** Marks alerts with the incidents they opened or joined; a failure fails their deliveries. */
  private async mark(linked: Map<string, string>, rows: Stored[], failed: Map<string, unknown>): Promise<void> {
    try {
      await this.deps.store.setIncidents(linked);
    } catch (error) {
      for (const row of rows) if (linked.has(row.id)) failed.set(row.value.fingerprint, error);
    }
  }

  private async openOrJoin(groupKey: string, rows: Stored[], rule: RuleRow, severity: Severity): Promise<string> {
    const first = rows[0]!;
    const { incident } = await this.deps.incidents.openOrJoin({
      groupKey,
      title: rule.title ?? alertTitle(first.value),
      severity,
      service: rule.service ?? first.value.labels.service ?? null,
      category: rule.category === 'security' ? 'security' : null,
      ...(rule.runbookSlug && rule.procedureId ? { runbook: { slug: rule.runbookSlug, procedureId: rule.procedureId } } : {}),
      escalationPolicyId: rule.escalationPolicy ? await this.policy(rule.escalationPolicy) : null,
      alerts: rows.map(link),
    });
    return incident.id;
  }

  private async policy(name: string): Promise<string | null> {
    const id = (await this.deps.policyId?.(name)) ?? null;
    if (!id) this.deps.logger.warn({ policy: name }, 'routing rule names an escalation policy that does not exist');
    return id;
  }
}
