import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/admin/tokens`: API tokens (everyone manages their own; admins see all). Phase 2 builds it. */
export function TokensPage() {
  return <PlaceholderPage title="API tokens" description="Tokens for the CLI, runners and scripts" />;
}
