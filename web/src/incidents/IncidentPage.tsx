import { Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { useParams } from 'react-router';
import { useNow } from '../common/use-now.js';
import { PageHeader } from '../shell/PageHeader.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { SEVERITY_COLOR } from './severity.js';
import { runningClocks } from './sla.js';
import { SlaClockBar } from './SlaClockBar.js';
import { useIncident } from './queries.js';

/** `/incidents/:id`. Phase 2 builds the full page (state actions, timeline, runbook checklist, post-mortem). */
export function IncidentPage() {
  const { id = '' } = useParams();
  const incident = useIncident(id);
  const now = useNow();
  if (incident.isPending) return <Loader aria-label="Loading the incident" />;
  if (incident.isError) return <ErrorNotice error={incident.error} title="Could not load the incident" onRetry={() => void incident.refetch()} />;
  const { data } = incident;
  return (
    <>
      <PageHeader title={data.title} description={data.service ? `Service: ${data.service}` : undefined} />
      <Stack maw={480}>
        <Group gap="xs">
          <Badge color={SEVERITY_COLOR[data.severity]} variant="light">
            {data.severity}
          </Badge>
          <Badge color="gray" variant="light">
            {data.state}
          </Badge>
        </Group>
        {runningClocks(data, now).map((clock) => (
          <SlaClockBar key={clock.kind} clock={clock} />
        ))}
        <Text c="dimmed">The timeline, runbook checklist and post-mortem of this incident appear here.</Text>
      </Stack>
    </>
  );
}
