import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Orm } from '../platform/db/index.js';
import type { IncidentRow } from './incident-store.js';
import { incidentAlerts, incidents } from './tables.js';
import { fromRawEvent, type EventRow, type RawEvent } from './timeline-store.js';

export interface AlertLink {
  id: string;
  fingerprint: string;
  labels: Record<string, string>;
  summary: string;
}

/** One group's open incident, as the join found it. */
export interface OpenIncident {
  id: string;
  groupKey: string;
  severity: string;
}

/** The row `nexus_incidents_join_open` (migration 0013) answers, as the driver gives it. */
export interface JoinedOpen {
  open_incidents: OpenIncident[];
  joined_events: RawEvent[];
}

/**
 * Runs `nexus_incidents_join_open($1, $2)` and answers its row: alone (the
 * default, `AlertLinkStore.joinOpen`), or inside the statement of a caller that
 * records in the same round trip what the join decided (the alerts domain marks
 * its rows with the function's `alert_incidents`; ADR 0007).
 */
export type JoinOpenStatement = (joining: string, joinedAt: string) => Promise<JoinedOpen | undefined>;

const JOIN_OPEN_SQL = 'SELECT open_incidents, joined_events FROM nexus_incidents_join_open($1::jsonb, $2::timestamptz)';

/** SQL for the alerts linked to each incident: linking, joining open incidents, resolving links. */
export class AlertLinkStore {
  constructor(
    private readonly orm: Orm,
    private readonly db: Pick<Database, 'prepared'>,
  ) {}

  /** The newest incident of the group that this alert is linked to, whatever its state. */
  async byGroupAlert(groupKey: string, alertId: string): Promise<IncidentRow | null> {
    const [row] = await this.orm
      .select({ incident: incidents })
      .from(incidents)
      .innerJoin(incidentAlerts, eq(incidentAlerts.incidentId, incidents.id))
      .where(and(eq(incidents.groupKey, groupKey), eq(incidentAlerts.alertId, alertId)))
      .orderBy(desc(incidents.triggeredAt))
      .limit(1);
    return row?.incident ?? null;
  }

  /**
   * The group's latest incident that is no longer open and that one of these
   * alerts paged into, with that alert: what an alert firing again after its
   * incident resolved reopens, or names.
   */
  async lastEndedOf(groupKey: string, alertIds: string[]): Promise<{ incident: IncidentRow; alertId: string } | null> {
    if (alertIds.length === 0) return null;
    const [row] = await this.orm
      .select({ incident: incidents, alertId: incidentAlerts.alertId })
      .from(incidents)
      .innerJoin(incidentAlerts, eq(incidentAlerts.incidentId, incidents.id))
      .where(and(eq(incidents.groupKey, groupKey), inArray(incidentAlerts.alertId, alertIds), inArray(incidents.state, ['resolved', 'closed'])))
      .orderBy(desc(incidents.resolvedAt), desc(incidents.triggeredAt))
      .limit(1);
    return row ?? null;
  }

  /**
   * Links alerts to an incident in one statement. Returns what changed per alert id: 'new',
   * or 'refired' (the link was resolved and the alert fires again); an alert
   * already linked and firing is left out. `xmax = 0` tells an inserted row
   * from an updated one.
   */
  async linkAlerts(incidentId: string, links: AlertLink[], at: Date): Promise<Map<string, 'new' | 'refired'>> {
    if (links.length === 0) return new Map();
    const rows = links.map((a) => ({ alert_id: a.id, fingerprint: a.fingerprint, labels: a.labels, summary: a.summary }));
    const result = await this.orm.execute(sql`
      INSERT INTO incident_alerts (incident_id, alert_id, fingerprint, labels, summary, fired_at)
      SELECT ${incidentId}::uuid, x.alert_id, x.fingerprint, x.labels, x.summary, ${at.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(alert_id text, fingerprint text, labels jsonb, summary text)
      ON CONFLICT (incident_id, alert_id) DO UPDATE SET resolved_at = NULL, fired_at = excluded.fired_at
        WHERE incident_alerts.resolved_at IS NOT NULL
      RETURNING alert_id, (xmax = 0) AS inserted`);
    // Both drivers (PGlite, node-postgres) answer execute() with `{ rows }`.
    const { rows: changed } = result as unknown as { rows: Array<{ alert_id: string; inserted: boolean }> };
    return new Map(changed.map((r) => [r.alert_id, r.inserted ? 'new' : 'refired'] as const));
  }

  /**
   * Joins alerts to their groups' open incidents in one call (a busy
   * receiver's batch): finds the open incident of each group, links the
   * alerts ('new' or 'refired', as in `linkAlerts`) and writes a timeline
   * event for each link that changed, with the text given for that change.
   * Groups with no open incident are left alone (absent from `open`).
   * `statement` runs the function; by default, alone.
   */
  async joinOpen(
    items: Array<{ groupKey: string; alert: AlertLink; joinedText: string; refiredText: string }>,
    at: Date,
    statement: JoinOpenStatement = (joining, joinedAt) => this.joinOpenAlone(joining, joinedAt),
  ): Promise<{ open: OpenIncident[]; events: EventRow[] }> {
    if (items.length === 0) return { open: [], events: [] };
    const joining = JSON.stringify(
      items.map(({ groupKey, alert: a, joinedText, refiredText }, ord) => ({
        ord,
        group_key: groupKey,
        alert_id: a.id,
        fingerprint: a.fingerprint,
        labels: a.labels,
        summary: a.summary,
        joined_text: joinedText,
        refired_text: refiredText,
      })),
    );
    const row = await statement(joining, at.toISOString());
    return { open: row?.open_incidents ?? [], events: (row?.joined_events ?? []).map(fromRawEvent) };
  }

  private async joinOpenAlone(joining: string, joinedAt: string): Promise<JoinedOpen | undefined> {
    const [row] = await this.db.prepared<JoinedOpen>('nexus_incidents_join_open', JOIN_OPEN_SQL, [joining, joinedAt]);
    return row;
  }

  /** The link's summary when this call resolved it; null when it was resolved already (or never linked). */
  async resolveAlert(incidentId: string, alertId: string, at: Date): Promise<{ summary: string } | null> {
    const [row] = await this.orm
      .update(incidentAlerts)
      .set({ resolvedAt: at })
      .where(and(eq(incidentAlerts.incidentId, incidentId), eq(incidentAlerts.alertId, alertId), isNull(incidentAlerts.resolvedAt)))
      .returning({ summary: incidentAlerts.summary });
    return row ?? null;
  }

  async firingAlerts(incidentId: string): Promise<number> {
    const [row] = await this.orm
      .select({ n: sql<number>`count(*)::int` })
      .from(incidentAlerts)
      .where(and(eq(incidentAlerts.incidentId, incidentId), isNull(incidentAlerts.resolvedAt)));
    return row?.n ?? 0;
  }
}
