import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { alertDefaults, alerts, routingRules, silences } from './tables.js';

export type AlertRow = typeof alerts.$inferSelect;
export type NewAlert = typeof alerts.$inferInsert;
export type RuleRow = typeof routingRules.$inferSelect;
export type NewRule = typeof routingRules.$inferInsert;
export type SilenceRow = typeof silences.$inferSelect;
export type NewSilence = typeof silences.$inferInsert;

/** What was there before a payload's upsert, to tell new, re-fired and resolved alerts apart. */
export interface PriorState {
  status: string;
  incidentId: string | null;
}

export interface AlertFilter {
  state?: string | undefined;
  severity?: string | undefined;
  fingerprint?: string | undefined;
  before?: [string, string] | null;
}

/** SQL for alerts, routing rules and silences; the rules of routing live in the services. */
export class AlertStore {
  constructor(private readonly orm: Orm) {}

  /**
   * One transaction, one multi-row upsert: the payload is committed as a whole
   * or not at all, and the caller acknowledges only after this returns. The
   * row locks (FOR UPDATE) make two deliveries of one fingerprint count twice
   * rather than race.
   */
  async upsert(values: NewAlert[]): Promise<{ rows: AlertRow[]; prior: Map<string, PriorState> }> {
    return this.orm.transaction(async (tx) => {
      const fingerprints = values.map((v) => v.fingerprint);
      const before = await tx
        .select({ fingerprint: alerts.fingerprint, status: alerts.status, incidentId: alerts.incidentId })
        .from(alerts)
        .where(inArray(alerts.fingerprint, fingerprints))
        .for('update');
      const rows = await tx
        .insert(alerts)
        .values(values)
        .onConflictDoUpdate({
          target: alerts.fingerprint,
          set: {
            status: sql`excluded.status`,
            labels: sql`excluded.labels`,
            annotations: sql`excluded.annotations`,
            groupKey: sql`excluded.group_key`,
            severity: sql`excluded.severity`,
            ruleId: sql`excluded.rule_id`,
            silencedBy: sql`excluded.silenced_by`,
            startsAt: sql`excluded.starts_at`,
            endsAt: sql`excluded.ends_at`,
            generatorUrl: sql`excluded.generator_url`,
            receiveCount: sql`${alerts.receiveCount} + excluded.receive_count`,
            // Firing again after resolving is a new page: the old incident may be closed by now.
            incidentId: sql`CASE WHEN ${alerts.status} = 'resolved' AND excluded.status = 'firing' THEN NULL ELSE ${alerts.incidentId} END`,
            lastSeenAt: sql`excluded.last_seen_at`,
            // Keep the first resolution time while it stays resolved; clear it when it fires again.
            resolvedAt: sql`CASE WHEN excluded.status = 'resolved' THEN coalesce(${alerts.resolvedAt}, excluded.resolved_at) ELSE NULL END`,
          },
        })
        .returning();
      return { rows, prior: new Map(before.map((b) => [b.fingerprint, { status: b.status, incidentId: b.incidentId }])) };
    });
  }

  async setIncident(alertIds: string[], incidentId: string): Promise<void> {
    if (alertIds.length === 0) return;
    await this.orm.update(alerts).set({ incidentId }).where(inArray(alerts.id, alertIds));
  }

  async list(filter: AlertFilter, limit: number): Promise<AlertRow[]> {
    const conditions: SQL[] = [];
    if (filter.state) conditions.push(eq(alerts.status, filter.state));
    if (filter.severity) conditions.push(eq(alerts.severity, filter.severity));
    if (filter.fingerprint) conditions.push(eq(alerts.fingerprint, filter.fingerprint));
    if (filter.before) {
      const [seen, id] = filter.before;
      const when = new Date(seen);
      conditions.push(or(lt(alerts.lastSeenAt, when), and(eq(alerts.lastSeenAt, when), lt(alerts.id, id)))!);
    }
    return this.orm
      .select()
      .from(alerts)
      .where(and(...conditions))
      .orderBy(desc(alerts.lastSeenAt), desc(alerts.id))
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

  activeSilences(at: Date): Promise<SilenceRow[]> {
    return this.orm
      .select()
      .from(silences)
      .where(and(lte(silences.startsAt, at), gt(silences.endsAt, at)))
      .orderBy(asc(silences.createdAt), asc(silences.id));
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
