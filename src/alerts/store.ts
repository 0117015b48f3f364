import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { JoinedOpen } from '../incidents/index.js';
import type { Database, Orm } from '../platform/db/index.js';
import { alertDefaults, alerts, routingRules, silences } from './tables.js';

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlert = typeof alerts.$inferInsert;
export type RuleRow = typeof routingRules.$inferSelect;
export type NewRule = typeof routingRules.$inferInsert;
export type SilenceRow = typeof silences.$inferSelect;
export type NewSilence = typeof silences.$inferInsert;

/** Which default rules a start created (a new database) or upgraded (untouched earlier defaults), by name. */
export interface DefaultsApplied {
  created: string[];
  upgraded: string[];
}

/** What an upsert tells of each row; the rest is what was sent. */
export interface UpsertedAlert {
  id: string;
  fingerprint: string;
  /** The incident the alert already pages into; null when it is new, or fires again after resolving. */
  incidentId: string | null;
}

export interface AlertFilter {
  state?: string | undefined;
  severity?: string | undefined;
  fingerprint?: string | undefined;
  /** Only these alerts (an incident's). */
  ids?: string[] | undefined;
  before?: [string, string] | null;
}

/**
 * Prepared once per connection (the receivers' hot path). `$1`: alerts written
 * in full, as a JSON array; `$2`: unchanged repeats of alerts this process
 * wrote, as fingerprint, content version, count and last-seen only.
 *
 * Most of what Alertmanager sends repeats alerts unchanged (it re-sends every
 * group interval), and rewriting labels and annotations for those cost
 * PostgreSQL three times what bumping count and last-seen does. Every full
 * write stamps the row with a version of this process's own; a repeat is only
 * bumped while the row still carries the version this process remembers. One
 * that does not (another replica wrote the alert since) fails the whole
 * statement in `nexus_alert_repeats` (migration 0009), and the caller sends
 * the payload again in full. Either way the payload commits as a whole or not
 * at all.
 *
 * It returns only what the caller does not already hold: the row's id and its
 * incident link (every other column is what it sent).
 */
const UPSERT_SQL = `
      WITH written AS (
      INSERT INTO alerts AS a (fingerprint, source, status, labels, annotations, group_key, severity, rule_id, silenced_by,
        starts_at, ends_at, generator_url, receive_count, first_seen_at, last_seen_at, resolved_at, content_version)
      SELECT fingerprint, source, status, labels, annotations, group_key, severity, rule_id, silenced_by,
        starts_at, ends_at, generator_url, receive_count, first_seen_at, last_seen_at, resolved_at, content_version
      FROM jsonb_to_recordset($1::jsonb) AS x(fingerprint text, source text, status text, labels jsonb, annotations jsonb,
        group_key text, severity text, rule_id uuid, silenced_by uuid, starts_at timestamptz, ends_at timestamptz,
        generator_url text, receive_count bigint, first_seen_at timestamptz, last_seen_at timestamptz, resolved_at timestamptz,
        content_version text)
      ON CONFLICT (fingerprint) DO UPDATE SET
        status = excluded.status,
        labels = excluded.labels,
        annotations = excluded.annotations,
        group_key = excluded.group_key,
        severity = excluded.severity,
        rule_id = excluded.rule_id,
        silenced_by = excluded.silenced_by,
        -- A sender that gives no start (generic alerts) gets the receipt time, which is also
        -- last_seen_at: repeats of a firing alert then keep the start it already has.
        starts_at = CASE WHEN excluded.starts_at = excluded.last_seen_at AND a.status = 'firing' AND excluded.status = 'firing'
          THEN a.starts_at ELSE excluded.starts_at END,
        ends_at = excluded.ends_at,
        generator_url = excluded.generator_url,
        receive_count = a.receive_count + excluded.receive_count,
        -- Firing again after resolving is a new page: the old incident may be closed by now.
        incident_id = CASE WHEN a.status = 'resolved' AND excluded.status = 'firing' THEN NULL ELSE a.incident_id END,
        last_seen_at = excluded.last_seen_at,
        -- Keep the first resolution time while it stays resolved; clear it when it fires again.
        resolved_at = CASE WHEN excluded.status = 'resolved' THEN coalesce(a.resolved_at, excluded.resolved_at) ELSE NULL END,
        content_version = excluded.content_version
      RETURNING id, fingerprint, incident_id
      )
      SELECT id, fingerprint, incident_id FROM written
      UNION ALL SELECT id, fingerprint, incident_id FROM nexus_alert_repeats($2::jsonb)`;

/**
 * Alerts joining their groups' open incidents, and the mark of the incident
 * each joined on its row, in one round trip (ADR 0007). The incidents domain's
 * function (migration 0013) links them and decides; this statement records on
 * the alerts' rows what it answers (`alert_incidents`), through this domain's
 * own `nexus_alerts_link_incidents` (migration 0009). A statement of its own
 * after the join cost 100-alert webhooks throughput (docs/benchmarks/2026-11-27-alerts.md). The
 * function runs first (a function in FROM is run to the end before the select
 * list), so the mark sees every decision.
 */
const JOIN_OPEN_AND_MARK_SQL = `
  SELECT j.open_incidents, j.joined_events, nexus_alerts_link_incidents(j.alert_incidents) AS marked
  FROM nexus_incidents_join_open($1::jsonb, $2::timestamptz) AS j`;

/** SQLSTATE raised by `nexus_alert_repeats` when a repeat no longer matches its row. */
const REPEATS_NO_LONGER_MATCH = 'NX001';

/**
 * Alerts whose last full write this process remembers, with what it wrote
 * (the memory this takes: docs/benchmarks/2026-11-27-alerts.md): every
 * firing alert of a large estate. Beyond that, the least recently received
 * are written in full again.
 */
const REMEMBERED_ALERTS = 20_000;

/** What this process last wrote in full for an alert, under which version. */
interface Written {
  version: string;
  alert: NewAlert;
}

function sameStrings(a: Record<string, string>, b: Record<string, string>): boolean {
  let keys = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    keys += 1;
  }
  for (const _ in b) keys -= 1;
  return keys === 0;
}

/**
 * Everything the sender says of an alert but when it was received and how
 * often: a repeat of the same content would leave the row as it is, but for
 * count and last-seen. (A resolved repeat keeps the first resolution time, so
 * `resolvedAt` is not content.)
 */
function sameContent(a: NewAlert, b: NewAlert): boolean {
  return (
    a.status === b.status &&
    a.source === b.source &&
    a.groupKey === b.groupKey &&
    (a.severity ?? null) === (b.severity ?? null) &&
    (a.ruleId ?? null) === (b.ruleId ?? null) &&
    (a.silencedBy ?? null) === (b.silencedBy ?? null) &&
    a.startsAt.getTime() === b.startsAt.getTime() &&
    (a.endsAt?.getTime() ?? null) === (b.endsAt?.getTime() ?? null) &&
    (a.generatorUrl ?? null) === (b.generatorUrl ?? null) &&
    sameStrings(a.labels, b.labels) &&
    sameStrings(a.annotations, b.annotations)
  );
}

/**
 * A delivery's alerts share one receipt time (first- and last-seen): its ISO
 * form is made once, not per alert (per alert it was a noticeable share of a
 * repeat's cost: docs/benchmarks/2026-11-27-alerts.md).
 */
function receiptTime(): (date: Date) => string {
  let last: Date | null = null;
  let iso = '';
  return (date) => {
    if (date !== last) {
      last = date;
      iso = date.toISOString();
    }
    return iso;
  };
}

function fullRow(v: NewAlert, version: string, receipt: (date: Date) => string) {
  return {
    fingerprint: v.fingerprint,
    source: v.source,
    status: v.status,
    labels: v.labels,
    annotations: v.annotations,
    group_key: v.groupKey,
    severity: v.severity ?? null,
    rule_id: v.ruleId ?? null,
    silenced_by: v.silencedBy ?? null,
    starts_at: v.startsAt.toISOString(),
    ends_at: v.endsAt?.toISOString() ?? null,
    generator_url: v.generatorUrl ?? null,
    receive_count: v.receiveCount ?? 1,
    first_seen_at: receipt(v.firstSeenAt),
    last_seen_at: receipt(v.lastSeenAt),
    resolved_at: v.resolvedAt?.toISOString() ?? null,
    content_version: version,
  };
}

/** SQL for alerts, routing rules and silences; the rules of routing live in the services. */
export class AlertStore {
  constructor(
    private readonly orm: Orm,
    private readonly db: Pick<Database, 'prepared'>,
  ) {}

  /** Fingerprint → this process's last full write of it (see UPSERT_SQL). */
  private readonly written = new LRUCache<string, Written>({ max: REMEMBERED_ALERTS });
  /** Versions this process stamps on full writes: its own prefix, then a count of its upserts. */
  private readonly versionPrefix = `${randomBytes(9).toString('base64url')}.`;
  private upserts = 0;

  /**
   * One statement: the payload is committed as a whole or not at all, and the
   * caller acknowledges only after this returns. The rows travel as JSON
   * parameters, so the SQL text is the same for 1 alert or 5,000 (no query
   * building per call, one plan). Concurrent deliveries of a fingerprint
   * serialise on its row, so both counts land.
   */
  async upsert(values: NewAlert[]): Promise<UpsertedAlert[]> {
    try {
      return await this.write(values, true);
    } catch (error) {
      if ((error as { code?: unknown }).code !== REPEATS_NO_LONGER_MATCH) throw error;
      // Nothing was written: forget what this process believed of these alerts and write them in full.
      for (const v of values) this.written.delete(v.fingerprint);
      return this.write(values, false);
    }
  }

  private async write(values: NewAlert[], shortRepeats: boolean): Promise<UpsertedAlert[]> {
    this.upserts += 1;
    const version = `${this.versionPrefix}${this.upserts.toString(36)}`;
    const full: Array<ReturnType<typeof fullRow>> = [];
    const fullAlerts: NewAlert[] = [];
    const repeats: Array<{ fingerprint: string; content_version: string; status: string; receive_count: number; last_seen_at: string }> = [];
    const receipt = receiptTime();
    for (const v of values) {
      const before = shortRepeats ? this.written.get(v.fingerprint) : undefined;
      if (before && sameContent(before.alert, v)) {
        repeats.push({
          fingerprint: v.fingerprint,
          content_version: before.version,
          status: v.status,
          receive_count: v.receiveCount ?? 1,
          last_seen_at: receipt(v.lastSeenAt),
        });
      } else {
        full.push(fullRow(v, version, receipt));
        fullAlerts.push(v);
      }
    }
    const rows = await this.db.prepared<{ id: string; fingerprint: string; incident_id: string | null }>('nexus_alerts_upsert', UPSERT_SQL, [
      JSON.stringify(full),
      JSON.stringify(repeats),
    ]);
    for (const alert of fullAlerts) this.written.set(alert.fingerprint, { version, alert });
    return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, incidentId: r.incident_id }));
  }

  /** Links alerts back to the incidents they paged (alert id → incident id), in one statement. */
  async setIncidents(incidentOf: Map<string, string>): Promise<void> {
    if (incidentOf.size === 0) return;
    const pairs = JSON.stringify([...incidentOf].map(([id, incident]) => ({ id, incident })));
    // A function (migration 0009): it keeps one plan that looks each alert up by id, at any table size.
    await this.db.prepared('nexus_alerts_set_incidents', 'SELECT nexus_alerts_link_incidents($1::jsonb)', [pairs]);
  }

  /** The incidents domain's join (its parameters as it gives them) with the joined alerts marked: a `JoinOpenStatement`. */
  async joinOpenAndMark(joining: string, joinedAt: string): Promise<JoinedOpen | undefined> {
    const [row] = await this.db.prepared<JoinedOpen>('nexus_alerts_join_open_and_mark', JOIN_OPEN_AND_MARK_SQL, [joining, joinedAt]);
    return row;
  }

  async list(filter: AlertFilter, limit: number): Promise<AlertRow[]> {
    const conditions: SQL[] = [];
    if (filter.state) conditions.push(eq(alerts.status, filter.state));
    if (filter.severity) conditions.push(eq(alerts.severity, filter.severity));
    if (filter.fingerprint) conditions.push(eq(alerts.fingerprint, filter.fingerprint));
    if (filter.ids) conditions.push(inArray(alerts.id, filter.ids));
    if (filter.before) {
      const [started, id] = filter.before;
      const when = new Date(started);
      conditions.push(or(lt(alerts.startsAt, when), and(eq(alerts.startsAt, when), lt(alerts.id, id)))!);
    }
    return this.orm
      .select()
      .from(alerts)
      .where(and(...conditions))
      .orderBy(desc(alerts.startsAt), desc(alerts.id))
      .limit(limit);
  }

  rules(): Promise<RuleRow[]> {
    return this.orm.select().from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.createdAt), asc(routingRules.id));
  }

  async rule(id: string): Promise<RuleRow | null> {
    const [row] = await this.orm.select().from(routingRules).where(eq(routingRules.id, id));
    return row ?? null;
  }

  async insertRule(values: NewRule): Promise<RuleRow> {
    const [row] = await this.orm.insert(routingRules).values(values).returning();
    return row!;
  }

  async updateRule(id: string, patch: Partial<NewRule>): Promise<RuleRow | null> {
    const [row] = await this.orm.update(routingRules).set({ ...patch, updatedAt: new Date() }).where(eq(routingRules.id, id)).returning();
    return row ?? null;
  }

  async deleteRule(id: string): Promise<boolean> {
    const rows = await this.orm.delete(routingRules).where(eq(routingRules.id, id)).returning({ id: routingRules.id });
    return rows.length > 0;
  }

  async nextPosition(): Promise<number> {
    const [row] = await this.orm.select({ max: sql<number | null>`max(${routingRules.position})` }).from(routingRules);
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 10;
  }

  /**
   * Applies a set of default rules once, in one transaction (the mark's
   * insert makes a second replica wait, then do nothing). Without the
   * earlier set's mark: a new database, the rules are created. With it: each
   * earlier rule found by name that `untouched` says is as created becomes
   * its successor of the same name; the others are left alone. Null when the
   * set was applied before.
   */
  async applyDefaultsOnce(
    name: string,
    rules: NewRule[],
    earlier: { mark: string; rules: NewRule[]; untouched: (row: RuleRow, created: NewRule) => boolean },
  ): Promise<DefaultsApplied | null> {
    return this.orm.transaction(async (tx) => {
      const marked = await tx.insert(alertDefaults).values({ name }).onConflictDoNothing().returning();
      if (marked.length === 0) return null;
      const [hadEarlier] = await tx.select().from(alertDefaults).where(eq(alertDefaults.name, earlier.mark));
      if (!hadEarlier) {
        if (rules.length > 0) await tx.insert(routingRules).values(rules).onConflictDoNothing();
        return { created: rules.map((r) => r.name), upgraded: [] };
      }
      const upgraded: string[] = [];
      for (const next of rules) {
        const before = earlier.rules.find((r) => r.name === next.name);
        const [row] = before ? await tx.select().from(routingRules).where(eq(routingRules.name, next.name)) : [];
        if (!before || !row || !earlier.untouched(row, before)) continue;
        await tx.update(routingRules).set({ ...next, updatedAt: new Date() }).where(eq(routingRules.id, row.id));
        upgraded.push(next.name);
      }
      return { created: [], upgraded };
    });
  }

  /** Active and future silences: the routing snapshot filters them by time per alert. */
  silencesNotEnded(at: Date): Promise<SilenceRow[]> {
    return this.orm.select().from(silences).where(gt(silences.endsAt, at)).orderBy(asc(silences.createdAt), asc(silences.id));
  }

  listSilences(limit: number, activeAt: Date | null, before: [string, string] | null): Promise<SilenceRow[]> {
    const conditions: SQL[] = [];
    if (activeAt) conditions.push(lte(silences.startsAt, activeAt), gt(silences.endsAt, activeAt));
    if (before) {
      const when = new Date(before[0]);
      conditions.push(or(lt(silences.createdAt, when), and(eq(silences.createdAt, when), lt(silences.id, before[1])))!);
    }
    return this.orm
      .select()
      .from(silences)
      .where(and(...conditions))
      .orderBy(desc(silences.createdAt), desc(silences.id))
      .limit(limit);
  }

  async insertSilence(values: NewSilence): Promise<SilenceRow> {
    const [row] = await this.orm.insert(silences).values(values).returning();
    return row!;
  }

  /** Expires a silence now (kept for the record, like Alertmanager's expire). */
  async expireSilence(id: string, at: Date): Promise<SilenceRow | null> {
    const [row] = await this.orm.update(silences).set({ endsAt: sql`least(${silences.endsAt}, ${at.toISOString()}::timestamptz)` }).where(eq(silences.id, id)).returning();
    return row ?? null;
  }
}
