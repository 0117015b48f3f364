import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/alerts`. Phase 2: alerts with filters, silences and maintenance windows. */
export function AlertsPage() {
  return <PlaceholderPage title="Alerts & silences" description="Alerts received, silences and maintenance windows" />;
}
