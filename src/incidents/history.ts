import { InputError, NotFoundError } from '../platform/errors.js';
import { decodeCursor, toPage } from '../platform/http/schemas.js';
import type { HistoryCursor, HistoryRow, HistoryStore, IncidentOrder, PostmortemListRow } from './history-store.js';
import { sortKey } from './history-store.js';
import type { IncidentStore } from './incident-store.js';
import type { PageRow, PageStore } from './page-store.js';
import type { IncidentListItem, IncidentListQuery, PostmortemSummary, Severity } from './schema.js';
import { toIncident } from './views.js';

/** More alerts than this on one incident are shown as the newest this many. */
export const LINKED_ALERTS_MAX = 1000;

type Page<T> = { items: T[]; next: string | null };

function postmortemState(row: HistoryRow): IncidentListItem['postmortem'] {
  const saved = row.postmortem;
  if (!saved) return { status: 'draft', version: 0, editedBy: null, updatedAt: null };
  return { status: 'edited', version: saved.version, editedBy: saved.editedBy, updatedAt: saved.savedAt.toISOString() };
}

export function toListItem(row: HistoryRow, pages: readonly PageRow[]): IncidentListItem {
  return {
    ...toIncident(row, pages),
    durationMs: row.resolvedAt ? row.resolvedAt.getTime() - row.triggeredAt.getTime() : null,
    postmortem: postmortemState(row),
  };
}

function toPostmortemSummary(row: PostmortemListRow): PostmortemSummary {
  return {
    incidentId: row.id,
    title: row.title,
    severity: row.severity as Severity,
    state: row.state as PostmortemSummary['state'],
    service: row.service,
    triggeredAt: row.triggeredAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    ...postmortemState(row),
  };
}

/** The incident history (every incident, filtered and sorted) and the post-mortem list. */
export class IncidentHistory {
  constructor(private readonly deps: { history: HistoryStore; incidents: Pick<IncidentStore, 'get'>; pages: Pick<PageStore, 'ofCurrentEscalations'> }) {}

  async list(query: IncidentListQuery): Promise<Page<IncidentListItem>> {
    const limit = query.limit ?? 50;
    const order: IncidentOrder = { sort: query.sort ?? 'triggeredAt', order: query.order ?? 'desc' };
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from >= to) throw new InputError('query/from must be before query/to', { from: query.from, to: query.to });
    const text = query.q?.trim();
    if (query.q !== undefined && !text) throw new InputError('query/q must not be blank');
    const rows = await this.deps.history.list(
      { states: query.state, severities: query.severity, service: query.service, assignee: query.assigneeId, from, to, text },
      order,
      this.after(query.cursor, order),
      limit + 1,
    );
    const pages = await this.deps.pages.ofCurrentEscalations(rows.map((row) => row.id));
    // The sort is in the cursor, so a cursor of another sort is refused rather than read as this one's.
    return toPage(rows, limit, (row) => toListItem(row, pages.get(row.id) ?? []), (row) => [`${order.sort}:${order.order}`, sortKey(row, order), row.triggeredAt.toISOString(), row.id]);
  }

  private after(cursor: string | undefined, order: IncidentOrder): HistoryCursor | null {
    const numeric = order.sort === 'severity' || order.sort === 'duration';
    const key = decodeCursor(cursor, ['string', numeric ? 'number' : 'timestamp', 'timestamp', 'uuid']);
    if (!key) return null;
    if (key[0] !== `${order.sort}:${order.order}`) throw new InputError(`query/cursor belongs to another sort than ${order.sort} ${order.order}`);
    return key.slice(1) as HistoryCursor;
  }

  async postmortems(query: { limit?: number | undefined; cursor?: string | undefined; status?: 'draft' | 'edited' | undefined }): Promise<Page<PostmortemSummary>> {
    const limit = query.limit ?? 50;
    const before = decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string] | null;
    const rows = await this.deps.history.postmortems({ status: query.status }, before, limit + 1);
    return toPage(rows, limit, toPostmortemSummary, (row) => [row.updatedKey, row.id]);
  }

  /** Ids of the alerts ever linked to the incident, newest first; 404 for an incident that does not exist. */
  async linkedAlertIds(incidentId: string): Promise<string[]> {
    if (!(await this.deps.incidents.get(incidentId))) throw new NotFoundError('incident', incidentId);
    return this.deps.history.linkedAlertIds(incidentId, LINKED_ALERTS_MAX);
  }
}
