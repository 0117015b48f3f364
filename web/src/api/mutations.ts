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

/** What a create-or-edit form saves: `item` null creates with `body`, else changes that item. */
export type Save<T, Create, Change> = { item: null; body: Create } | { item: T; body: Change };

const changes = <T, Create, Change>(save: Save<T, Create, Change>): save is { item: T; body: Change } => save.item !== null;

/** The mutation function of such a form, from the create and the change request. */
export function createOrChange<T extends { id: string }, Create, Change, R1, R2>(create: (body: Create) => Promise<R1>, change: (id: string, body: Change) => Promise<R2>) {
  return (save: Save<T, Create, Change>): Promise<R1 | R2> => (changes(save) ? change(save.item.id, save.body) : create((save as { body: Create }).body));
}
