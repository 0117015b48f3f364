import type { IncidentListQuery, IncidentState, Severity } from '../api/types.js';
import { localToIso, toLocalInput } from '../common/local-time.js';

/**
 * The history page's filters, as typed in its form and as kept in the URL
 * (so a filtered history can be linked to and survives a reload), and the
 * `GET /api/v1/incidents` query they make.
 */

export const ALL_STATES: readonly IncidentState[] = ['triggered', 'acknowledged', 'mitigated', 'resolved', 'closed'];
const ALL_SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3'];

/** The sorts people ask for, each a `sort` and `order` of the API. */
export const HISTORY_SORTS = {
  newest: { label: 'Newest first', sort: 'triggeredAt', order: 'desc' },
  oldest: { label: 'Oldest first', sort: 'triggeredAt', order: 'asc' },
  resolved: { label: 'Recently resolved', sort: 'resolvedAt', order: 'desc' },
  longest: { label: 'Longest to resolve', sort: 'duration', order: 'desc' },
  shortest: { label: 'Quickest to resolve', sort: 'duration', order: 'asc' },
  severe: { label: 'Most severe first', sort: 'severity', order: 'desc' },
} as const satisfies Record<string, { label: string; sort: NonNullable<IncidentListQuery['sort']>; order: 'asc' | 'desc' }>;
export type HistorySort = keyof typeof HISTORY_SORTS;

export interface HistoryForm {
  q: string;
  states: IncidentState[];
  severities: Severity[];
  service: string;
  /** '' anyone, 'unassigned', or a user id. */
  assignee: string;
  /** `datetime-local` values (the browser's time). */
  from: string;
  to: string;
  sort: HistorySort;
}

export const EMPTY_HISTORY_FORM: HistoryForm = { q: '', states: [], severities: [], service: '', assignee: '', from: '', to: '', sort: 'newest' };

const isSort = (value: string | null): value is HistorySort => value !== null && Object.hasOwn(HISTORY_SORTS, value);

/** The form from the page's URL; values it does not know are dropped rather than sent. */
export function formFromSearch(search: URLSearchParams): HistoryForm {
  const isoToLocal = (value: string | null) => {
    const at = value ? Date.parse(value) : Number.NaN;
    return Number.isNaN(at) ? '' : toLocalInput(at);
  };
  const sort = search.get('sort');
  return {
    q: search.get('q') ?? '',
    states: ALL_STATES.filter((state) => search.getAll('state').includes(state)),
    severities: ALL_SEVERITIES.filter((severity) => search.getAll('severity').includes(severity)),
    service: search.get('service') ?? '',
    assignee: search.get('assignee') ?? '',
    from: isoToLocal(search.get('from')),
    to: isoToLocal(search.get('to')),
    sort: isSort(sort) ? sort : 'newest',
  };
}

/** The URL for the form: only what is set, times in UTC. */
export function searchFromForm(form: HistoryForm): URLSearchParams {
  const search = new URLSearchParams();
  if (form.q.trim()) search.set('q', form.q.trim());
  for (const state of form.states) search.append('state', state);
  for (const severity of form.severities) search.append('severity', severity);
  if (form.service.trim()) search.set('service', form.service.trim());
  if (form.assignee) search.set('assignee', form.assignee);
  const from = localToIso(form.from);
  const to = localToIso(form.to);
  if (from) search.set('from', from);
  if (to) search.set('to', to);
  if (form.sort !== 'newest') search.set('sort', form.sort);
  return search;
}

/** What the API is asked for the form. */
export function historyQuery(form: HistoryForm): Omit<IncidentListQuery, 'limit' | 'cursor'> {
  const { sort, order } = HISTORY_SORTS[form.sort];
  const query: Omit<IncidentListQuery, 'limit' | 'cursor'> = { sort, order };
  if (form.q.trim()) query.q = form.q.trim();
  if (form.states.length) query.state = [...form.states];
  if (form.severities.length) query.severity = [...form.severities];
  if (form.service.trim()) query.service = form.service.trim();
  if (form.assignee) query.assigneeId = form.assignee;
  const from = localToIso(form.from);
  const to = localToIso(form.to);
  if (from) query.from = from;
  if (to) query.to = to;
  return query;
}
