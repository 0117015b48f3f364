import { RequireRole } from '../session/RequireRole.js';
import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/audit` (admin; GET /api/v1/audit needs it). Phase 2: the log with filters. */
export function AuditPage() {
  return (
    <RequireRole role="admin">
      <PlaceholderPage title="Audit log" description="Every change, who made it, and its outcome" />
    </RequireRole>
  );
}
