import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Orm } from '../platform/db/index.js';
import { OPEN_STATES, type IncidentState, type Severity } from './schema.js';
import { users } from '../platform/auth/tables.js';
import { incidentAlerts, incidentEvents, incidentPostmortems, incidents, incidentSlaBreaches, LATE_STOP } from './tables.js';

export type IncidentRow = typeof incidents.$inferSelect;
export type NewIncident = typeof incidents.$inferInsert;
export type IncidentPatch = Partial<Omit<NewIncident, 'id'>>;
export type EventRow = typeof incidentEvents.$inferSelect;
export type NewEvent = typeof incidentEvents.$inferInsert;
export type PostmortemRow = typeof incidentPostmortems.$inferSelect;

export interface AlertLink {
  id: string;
  fingerprint: string;
  labels: Record<string, string>;
  summary: string;
}

interface RawEvent {
  seq: number | string;
  incident_id: string;
  kind: string;
  actor: string;
  summary: string;
  data: unknown;
  dedupe_key: string | null;
  at: Date | string;
}

function fromRawEvent(r: RawEvent): EventRow {
  return { seq: Number(r.seq), incidentId: r.incident_id, kind: r.kind, actor: r.actor, summary: r.summary, data: r.data, dedupeKey: r.dedupe_key, at: r.at instanceof Date ? r.at : new Date(r.at) };
}

export type SlaKind = 'ack' | 'resolve';
export interface DueBreach {
  incidentId: string;
  severity: string;
  kind: SlaKind;
  dueAt: Date;
}

/** At most this many breaches per check; the rest wait for the next one. */
export const DUE_BREACHES_LIMIT = 500;

/**
 * Many groups' alerts join their groups' open incidents in one statement: the
 * link rows, one timeline event per alert (joined, or fired again), the mark
 * of its incident on each joined alert's row, and the open incidents found.
 * Prepared once per connection: it runs in every alert commit that brings new
 * alerts, and is not planned again each time (planning the link-back UPDATE
 * cost more than running it: docs/benchmarks/2026-11-27-alerts.md). `$1`: the alerts as a JSON array;
 * `$2`: the time.
 *
 * The alert rows are marked here, through the alerts domain's own
 * `nexus_alerts_link_incidents` (migration 0009), rather than by the alerts
 * service in a statement of its own afterwards: that extra round trip kept
 * every commit bringing new alerts, and the fingerprints it holds, waiting
 * longer, and cost 100-alert webhooks throughput (docs/benchmarks/2026-11-27-alerts.md).
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

/** SQL for incidents, their alerts, timeline, SLA breaches and post-mortems; rules live in the services. */
export class IncidentStore {
  constructor(
    private readonly orm: Orm,
    private readonly db: Pick<Database, 'prepared'>,
  ) {}

  async insert(values: NewIncident): Promise<IncidentRow> {
    const [row] = await this.orm.insert(incidents).values(values).returning();
    return row!;
  }

  async get(id: string): Promise<IncidentRow | null> {
    const [row] = await this.orm.select().from(incidents).where(eq(incidents.id, id));
    return row ?? null;
  }

  /** Which of these user ids exist. */
  async existingUsers(ids: string[]): Promise<Set<string>> {
    const rows = await this.orm.select({ id: users.id }).from(users).where(inArray(users.id, ids));
    return new Set(rows.map((row) => row.id));
  }

  async openByGroup(groupKey: string): Promise<IncidentRow | null> {
    const [row] = await this.orm
      .select()
      .from(incidents)
      .where(and(eq(incidents.groupKey, groupKey), inArray(incidents.state, [...OPEN_STATES])));
    return row ?? null;
  }

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

  async list(filter: { state?: IncidentState | undefined; severity?: Severity | undefined; before?: [string, string] | null }, limit: number) {
    const conditions: SQL[] = [];
    if (filter.state) conditions.push(eq(incidents.state, filter.state));
    if (filter.severity) conditions.push(eq(incidents.severity, filter.severity));
    if (filter.before) {
      const [createdAt, id] = filter.before;
      const when = new Date(createdAt);
      conditions.push(or(lt(incidents.createdAt, when), and(eq(incidents.createdAt, when), lt(incidents.id, id)))!);
    }
    return this.orm
      .select()
      .from(incidents)
      .where(and(...conditions))
      .orderBy(desc(incidents.createdAt), desc(incidents.id))
      .limit(limit);
  }

  /** Updates only while the incident is in one of `from` (when given): the transition's compare-and-set. */
  async update(id: string, patch: IncidentPatch, from?: readonly IncidentState[]): Promise<IncidentRow | null> {
    const where = from ? and(eq(incidents.id, id), inArray(incidents.state, [...from])) : eq(incidents.id, id);
    const [row] = await this.orm.update(incidents).set(patch).where(where).returning();
    return row ?? null;
  }

  /** Incidents with a level to page by `now`: still unacknowledged, oldest due first. */
  async duePages(now: Date, limit: number): Promise<IncidentRow[]> {
    return this.orm
      .select()
      .from(incidents)
      .where(and(eq(incidents.state, 'triggered'), lte(incidents.nextPageAt, now)))
      .orderBy(asc(incidents.nextPageAt))
      .limit(limit);
  }

  /**
   * Moves the pager's bookmark, unless someone moved it since `seen` was read
   * (a reopen or a severity change asks for a fresh look; that must win).
   */
  async setNextPage(id: string, next: Date | null, seen: Date | null): Promise<boolean> {
    const unchanged = seen === null ? isNull(incidents.nextPageAt) : eq(incidents.nextPageAt, seen);
    const rows = await this.orm.update(incidents).set({ nextPageAt: next }).where(and(eq(incidents.id, id), unchanged)).returning({ id: incidents.id });
    return rows.length > 0;
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

  /** null when the dedupe key was already recorded. */
  async addEvent(event: NewEvent): Promise<EventRow | null> {
    const [row] = await this.orm.insert(incidentEvents).values(event).onConflictDoNothing().returning();
    return row ?? null;
  }

  /**
   * Several events in one statement, in the given order (their seq follows
   * it). The rows travel as one JSON parameter: a query builder spends more
   * time on a multi-row insert than the database does.
   */
  async addEvents(events: NewEvent[]): Promise<EventRow[]> {
    if (events.length === 0) return [];
    const rows = JSON.stringify(
      events.map((e, i) => ({ i, incident_id: e.incidentId, kind: e.kind, actor: e.actor, summary: e.summary, data: e.data ?? {}, dedupe_key: e.dedupeKey ?? null, at: (e.at ?? new Date()).toISOString() })),
    );
    const result = await this.orm.execute(sql`
      INSERT INTO incident_events (incident_id, kind, actor, summary, data, dedupe_key, at)
      SELECT incident_id, kind, actor, summary, data, dedupe_key, at
      FROM jsonb_to_recordset(${rows}::jsonb) AS x(i int, incident_id uuid, kind text, actor text, summary text, data jsonb, dedupe_key text, at timestamptz)
      ORDER BY i
      ON CONFLICT DO NOTHING
      RETURNING seq, incident_id, kind, actor, summary, data, dedupe_key, at`);
    // Both drivers (PGlite, node-postgres) answer execute() with `{ rows }`.
    const { rows: inserted } = result as unknown as { rows: RawEvent[] };
    return inserted.map(fromRawEvent).sort((a, b) => a.seq - b.seq);
  }

  async events(incidentId: string, afterSeq: number, limit: number): Promise<EventRow[]> {
    return this.orm
      .select()
      .from(incidentEvents)
      .where(and(eq(incidentEvents.incidentId, incidentId), gt(incidentEvents.seq, afterSeq)))
      .orderBy(asc(incidentEvents.seq))
      .limit(limit);
  }

  async hasEvent(dedupeKey: string): Promise<boolean> {
    const [row] = await this.orm.select({ seq: incidentEvents.seq }).from(incidentEvents).where(eq(incidentEvents.dedupeKey, dedupeKey));
    return row !== undefined;
  }

  /**
   * Clocks past due and not yet recorded. A late ack or resolve is still a
   * breach, even if no check ran between the due time and the action.
   *
   * Only rows that can still breach are read, each branch through its partial
   * index (tables.ts): open ack clocks, open resolve clocks, and clocks that
   * stopped late, of those changed since `lateStopsSince` (null: all of them,
   * once per process). Closed history is never scanned. The ack clock stops at
   * the acknowledgement or, failing one, at the resolve. A breach belongs to
   * the current clock when its due time is not before the clock's start, so a
   * reopened incident's new clock can breach again while a severity change
   * (same start, new due time) cannot breach the same clock twice.
   */
  async dueBreaches(now: Date, lateStopsSince: Date | null): Promise<DueBreach[]> {
    const at = sql`${now.toISOString()}::timestamptz`;
    const ackStart = sql`i.ack_due_at - i.response_minutes * interval '1 minute'`;
    const resolveStart = sql`i.resolve_due_at - i.resolution_minutes * interval '1 minute'`;
    const recent = lateStopsSince ? sql`AND i.updated_at >= ${lateStopsSince.toISOString()}::timestamptz` : sql``;
    const rows = await this.orm.execute<{ incident_id: string; severity: string; kind: SlaKind; due_at: Date | string }>(sql`
      SELECT c.incident_id, c.severity, c.kind, c.due_at FROM (
        SELECT i.id AS incident_id, i.severity, 'ack' AS kind, i.ack_due_at AS due_at, ${ackStart} AS started_at
        FROM ${incidents} i
        WHERE i.acknowledged_at IS NULL AND i.resolved_at IS NULL AND i.ack_due_at < ${at}
        UNION ALL
        SELECT i.id, i.severity, 'resolve', i.resolve_due_at, ${resolveStart}
        FROM ${incidents} i
        WHERE i.resolved_at IS NULL AND i.resolve_due_at < ${at}
        UNION ALL
        SELECT i.id, i.severity, s.kind, s.due_at, s.started_at
        FROM ${incidents} i
        CROSS JOIN LATERAL (VALUES ('ack', i.ack_due_at, COALESCE(i.acknowledged_at, i.resolved_at), ${ackStart}),
          ('resolve', i.resolve_due_at, i.resolved_at, ${resolveStart})) AS s(kind, due_at, stopped_at, started_at)
        WHERE (${LATE_STOP}) ${recent} AND s.due_at < s.stopped_at
      ) c
      -- A lookup by primary key per candidate: NOT EXISTS was planned as a hash anti join reading every breach ever recorded.
      LEFT JOIN LATERAL (SELECT true AS found FROM ${incidentSlaBreaches} b
        WHERE b.incident_id = c.incident_id AND b.kind = c.kind AND b.due_at >= c.started_at LIMIT 1) recorded ON true
      WHERE recorded.found IS NULL
      ORDER BY c.due_at
      LIMIT ${DUE_BREACHES_LIMIT}`);
    // Both drivers (PGlite, node-postgres) answer execute() with `{ rows }`.
    const list = (rows as unknown as { rows: Array<{ incident_id: string; severity: string; kind: SlaKind; due_at: Date | string }> }).rows;
    return list.map((r) => ({
      incidentId: r.incident_id,
      severity: r.severity,
      kind: r.kind,
      dueAt: new Date(r.due_at),
    }));
  }

  /** True when this call recorded it; the primary key (incident, kind, due time) makes a second call (any replica) a no-op. */
  async insertBreach(breach: DueBreach, detectedAt: Date): Promise<boolean> {
    const rows = await this.orm
      .insert(incidentSlaBreaches)
      .values({ incidentId: breach.incidentId, kind: breach.kind, dueAt: breach.dueAt, detectedAt })
      .onConflictDoNothing()
      .returning();
    return rows.length > 0;
  }

  async breaches(incidentId: string): Promise<Array<{ kind: string; dueAt: Date }>> {
    return this.orm.select({ kind: incidentSlaBreaches.kind, dueAt: incidentSlaBreaches.dueAt }).from(incidentSlaBreaches).where(eq(incidentSlaBreaches.incidentId, incidentId));
  }

  async openCounts(): Promise<Array<{ severity: string; n: number }>> {
    return this.orm
      .select({ severity: incidents.severity, n: sql<number>`count(*)::int` })
      .from(incidents)
      .where(inArray(incidents.state, [...OPEN_STATES]))
      .groupBy(incidents.severity);
  }

  async latestPostmortem(incidentId: string): Promise<PostmortemRow | null> {
    const [row] = await this.orm
      .select()
      .from(incidentPostmortems)
      .where(eq(incidentPostmortems.incidentId, incidentId))
      .orderBy(desc(incidentPostmortems.version))
      .limit(1);
    return row ?? null;
  }

  /** Throws a unique violation when another edit took this version first. */
  async insertPostmortem(row: typeof incidentPostmortems.$inferInsert): Promise<PostmortemRow> {
    const [saved] = await this.orm.insert(incidentPostmortems).values(row).returning();
    return saved!;
  }

  /**
   * The pager's claim on an incident's due levels, taken right before it
   * notifies: moves the bookmark to `until` only while the incident is still
   * triggered and the bookmark is still `seen`. An acknowledgement, a reopen
   * or another pass since the read wins, and this pass pages nothing.
   */
  async claimPage(id: string, seen: Date, until: Date): Promise<boolean> {
    const rows = await this.orm
      .update(incidents)
      .set({ nextPageAt: until })
      .where(and(eq(incidents.id, id), eq(incidents.state, 'triggered'), eq(incidents.nextPageAt, seen)))
      .returning({ id: incidents.id });
    return rows.length > 0;
  }
}
