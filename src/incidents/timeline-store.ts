import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import { incidentEvents } from './tables.js';

export type EventRow = typeof incidentEvents.$inferSelect;
export type NewEvent = typeof incidentEvents.$inferInsert;

/** An event row as raw SQL returns it (snake case; seq and time possibly as text). */
export interface RawEvent {
  seq: number | string;
  incident_id: string;
  kind: string;
  actor: string;
  summary: string;
  data: unknown;
  dedupe_key: string | null;
  at: Date | string;
}

export function fromRawEvent(r: RawEvent): EventRow {
  return { seq: Number(r.seq), incidentId: r.incident_id, kind: r.kind, actor: r.actor, summary: r.summary, data: r.data, dedupeKey: r.dedupe_key, at: r.at instanceof Date ? r.at : new Date(r.at) };
}

/** SQL for the incident timeline: its events, in order, each recorded at most once per dedupe key. */
export class TimelineStore {
  constructor(private readonly orm: Orm) {}

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
}
