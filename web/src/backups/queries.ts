import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { useApi } from '../session/SessionProvider.js';

/** The backup catalog, newest first (the dashboard card and the Backups page). */
export function useBackups() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.backups.list(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/backups', { signal })),
  });
}

/** Create, verify and restore: each answers when the work is done, then the list is read again. */
export function useBackupAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: { kind: 'create' } | { kind: 'verify'; id: string } | { kind: 'restore'; id: string; confirm: string }) => {
      switch (action.kind) {
        case 'create':
          return unwrap(api.POST('/api/v1/backups', { body: {} }));
        case 'verify':
          return unwrap(api.POST('/api/v1/backups/{id}/verify', { params: { path: { id: action.id } } }));
        case 'restore':
          return unwrap(api.POST('/api/v1/backups/{id}/restore', { params: { path: { id: action.id } }, body: { confirm: action.confirm } }));
      }
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.backups.all }),
  });
}
