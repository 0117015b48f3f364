import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/oncall`. Phase 2: contacts, rotations (who is on call now) and escalation policies. */
export function OncallPage() {
  return <PlaceholderPage title="On-call" description="Contacts, rotations and escalation policies" />;
}
