import { Grid, Skeleton, Tabs } from '@mantine/core';
import { useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../shell/PageHeader.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { IncidentHeader } from './IncidentHeader.js';
import { UnreachableBanner } from './paging.js';
import { IncidentRunbook } from './IncidentRunbook.js';
import { IncidentTimeline } from './IncidentTimeline.js';
import { PostmortemTab } from './PostmortemTab.js';
import { useIncident } from './queries.js';

type Tab = 'response' | 'postmortem';

/**
 * `/incidents/:id`: the cockpit. The header (state, clocks, people, state
 * actions), then two tabs: the response (the attached runbook as a live
 * checklist beside the timeline) and the post-mortem. The tab is in the URL
 * (`?tab=postmortem`) so it survives a reload and can be linked to.
 */
export function IncidentPage() {
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const tab: Tab = search.get('tab') === 'postmortem' ? 'postmortem' : 'response';
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
          if (next === 'postmortem') params.set('tab', 'postmortem');
          else params.delete('tab');
          setSearch(params, { replace: true });
        }}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="response">Response</Tabs.Tab>
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
        <Tabs.Panel value="postmortem">
          <PostmortemTab incidentId={data.id} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
