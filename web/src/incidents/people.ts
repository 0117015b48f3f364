import { useCallback } from 'react';
import { useAllUsers } from '../admin/queries.js';
import type { User } from '../api/types.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';

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
  const me = useCurrentUser();
  const isAdmin = me !== null && hasRole(me.role, 'admin');
  const users = useAllUsers(isAdmin);
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
