import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { createOrChange, useRefreshingMutation } from '../api/mutations.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import type { QueryOf, RequestBodyOf, ResponseOf } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';

export type RoutingRule = ResponseOf<'/api/v1/routing-rules', 'get'>['items'][number];
export type RoutingRuleBody = RequestBodyOf<'/api/v1/routing-rules', 'post'>;
export type Silence = ResponseOf<'/api/v1/silences', 'get'>['items'][number];
type AlertFilters = Pick<QueryOf<'/api/v1/alerts', 'get'>, 'state' | 'severity'>;

const ALERT_PAGE = 50;
const SILENCE_PAGE = 50;

/** Alerts, most recently started first, a page at a time. */
export function useAlertPages(filters: AlertFilters) {
  const api = useApi();
  const query = { ...filters, limit: ALERT_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.alerts.list({ ...query, paged: true }),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/alerts', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** The alerts ever linked to an incident, newest first, a page at a time. */
export function useIncidentAlerts(incident: string) {
  const api = useApi();
  const query = { incident, limit: ALERT_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.alerts.list({ ...query, paged: true }),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/alerts', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** The most recent firing alerts, one page of `limit`. */
export function useFiringAlerts(limit: number) {
  const api = useApi();
  const query = { state: 'firing', limit } as const;
  return useQuery({
    queryKey: queryKeys.alerts.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/alerts', { params: { query }, signal })),
  });
}

export function useRoutingRules() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.routingRules.all,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/routing-rules', { signal })),
  });
}

/** Adds a rule (no `rule`) or replaces one's fields. */
export function useSaveRoutingRule() {
  const api = useApi();
  const save = createOrChange<RoutingRule, RoutingRuleBody, RoutingRuleBody, RoutingRule, RoutingRule>(
    (body) => unwrap(api.POST('/api/v1/routing-rules', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/routing-rules/{id}', { params: { path: { id } }, body })),
  );
  return useRefreshingMutation(save, [queryKeys.routingRules.all]);
}

export function useDeleteRoutingRule() {
  const api = useApi();
  return useRefreshingMutation((rule: RoutingRule) => unwrap(api.DELETE('/api/v1/routing-rules/{id}', { params: { path: { id: rule.id } } })), [queryKeys.routingRules.all]);
}

/** Silences and maintenance windows, newest first, a page at a time. */
export function useSilencePages(activeOnly: boolean) {
  const api = useApi();
  const query = { ...(activeOnly ? { active: true } : {}), limit: SILENCE_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.silences.list(query),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/silences', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** Silences publish no events yet: a change refreshes silences and the alerts they mark itself. */
const SILENCE_CHANGES = [queryKeys.silences.all, queryKeys.alerts.all];

export function useCreateSilence() {
  const api = useApi();
  return useRefreshingMutation((body: RequestBodyOf<'/api/v1/silences', 'post'>) => unwrap(api.POST('/api/v1/silences', { body })), SILENCE_CHANGES);
}

export function useExpireSilence() {
  const api = useApi();
  return useRefreshingMutation((silence: Silence) => unwrap(api.DELETE('/api/v1/silences/{id}', { params: { path: { id: silence.id } } })), SILENCE_CHANGES);
}
