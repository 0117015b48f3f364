import { eq, inArray, sql } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { OPEN_STATES } from './schema.js';
import { incidents, incidentSlaBreaches, LATE_STOP } from './tables.js';

export type SlaKind = 'ack' | 'resolve';
export interface DueBreach {
  incidentId: string;
  severity: string;
  kind: SlaKind;
  dueAt: Date;
}

/** At most this many breaches per check; the rest wait for the next one. */
export const DUE_BREACHES_LIMIT = 500;

/** SQL for the SLA clocks: clocks past due, the breaches recorded, and the open incidents the gauge counts. */
export class SlaStore {
  constructor(private readonly orm: Orm) {}

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
}
