import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { useRefreshingMutation } from '../api/mutations.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';
import type { RunbookDetail } from './model.js';

/** A runbook version with its source and parsed model: the latest, or `version`. */
export function useRunbook(slug: string, version?: number) {
  const api = useApi();
  return useQuery({
    queryKey: version === undefined ? queryKeys.runbooks.detail(slug) : queryKeys.runbooks.version(slug, version),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/runbooks/{id}', { params: { path: { id: slug }, query: version === undefined ? {} : { version } }, signal })),
    // A stored version never changes; only "the latest" can move (runbook.imported marks it stale).
    staleTime: version === undefined ? 30_000 : Infinity,
  });
}

/**
 * The lint report of a version's source. Lint may ask PostgreSQL and
 * Prometheus and is audited, so a report is kept as long as the tab lives:
 * the same checksum is the same source. `Re-check` refetches on purpose.
 */
export function useLint(detail: RunbookDetail | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.runbooks.lint(detail?.version.checksum ?? 'none'),
    queryFn: ({ signal }) => unwrap(api.POST('/api/v1/runbooks/lint', { body: { source: detail!.source }, signal })),
    enabled: detail !== undefined,
    staleTime: Infinity,
    gcTime: 60 * 60_000,
  });
}

const LIBRARY_PAGE = 100;
const VERSION_PAGE = 50;

/** The library, a page at a time. */
export function useRunbookPages() {
  const api = useApi();
  const query = { limit: LIBRARY_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.runbooks.list(query),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/runbooks', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** Every imported version of a runbook, newest first, a page at a time. */
export function useVersionPages(slug: string) {
  const api = useApi();
  const query = { limit: VERSION_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.runbooks.versions(slug),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/runbooks/{id}/versions', { params: { path: { id: slug }, query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** Lints Markdown that is not imported yet (the import dialog's "Lint first"). */
export function useLintSource() {
  const api = useApi();
  return useMutation({
    mutationFn: (source: string) => unwrap(api.POST('/api/v1/runbooks/lint', { body: { source } })),
  });
}

/** Imports a runbook, or a new version of one; the library and every runbook on screen refresh. */
export function useImportRunbook() {
  const api = useApi();
  return useRefreshingMutation((body: RequestBodyOf<'/api/v1/runbooks', 'post'>) => unwrap(api.POST('/api/v1/runbooks', { body })), [queryKeys.runbooks.all]);
}
