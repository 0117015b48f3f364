import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Orm } from '../platform/db/index.js';
import type { IncidentRow } from './incident-store.js';
import type { IncidentSort, IncidentState, Severity } from './schema.js';
import { incidentAlerts, incidentPostmortems, incidents } from './tables.js';

export interface IncidentFilter {
  states?: readonly IncidentState[] | undefined;
  severities?: readonly Severity[] | undefined;
  service?: string | undefined;
  /** A user id, or 'unassigned'. */
  assignee?: string | undefined;
  /** Triggered at or after. */
  from?: Date | undefined;
  /** Triggered before. */
  to?: Date | undefined;
  /** Substring of the title, or of a linked alert's label values or summary. */
  text?: string | undefined;
}

export interface IncidentOrder {
  sort: IncidentSort;
  order: 'asc' | 'desc';
}

/** The last row of a page, by its sort key (see `sortKey`), trigger time and id. */
export type HistoryCursor = [key: string | number, triggeredAt: string, id: string];

/** The latest saved post-mortem of an incident; absent while only the generated draft exists. */
export interface SavedPostmortem {
  version: number;
  editedBy: string;
  savedAt: Date;
}

export type HistoryRow = IncidentRow & { postmortem: SavedPostmortem | null };
/** `updatedKey`: when it last changed, to the microsecond (edits are stamped by the database), for the cursor. */
export type PostmortemListRow = HistoryRow & { updatedKey: string };

const SEVERITY_RANK: Record<string, number> = { P1: 3, P2: 2, P3: 1 };
/** Unresolved incidents sort after every resolved one in either order: below any real value when descending, above it when ascending. */
const FIRST_TIME = '1970-01-01T00:00:00.000Z';
const LAST_TIME = '9999-12-31T23:59:59.999Z';
const NO_DURATION_DESC = -1;
const NO_DURATION_ASC = Number.MAX_SAFE_INTEGER;

/**
 * Each sort as SQL and as the value the cursor carries, never null, so one
 * row comparison `(key, triggered_at, id) < cursor` pages every sort.
 */
const SORT_SQL: Record<IncidentSort, (order: 'asc' | 'desc') => { key: SQL; cast: SQL }> = {
  triggeredAt: () => ({ key: sql`${incidents.triggeredAt}`, cast: sql`timestamptz` }),
  resolvedAt: (order) => ({ key: sql`COALESCE(${incidents.resolvedAt}, ${order === 'desc' ? FIRST_TIME : LAST_TIME}::timestamptz)`, cast: sql`timestamptz` }),
  severity: () => ({ key: sql`(CASE ${incidents.severity} WHEN 'P1' THEN 3 WHEN 'P2' THEN 2 WHEN 'P3' THEN 1 ELSE 0 END)`, cast: sql`int` }),
  duration: (order) => ({
    key: sql`COALESCE((extract(epoch from ${incidents.resolvedAt} - ${incidents.triggeredAt}) * 1000)::bigint, ${order === 'desc' ? NO_DURATION_DESC : NO_DURATION_ASC}::bigint)`,
    cast: sql`bigint`,
  }),
};

/** The row's value of the sort key, as SORT_SQL computes it (times are stored to the millisecond, from the app's clock). */
export function sortKey(row: IncidentRow, { sort, order }: IncidentOrder): string | number {
  switch (sort) {
    case 'triggeredAt':
      return row.triggeredAt.toISOString();
    case 'resolvedAt':
      return row.resolvedAt?.toISOString() ?? (order === 'desc' ? FIRST_TIME : LAST_TIME);
    case 'severity':
      return SEVERITY_RANK[row.severity] ?? 0;
    case 'duration':
      return row.resolvedAt ? row.resolvedAt.getTime() - row.triggeredAt.getTime() : order === 'desc' ? NO_DURATION_DESC : NO_DURATION_ASC;
  }
}

/** `%`, `_` and `\` in what people type are text, not patterns. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Substring search over titles and the alert copies incidents keep
 * (`incident_alerts`: labels and summary, written when the alert links),
 * so the search stays inside this domain's tables. ILIKE cannot use a
 * btree index and pg_trgm is not in every engine NEXUS runs on; the list
 * walks the trigger-time index newest first and stops at a page of matches,
 * so the cost of a search grows with how far back its matches lie
 * (docs/architecture.md, "Incident history").
 */
function textMatches(text: string): SQL {
  const pattern = likePattern(text);
  return sql`(${incidents.title} ILIKE ${pattern} OR EXISTS (
    SELECT 1 FROM ${incidentAlerts} a WHERE a.incident_id = ${incidents.id}
      AND (a.summary ILIKE ${pattern} OR EXISTS (SELECT 1 FROM jsonb_each_text(a.labels) l WHERE l.value ILIKE ${pattern}))))`;
}

function conditions(filter: IncidentFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.states?.length) where.push(inArray(incidents.state, [...filter.states]));
  if (filter.severities?.length) where.push(inArray(incidents.severity, [...filter.severities]));
  if (filter.service !== undefined) where.push(eq(incidents.service, filter.service));
  if (filter.assignee === 'unassigned') where.push(isNull(incidents.assigneeId));
  else if (filter.assignee !== undefined) where.push(eq(incidents.assigneeId, filter.assignee));
  if (filter.from) where.push(gte(incidents.triggeredAt, filter.from));
  if (filter.to) where.push(lt(incidents.triggeredAt, filter.to));
  if (filter.text !== undefined) where.push(textMatches(filter.text));
  return where;
}

/** SQL for the incident history and the post-mortem list: filters, sorts and pages over incidents, with each one's latest saved post-mortem. */
export class HistoryStore {
  constructor(private readonly orm: Orm) {}

  private latestPostmortem() {
    return this.orm
      .select({ version: incidentPostmortems.version, editedBy: incidentPostmortems.editedBy, savedAt: incidentPostmortems.createdAt })
      .from(incidentPostmortems)
      .where(eq(incidentPostmortems.incidentId, incidents.id))
      .orderBy(desc(incidentPostmortems.version))
      .limit(1)
      .as('pm');
  }

  async list(filter: IncidentFilter, order: IncidentOrder, after: HistoryCursor | null, limit: number): Promise<HistoryRow[]> {
    const { key, cast } = SORT_SQL[order.sort](order.order);
    const where = conditions(filter);
    const dir = order.order === 'desc' ? sql`DESC` : sql`ASC`;
    if (after) {
      const [value, triggeredAt, id] = after;
      const cmp = order.order === 'desc' ? sql`<` : sql`>`;
      where.push(sql`(${key}, ${incidents.triggeredAt}, ${incidents.id}) ${cmp} (${value}::${cast}, ${triggeredAt}::timestamptz, ${id}::uuid)`);
    }
    const pm = this.latestPostmortem();
    const rows = await this.orm
      .select({ incident: incidents, pm: { version: pm.version, editedBy: pm.editedBy, savedAt: pm.savedAt } })
      .from(incidents)
      .leftJoinLateral(pm, sql`true`)
      .where(and(...where))
      .orderBy(sql`${key} ${dir}`, sql`${incidents.triggeredAt} ${dir}`, sql`${incidents.id} ${dir}`)
      .limit(limit);
    return rows.map(({ incident, pm: saved }) => ({ ...incident, postmortem: saved?.version == null ? null : (saved as SavedPostmortem) }));
  }

  /**
   * Post-mortems worth reading: every resolved (or closed) incident's, and any
   * that was edited, most recently changed first (the last edit, else the resolve).
   */
  async postmortems(filter: { status?: 'draft' | 'edited' | undefined }, before: [string, string] | null, limit: number): Promise<PostmortemListRow[]> {
    const pm = this.latestPostmortem();
    const updated = sql<Date>`COALESCE(${pm.savedAt}, ${incidents.resolvedAt}, ${incidents.triggeredAt})`;
    const where: Array<SQL | undefined> = [or(isNotNull(incidents.resolvedAt), isNotNull(pm.version))];
    if (filter.status === 'draft') where.push(isNull(pm.version));
    if (filter.status === 'edited') where.push(isNotNull(pm.version));
    if (before) where.push(sql`(${updated}, ${incidents.id}) < (${before[0]}::timestamptz, ${before[1]}::uuid)`);
    const rows = await this.orm
      .select({
        incident: incidents,
        pm: { version: pm.version, editedBy: pm.editedBy, savedAt: pm.savedAt },
        updatedKey: sql<string>`to_char(${updated} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(incidents)
      .leftJoinLateral(pm, sql`true`)
      .where(and(...where))
      .orderBy(desc(updated), desc(incidents.id))
      .limit(limit);
    return rows.map(({ incident, pm: saved, updatedKey }) => ({ ...incident, postmortem: saved?.version == null ? null : (saved as SavedPostmortem), updatedKey }));
  }

  /** The alerts linked to an incident, ever (the alerts domain reads its own rows by these ids). */
  async linkedAlertIds(incidentId: string, limit: number): Promise<string[]> {
    const rows = await this.orm
      .select({ id: incidentAlerts.alertId })
      .from(incidentAlerts)
      .where(eq(incidentAlerts.incidentId, incidentId))
      .orderBy(desc(incidentAlerts.firedAt))
      .limit(limit);
    return rows.map((row) => row.id);
  }
}
