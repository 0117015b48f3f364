import { Grid, Skeleton, Tabs } from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../shell/PageHeader.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { IncidentAlerts } from './IncidentAlerts.js';
import { IncidentHeader } from './IncidentHeader.js';
import { UnreachableBanner } from './paging.js';
import { IncidentRunbook } from './IncidentRunbook.js';
import { IncidentTimeline } from './IncidentTimeline.js';
import { PostmortemTab } from './PostmortemTab.js';
import { useIncident } from './queries.js';

type Tab = 'response' | 'alerts' | 'postmortem';
const TABS: readonly Tab[] = ['response', 'alerts', 'postmortem'];

/**
 * `/incidents/:id`: the cockpit. The header (state, clocks, people, state
 * actions), then three tabs: the response (the attached runbook as a live
 * checklist beside the timeline), the alerts (labels, annotations, source
 * links) and the post-mortem. The tab is in the URL (`?tab=alerts`,
 * `?tab=postmortem`) so it survives a reload and can be linked to.
 */
export function IncidentPage() {
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const asked = search.get('tab');
  const tab: Tab = TABS.find((name) => name === asked) ?? 'response';
  const incident = useIncident(id);
  if (incident.isPending) {
    return (
      <>
        <PageHeader title="Incident" />
        <Skeleton height={200} role="status" aria-label="Loading the incident" />
      </>
    );
  }
  if (incident.isError) {
    return (
      <>
        <PageHeader title="Incident" />
        <ErrorNotice error={incident.error} title="Could not load the incident" onRetry={() => void incident.refetch()} />
      </>
    );
  }
  const { data } = incident;
  return (
    <>
      <PageHeader title={data.title} description={data.service ? `Service: ${data.service}` : undefined} />
      <UnreachableBanner incident={data} />
      <IncidentHeader incident={data} />
      <Tabs
        value={tab}
        onChange={(next) => {
          const params = new URLSearchParams(search);
          if (next && next !== 'response') params.set('tab', next);
          else params.delete('tab');
          setSearch(params, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="response">Response</Tabs.Tab>
          <Tabs.Tab value="alerts">Alerts</Tabs.Tab>
          <Tabs.Tab value="postmortem">Post-mortem</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="response">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <IncidentRunbook incident={data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <IncidentTimeline incidentId={data.id} />
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="alerts">
          <IncidentAlerts incidentId={data.id} />
        </Tabs.Panel>
        <Tabs.Panel value="postmortem">
          <PostmortemTab incidentId={data.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
