import type { QueryOf, ResponseOf } from '../api/types.js';
import { localToIso } from '../common/local-time.js';

export type AuditEntry = ResponseOf<'/api/v1/audit', 'get'>['items'][number];
export type AuditQuery = Omit<QueryOf<'/api/v1/audit', 'get'>, 'limit' | 'cursor'>;
export type AuditOutcome = NonNullable<AuditQuery['outcome']>;
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'denied', 'rejected', 'error'];

/** The filter form as typed: text, and `datetime-local` values (local time, no zone). */
export interface AuditForm {
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome | '';
  since: string;
  until: string;
}

export const EMPTY_AUDIT_FORM: AuditForm = { actor: '', action: '', target: '', outcome: '', since: '', until: '' };

/** What GET /api/v1/audit is asked: only the filters that are set. */
export function auditQuery(form: AuditForm): AuditQuery {
  const query: AuditQuery = {};
  if (form.actor.trim()) query.actor = form.actor.trim();
  if (form.action.trim()) query.action = form.action.trim();
  if (form.target.trim()) query.target = form.target.trim();
  if (form.outcome) query.outcome = form.outcome;
  const since = localToIso(form.since);
  const until = localToIso(form.until);
  if (since) query.since = since;
  if (until) query.until = until;
  return query;
}

/**
 * Whether an entry that just arrived live belongs in the list as filtered:
 * the same rules as the server's (src/platform/audit/store.ts): exact
 * actor, target and outcome; action exact or, ending in ".", a prefix.
 */
export function matchesAuditQuery(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.actor !== undefined && entry.actor !== query.actor) return false;
  if (query.target !== undefined && entry.target !== query.target) return false;
  if (query.outcome !== undefined && entry.outcome !== query.outcome) return false;
  if (query.action !== undefined && !(query.action.endsWith('.') ? entry.action.startsWith(query.action) : entry.action === query.action)) return false;
  const at = Date.parse(entry.at);
  if (query.since !== undefined && at < Date.parse(query.since)) return false;
  if (query.until !== undefined && at > Date.parse(query.until)) return false;
  return true;
}

/** A live entry goes on top of the first page, once (the stream may replay an event after a reconnect). */
export function prependEntry<P extends { items: AuditEntry[] }>(pages: P[], entry: AuditEntry): P[] {
  if (pages.some((page) => page.items.some((item) => item.id === entry.id))) return pages;
  const [first, ...rest] = pages;
  if (!first) return pages;
  return [{ ...first, items: [entry, ...first.items] }, ...rest];
}
