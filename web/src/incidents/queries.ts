import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { Incident, IncidentState, TimelineEvent } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';

/** The states an incident is open in (src/incidents/schema.ts OPEN_STATES). */
export const OPEN_STATES: readonly IncidentState[] = ['triggered', 'acknowledged', 'mitigated'];
/** Per state; more open incidents than this at once is a bigger problem than a short list. */
const OPEN_LIMIT = 200;

/**
 * Every open incident. The list endpoint filters by one state at a time,
 * so this asks for each open state and merges them into one cache entry.
 */
export function useOpenIncidents() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.incidents.open(),
    queryFn: async ({ signal }): Promise<Incident[]> => {
      const pages = await Promise.all(
        OPEN_STATES.map((state) => unwrap(api.GET('/api/v1/incidents', { params: { query: { state, limit: OPEN_LIMIT } }, signal }))),
      );
      return pages.flatMap((page) => page.items);
    },
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
