import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
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
