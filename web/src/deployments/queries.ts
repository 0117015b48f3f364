import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import type { DeploymentState } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';
import type { DeploymentAction } from './model.js';

const PAGE = 50;

/** Deployments, newest first; deployment events refresh it (live/invalidation.ts). */
export function useDeploymentPages(filters: { service?: string; state?: DeploymentState }) {
  const api = useApi();
  const query = { ...filters, limit: PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.deployments.list(query),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/deployments', { params: { query: withCursor(query, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** One deployment with steps, measurements and timeline; each of its events refetches it. */
export function useDeployment(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.deployments.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/deployments/{id}', { params: { path: { id } }, signal })),
  });
}

/** The API's audited actions; the answer is shown at once, the events that follow refresh the rest. */
export function useDeploymentAction(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, reason }: { action: DeploymentAction; reason?: string }) => {
      const params = { path: { id } };
      switch (action) {
        case 'promote':
          return unwrap(api.POST('/api/v1/deployments/{id}/promote', { params, body: {} }));
        case 'pause':
          return unwrap(api.POST('/api/v1/deployments/{id}/pause', { params, body: reason ? { reason } : {} }));
        case 'resume':
          return unwrap(api.POST('/api/v1/deployments/{id}/resume', { params, body: {} }));
        case 'abort':
          return unwrap(api.POST('/api/v1/deployments/{id}/abort', { params, body: reason ? { reason } : {} }));
        case 'rollback':
          return unwrap(api.POST('/api/v1/deployments/{id}/rollback', { params, body: reason ? { reason } : {} }));
      }
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.deployments.all }),
  });
}
