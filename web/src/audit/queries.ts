import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import { useLiveEvents } from '../live/LiveProvider.js';
import { useApi } from '../session/SessionProvider.js';
import { matchesAuditQuery, prependEntry, type AuditEntry, type AuditQuery } from './filters.js';

const PAGE = 50;
type Page = { items: AuditEntry[]; next: string | null };

/**
 * The audit log under these filters, newest first, a page at a time. The
 * log only grows at the top: entries recorded meanwhile are put there as
 * they arrive (`audit.recorded`) rather than refetching every page.
 */
export function useAuditLog(applied: AuditQuery) {
  const api = useApi();
  const queryClient = useQueryClient();
  const query = { ...applied, limit: PAGE };
  const key = queryKeys.audit.list(query);
  const log = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/audit', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
  useLiveEvents(['audit.recorded'], (event) => {
    const entry = event.data as AuditEntry;
    if (!entry || typeof entry.id !== 'number' || !matchesAuditQuery(entry, applied)) return;
    queryClient.setQueryData<InfiniteData<Page, string>>(key, (data) => (data ? { ...data, pages: prependEntry(data.pages, entry) } : data));
  });
  return log;
}
