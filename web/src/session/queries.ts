import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { User } from '../api/types.js';
import { useSession } from './SessionProvider.js';

/**
 * The signed-in user, as the server sees them now: their role can change
 * while they are signed in, and `GET /api/v1/me` (refetched on user events)
 * is the fresh answer; the sign-in response stands in until it arrives.
 */
export function useCurrentUser(): User | null {
  const { session, api } = useSession();
  const me = useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me', { signal })),
    enabled: session !== null,
    staleTime: 60_000,
  });
  return me.data?.user ?? session?.user ?? null;
}
