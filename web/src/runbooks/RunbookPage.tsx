import { useParams } from 'react-router';
import { PlaceholderPage } from '../shell/PlaceholderPage.js';

/** `/runbooks/:slug`: one runbook. Phase 2: rendered Markdown, lint findings in place, run buttons, version history. */
export function RunbookPage() {
  const { slug = '' } = useParams();
  return <PlaceholderPage title={`Runbook ${slug}`} description="Procedures, commands and version history" />;
}
