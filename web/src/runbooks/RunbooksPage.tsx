import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/runbooks`: the library. Phase 2: list, import, lint findings. */
export function RunbooksPage() {
  return <PlaceholderPage title="Runbooks" description="The runbook library: procedures, versions and lint findings" />;
}
