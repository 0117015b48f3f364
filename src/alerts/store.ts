import { and, asc, desc, eq, gt, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Orm } from '../platform/db/index.js';
import { alertDefaults, alerts, routingRules, silences } from './tables.js';

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlert = typeof alerts.$inferInsert;
export type RuleRow = typeof routingRules.$inferSelect;
export type NewRule = typeof routingRules.$inferInsert;
export type SilenceRow = typeof silences.$inferSelect;
export type NewSilence = typeof silences.$inferInsert;

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
  before?: [string, string] | null;
}

/**
 * Prepared once per connection (the receivers' hot path); `$1` is the rows as
 * a JSON array. It returns only what the caller does not already hold: the
 * row's id and its incident link (every other column is what it sent).
 */
const UPSERT_SQL = `
      INSERT INTO alerts AS a (fingerprint, source, status, labels, annotations, group_key, severity, rule_id, silenced_by,
        starts_at, ends_at, generator_url, receive_count, first_seen_at, last_seen_at, resolved_at)
      SELECT fingerprint, source, status, labels, annotations, group_key, severity, rule_id, silenced_by,
        starts_at, ends_at, generator_url, receive_count, first_seen_at, last_seen_at, resolved_at
      FROM jsonb_to_recordset($1::jsonb) AS x(fingerprint text, source text, status text, labels jsonb, annotations jsonb,
        group_key text, severity text, rule_id uuid, silenced_by uuid, starts_at timestamptz, ends_at timestamptz,
        generator_url text, receive_count bigint, first_seen_at timestamptz, last_seen_at timestamptz, resolved_at timestamptz)
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
        resolved_at = CASE WHEN excluded.status = 'resolved' THEN coalesce(a.resolved_at, excluded.resolved_at) ELSE NULL END
      RETURNING id, fingerprint, incident_id`;

const SET_INCIDENTS_SQL = `
      UPDATE alerts SET incident_id = x.incident
      FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, incident uuid)
      WHERE alerts.id = x.id`;

/** SQL for alerts, routing rules and silences; the rules of routing live in the services. */
export class AlertStore {
  constructor(
    private readonly orm: Orm,
    private readonly db: Pick<Database, 'prepared'>,
  ) {}

  /**
   * One statement: the payload is committed as a whole or not at all, and the
   * caller acknowledges only after this returns. The rows travel as one JSON
   * parameter, so the SQL text is the same for 1 alert or 5,000 (no query
   * building per call, one plan). Concurrent deliveries of a fingerprint
   * serialise on its row in ON CONFLICT, so both counts land.
   */
  async upsert(values: NewAlert[]): Promise<UpsertedAlert[]> {
    const input = JSON.stringify(
      values.map((v) => ({
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
        first_seen_at: v.firstSeenAt.toISOString(),
        last_seen_at: v.lastSeenAt.toISOString(),
        resolved_at: v.resolvedAt?.toISOString() ?? null,
      })),
    );
    const rows = await this.db.prepared<{ id: string; fingerprint: string; incident_id: string | null }>('nexus_alerts_upsert', UPSERT_SQL, [input]);
    return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, incidentId: r.incident_id }));
  }

  /** Links alerts back to the incidents they paged (alert id → incident id), in one statement. */
  async setIncidents(incidentOf: Map<string, string>): Promise<void> {
    if (incidentOf.size === 0) return;
    const pairs = JSON.stringify([...incidentOf].map(([id, incident]) => ({ id, incident })));
    // Prepared: it follows every commit that paged new alerts, and planning it took 0.6 ms, running it 0.4 ms.
    await this.db.prepared('nexus_alerts_set_incidents', SET_INCIDENTS_SQL, [pairs]);
  }

  async list(filter: AlertFilter, limit: number): Promise<AlertRow[]> {
    const conditions: SQL[] = [];
    if (filter.state) conditions.push(eq(alerts.status, filter.state));
    if (filter.severity) conditions.push(eq(alerts.severity, filter.severity));
    if (filter.fingerprint) conditions.push(eq(alerts.fingerprint, filter.fingerprint));
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

  /** Creates the rules unless this set was applied before, in one transaction; true when it created them. */
  async applyDefaultsOnce(name: string, rules: NewRule[]): Promise<boolean> {
    return this.orm.transaction(async (tx) => {
      const marked = await tx.insert(alertDefaults).values({ name }).onConflictDoNothing().returning();
      if (marked.length === 0) return false;
      if (rules.length > 0) await tx.insert(routingRules).values(rules).onConflictDoNothing();
      return true;
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
