import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/**
 * A mutation whose success makes these keys stale, for domains whose
 * changes publish no live event (or not at once): the change shows for the
 * person who made it without waiting for anything else.
 */
export function useRefreshingMutation<V, R>(mutationFn: (variables: V) => Promise<R>, stale: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => {
      for (const queryKey of stale) void queryClient.invalidateQueries({ queryKey });
    },
  });
}
