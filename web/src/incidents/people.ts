import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { User } from '../api/types.js';
import { hasRole } from '../session/roles.js';
import { useApi } from '../session/SessionProvider.js';
import { useCurrentUser } from '../session/use-current-user.js';

const USERS_LIMIT = 500;

export interface Directory {
  /** The people the caller can pick from: everyone for an admin (GET /api/v1/users is admin-only), else themselves. */
  people: User[];
  /** A person's name for a user id; ids the caller cannot look up read as "another user". */
  nameOf(id: string | null): string;
}

export function displayName(user: Pick<User, 'username' | 'displayName'>): string {
  return user.displayName ? `${user.displayName} (${user.username})` : user.username;
}

export function useDirectory(): Directory {
  const api = useApi();
  const me = useCurrentUser();
  const isAdmin = me !== null && hasRole(me.role, 'admin');
  const users = useQuery({
    queryKey: queryKeys.users.list({ limit: USERS_LIMIT }),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/users', { params: { query: { limit: USERS_LIMIT } }, signal })),
    enabled: isAdmin,
  });
  const all = users.data?.items;
  const people = isAdmin && all ? all.filter((user) => !user.disabled) : me ? [me] : [];
  const nameOf = useCallback(
    (id: string | null) => {
      if (id === null) return 'nobody';
      if (me && id === me.id) return `you (${me.username})`;
      const found = all?.find((user) => user.id === id);
      return found ? displayName(found) : `another user (${id.slice(0, 8)})`;
    },
    [me, all],
  );
  return { people, nameOf };
}
