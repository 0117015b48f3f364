import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { useApi } from '../session/SessionProvider.js';

/** Runs of an incident, newest first (run events refresh every runs list). */
export function useIncidentRuns(incidentId: string) {
  const api = useApi();
  const filters = { incidentId, limit: 20 };
  return useQuery({
    queryKey: queryKeys.runs.list(filters),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs', { params: { query: filters }, signal })),
  });
}

/** A run with its steps and checks (run.step, run.check and run.finished refresh it). */
export function useRun(runId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.runs.detail(runId ?? ''),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs/{id}', { params: { path: { id: runId ?? '' } }, signal })),
    enabled: runId !== null,
  });
}

/** One runbook version with its parsed model; versions never change once imported. */
export function useRunbookVersion(slug: string, version: number) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.runbooks.version(slug, version),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runbooks/{id}', { params: { path: { id: slug }, query: { version } }, signal })),
    staleTime: Infinity,
  });
}
