import { Stack } from '@mantine/core';
import { useState } from 'react';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { PageHeader } from '../shell/PageHeader.js';
import { AlertsPanel } from './AlertsPanel.js';
import type { Matcher } from './matchers.js';
import { RoutingRulesPanel } from './RoutingRulesPanel.js';
import { SilenceModal } from './SilenceModal.js';
import { SilencesPanel } from './SilencesPanel.js';

/** `/alerts`: what was received, what is silenced, and how alerts are routed to incidents. */
export function AlertsPage() {
  const user = useCurrentUser();
  const canSilence = user !== null && hasRole(user.role, 'responder');
  const isAdmin = user !== null && hasRole(user.role, 'admin');
  const [silencing, setSilencing] = useState<{ initial: Matcher[] | null } | null>(null);
  return (
    <>
      <PageHeader title="Alerts & silences" description="Alerts received, silences and maintenance windows, and the rules that turn alerts into incidents" />
      <Stack gap="md">
        <AlertsPanel onSilence={canSilence ? (matchers) => setSilencing({ initial: matchers }) : null} />
        <SilencesPanel canEdit={canSilence} onCreate={() => setSilencing({ initial: null })} />
        <RoutingRulesPanel canEdit={isAdmin} />
      </Stack>
      {canSilence && <SilenceModal opened={silencing !== null} initial={silencing?.initial ?? null} onClose={() => setSilencing(null)} />}
    </>
  );
}
