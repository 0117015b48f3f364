import { SimpleGrid, Stack } from '@mantine/core';
import { UnreachableIncidentsBanner } from '../incidents/paging.js';
import { useOpenIncidents } from '../incidents/queries.js';
import { PageHeader } from '../shell/PageHeader.js';
import { FiringAlertsPanel } from './FiringAlertsPanel.js';
import { LatestBackupsPanel } from './LatestBackupsPanel.js';
import { LatestDeploymentsPanel } from './LatestDeploymentsPanel.js';
import { OpenIncidentsPanel } from './OpenIncidentsPanel.js';
import { RunsInProgressPanel } from './RunsInProgressPanel.js';

/** `/`: what needs attention now. Every panel updates from live events. */
export function DashboardPage() {
  const open = useOpenIncidents();
  return (
    <>
      <PageHeader title="Dashboard" description="Open incidents, firing alerts and runbooks in progress" />
      <Stack gap="md">
        {open.data && <UnreachableIncidentsBanner incidents={open.data} />}
        <OpenIncidentsPanel />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <FiringAlertsPanel />
          <RunsInProgressPanel />
          <LatestDeploymentsPanel />
          <LatestBackupsPanel />
        </SimpleGrid>
      </Stack>
    </>
  );
}
