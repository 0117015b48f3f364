import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Role } from '../api/types.js';
import { PageHeader } from '../shell/PageHeader.js';
import { hasRole } from './roles.js';
import { useCurrentUser } from './queries.js';

/** Shows its children only to people with `role` or higher; others are told what they would need. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const user = useCurrentUser();
  if (user && hasRole(user.role, role)) return children;
  return (
    <>
      <PageHeader title="Not available to you" />
      <Alert color="yellow" variant="light">
        This page needs the {role} role{user ? `; you are signed in as ${user.username} (${user.role})` : ''}.
      </Alert>
    </>
  );
}
