import { RequireRole } from '../session/RequireRole.js';
import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/admin/users` (admin). Phase 2: users, roles, disabling, revoking sessions. */
export function UsersPage() {
  return (
    <RequireRole role="admin">
      <PlaceholderPage title="Users" description="People who can sign in, and their roles" />
    </RequireRole>
  );
}
