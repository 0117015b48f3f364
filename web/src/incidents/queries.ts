import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { useRefreshingMutation } from '../api/mutations.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import type { Incident, IncidentDetail, IncidentListQuery, IncidentState, PostmortemSummary, RequestBodyOf, TimelineEvent } from '../api/types.js';
import type { ParameterBody } from '../runs/parameters.js';
import { rememberRun } from '../runs/queries.js';
import { useApi } from '../session/SessionProvider.js';
import type { IncidentAction } from './lifecycle.js';

/** The states an incident is open in (src/incidents/schema.ts OPEN_STATES). */
export const OPEN_STATES: readonly IncidentState[] = ['triggered', 'acknowledged', 'mitigated'];
/** More open incidents than this at once is a bigger problem than a short list. */
const OPEN_LIMIT = 500;

/** Every open incident, in one request (the list takes several states). */
export function useOpenIncidents() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.incidents.open(),
    queryFn: async ({ signal }): Promise<Incident[]> => {
      const page = await unwrap(api.GET('/api/v1/incidents', { params: { query: { state: [...OPEN_STATES], limit: OPEN_LIMIT } }, signal }));
      return page.items;
    },
  });
}

const HISTORY_PAGE = 50;

/** The incident history under these filters and sort, a page at a time. */
export function useIncidentHistory(filters: Omit<IncidentListQuery, 'limit' | 'cursor'>) {
  const api = useApi();
  const query = { ...filters, limit: HISTORY_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.incidents.list({ ...query, paged: true }),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/incidents', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** Post-mortems, most recently changed first, a page at a time. */
export function usePostmortemList(status: PostmortemSummary['status'] | undefined) {
  const api = useApi();
  const query = { limit: HISTORY_PAGE, ...(status ? { status } : {}) };
  return useInfiniteQuery({
    queryKey: queryKeys.incidents.postmortems(query),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/postmortems', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

export function useIncident(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.incidents.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id } }, signal })),
  });
}

/** Enough for any incident people read in a browser; the post-mortem draft has all of it. */
const TIMELINE_PAGES = 4;
const TIMELINE_PAGE_SIZE = 500;

/** The whole timeline, oldest first (live: `incident.timeline` events refetch it). */
export function useTimeline(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.incidents.timeline(id),
    queryFn: async ({ signal }): Promise<TimelineEvent[]> => {
      const events: TimelineEvent[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < TIMELINE_PAGES; page += 1) {
        const { items, next } = await unwrap(
          api.GET('/api/v1/incidents/{id}/timeline', { params: { path: { id }, query: { limit: TIMELINE_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }, signal }),
        );
        events.push(...items);
        if (!next) break;
        cursor = next;
      }
      return events;
    },
  });
}

export function usePostmortem(id: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.incidents.postmortem(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/incidents/{id}/postmortem', { params: { path: { id } }, signal })),
    enabled,
  });
}

/** Mutations that return the incident: the cache gets the answer at once; lists and the timeline refetch. */
export function useIncidentMutations(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  // A mutation answers without `changes`: the header keeps the ones it has.
  const onSuccess = (incident: Incident) => {
    queryClient.setQueryData(queryKeys.incidents.detail(id), (old: IncidentDetail | undefined): IncidentDetail => ({ ...incident, changes: old?.changes ?? [] }));
    void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.lists() });
    void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.timeline(id) });
  };
  const transition = useMutation({
    // Each action is the last segment of its path: /ack, /mitigate, /resolve, /close, /reopen.
    mutationFn: (action: IncidentAction) => unwrap(api.POST(`/api/v1/incidents/{id}/${action}`, { params: { path: { id } }, body: {} })),
    onSuccess,
  });
  const patch = useMutation({
    mutationFn: (body: RequestBodyOf<'/api/v1/incidents/{id}', 'patch'>) => unwrap(api.PATCH('/api/v1/incidents/{id}', { params: { path: { id } }, body })),
    onSuccess,
  });
  return { transition, patch };
}

export function useAddNote(incidentId: string) {
  const api = useApi();
  return useRefreshingMutation(
    (text: string) => unwrap(api.POST('/api/v1/incidents/{id}/notes', { params: { path: { id: incidentId } }, body: { text } })),
    [queryKeys.incidents.timeline(incidentId)],
  );
}

/** Saves an edit as the next version; the server refuses (409) when `baseVersion` is no longer the latest. */
export function useSavePostmortem(incidentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { markdown: string; baseVersion: number }) => unwrap(api.PUT('/api/v1/incidents/{id}/postmortem', { params: { path: { id: incidentId } }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.incidents.postmortem(incidentId), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.timeline(incidentId) });
      // The history and the post-mortem list show each incident's post-mortem version.
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.lists() });
    },
  });
}

/** The file is behind the bearer token, so a plain link would be refused: fetch it, then hand the browser a blob. */
export function useDownloadPostmortem(incidentId: string) {
  const api = useApi();
  return useMutation({
    mutationFn: async (version: number) => {
      const blob = await unwrap(api.GET('/api/v1/incidents/{id}/postmortem.md', { params: { path: { id: incidentId } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob as unknown as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `postmortem-${incidentId}-v${version}.md`;
      document.body.append(link);
      link.click();
      link.remove();
      // Revoked on the next turn: the click has started the download by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    },
  });
}

/**
 * Starts a run of the incident's attached procedure. The parameters go in
 * the fields `POST /api/v1/runs` takes, secret ones included
 * (`secretParameters`), which this route accepts from issue 15 on.
 */
export function useStartIncidentRun(incidentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (parameters: ParameterBody) => unwrap(api.POST('/api/v1/incidents/{id}/runs', { params: { path: { id: incidentId } }, body: parameters })),
    onSuccess: (run) => rememberRun(queryClient, run),
  });
}
