import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Orm } from '../platform/db/index.js';
import type { IncidentRow } from './incident-store.js';
import { OPEN_STATES } from './schema.js';
import { incidentAlerts, incidents } from './tables.js';
import { fromRawEvent, type EventRow, type RawEvent } from './timeline-store.js';

export interface AlertLink {
  id: string;
  fingerprint: string;
  labels: Record<string, string>;
  summary: string;
}

/**
 * Many groups' alerts join their groups' open incidents in one statement: the
 * link rows, one timeline event per alert (joined, or fired again), the mark
 * of its incident on each joined alert's row, and the open incidents found.
 * Prepared once per connection: it runs in every alert commit that brings new
 * alerts, and is not planned again each time (the link-back UPDATE measured
 * 0.6 ms planning against 0.4 ms running). `$1`: the alerts as a JSON array;
 * `$2`: the time.
 *
 * The alert rows are marked here, through the alerts domain's own
 * `nexus_alerts_link_incidents` (migration 0009), rather than by the alerts
 * service in a statement of its own afterwards: that extra round trip kept
 * every commit bringing new alerts, and the fingerprints it holds, waiting
 * longer, and 100-alert webhooks measured 13–16 % fewer alerts/s with it.
 */
const JOIN_OPEN_SQL = `
  WITH x AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, group_key text, alert_id text, fingerprint text, labels jsonb,
      summary text, joined_text text, refired_text text)
  ), open AS (
    SELECT i.id, i.group_key, i.severity FROM incidents i
    WHERE i.group_key IN (SELECT group_key FROM x) AND i.state IN (${OPEN_STATES.map((state) => `'${state}'`).join(', ')})
  ), linked AS (
    INSERT INTO incident_alerts (incident_id, alert_id, fingerprint, labels, summary, fired_at)
    SELECT open.id, x.alert_id, x.fingerprint, x.labels, x.summary, $2::timestamptz FROM x JOIN open ON open.group_key = x.group_key
    ON CONFLICT (incident_id, alert_id) DO UPDATE SET resolved_at = NULL, fired_at = excluded.fired_at
      WHERE incident_alerts.resolved_at IS NOT NULL
    RETURNING incident_id, alert_id, (xmax = 0) AS inserted
  ), events AS (
    INSERT INTO incident_events (incident_id, kind, actor, summary, data, at)
    SELECT l.incident_id, CASE WHEN l.inserted THEN 'alert.joined' ELSE 'alert.refired' END, 'system',
      CASE WHEN l.inserted THEN x.joined_text ELSE x.refired_text END,
      jsonb_build_object('alertId', x.alert_id, 'fingerprint', x.fingerprint, 'labels', x.labels), $2::timestamptz
    FROM linked l JOIN x ON x.alert_id = l.alert_id
    ORDER BY x.ord
    RETURNING seq, incident_id, kind, actor, summary, data, dedupe_key, at
  ), marked AS (
    SELECT nexus_alerts_link_incidents(coalesce(jsonb_agg(jsonb_build_object('id', x.alert_id, 'incident', open.id)), '[]'))
    FROM x JOIN open ON open.group_key = x.group_key
  )
  SELECT (SELECT coalesce(json_agg(json_build_object('id', id, 'groupKey', group_key, 'severity', severity)), '[]') FROM open) AS open,
    (SELECT coalesce(json_agg(events ORDER BY seq), '[]') FROM events) AS events,
    (SELECT count(*) FROM marked) AS marked`;

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
   * Joins alerts to their groups' open incidents in one statement (a busy
   * receiver's batch): finds the open incident of each group, links the
   * alerts ('new' or 'refired', as in `linkAlerts`) and writes a timeline
   * event for each link that changed, with the text given for that change.
   * Groups with no open incident are left alone (absent from `open`).
   */
  async joinOpen(
    items: Array<{ groupKey: string; alert: AlertLink; joinedText: string; refiredText: string }>,
    at: Date,
  ): Promise<{ open: Array<{ id: string; groupKey: string; severity: string }>; events: EventRow[] }> {
    if (items.length === 0) return { open: [], events: [] };
    const rows = JSON.stringify(
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
    const [row] = await this.db.prepared<{ open: Array<{ id: string; groupKey: string; severity: string }>; events: RawEvent[] }>(
      'nexus_incidents_join_open',
      JOIN_OPEN_SQL,
      [rows, at.toISOString()],
    );
    return { open: row?.open ?? [], events: (row?.events ?? []).map(fromRawEvent) };
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
