import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Incident, IncidentState, Severity } from '../api/types.js';
import { formatAgo } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { useOpenIncidents } from '../incidents/queries.js';
import { SEVERITIES, SEVERITY_COLOR, SEVERITY_LABEL } from '../incidents/severity.js';
import { runningClocks, worstLevel, type SlaLevel } from '../incidents/sla.js';
import { SlaClocks } from '../incidents/SlaClockBar.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';

const STATE_COLOR: Record<IncidentState, string> = {
  triggered: 'red',
  acknowledged: 'blue',
  mitigated: 'teal',
  resolved: 'gray',
  closed: 'gray',
};
const LEVEL_ORDER: Record<SlaLevel, number> = { breached: 0, warning: 1, ok: 2 };

/** A card whose clock is running out or has run out says so at its edge, before anyone reads it. */
const LEVEL_EDGE: Record<SlaLevel, string | undefined> = {
  ok: undefined,
  warning: '4px solid var(--mantine-color-yellow-filled)',
  breached: '4px solid var(--mantine-color-red-filled)',
};

function IncidentCard({ incident, now }: { incident: Incident; now: number }) {
  const clocks = runningClocks(incident, now);
  const level = worstLevel(clocks);
  return (
    <Card
      withBorder
      padding="sm"
      style={{ borderInlineStart: LEVEL_EDGE[level] }}
      data-testid="incident-card"
      data-incident-id={incident.id}
      data-severity={incident.severity}
      data-state={incident.state}
      data-sla-level={level}
    >
      <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
        <Anchor component={Link} to={`/incidents/${incident.id}`} fw={600} lineClamp={2}>
          {incident.title}
        </Anchor>
        <Badge color={STATE_COLOR[incident.state]} variant="light" style={{ flex: 'none' }}>
          {incident.state}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="xs">
        {[incident.service, `triggered ${formatAgo(incident.triggeredAt, now)}`, incident.runbook?.procedureTitle].filter(Boolean).join(' · ')}
      </Text>
      <Stack gap={6}>
        <SlaClocks incident={incident} now={now} />
      </Stack>
    </Card>
  );
}

/** Breached first, then the ones running out, then by the nearest due time. */
function byUrgency(now: number) {
  return (a: Incident, b: Incident) => {
    const [clocksA, clocksB] = [runningClocks(a, now), runningClocks(b, now)];
    const level = LEVEL_ORDER[worstLevel(clocksA)] - LEVEL_ORDER[worstLevel(clocksB)];
    if (level !== 0) return level;
    const dueA = Math.min(...clocksA.map((c) => Date.parse(c.dueAt)));
    const dueB = Math.min(...clocksB.map((c) => Date.parse(c.dueAt)));
    return dueA - dueB;
  };
}

function SeverityGroup({ severity, incidents, now }: { severity: Severity; incidents: Incident[]; now: number }) {
  return (
    <section aria-label={`${SEVERITY_LABEL[severity]} incidents`} data-testid={`incidents-${severity}`}>
      <Group gap="xs" mb="xs">
        <Title order={3} size="h5">
          <Badge color={SEVERITY_COLOR[severity]} variant="light" size="lg" radius="sm">
            {SEVERITY_LABEL[severity]}
          </Badge>
        </Title>
        <Text size="sm" c="dimmed">
          {incidents.length === 0 ? 'none open' : `${incidents.length} open`}
        </Text>
      </Group>
      {incidents.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }} spacing="sm">
          {incidents.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} now={now} />
          ))}
        </SimpleGrid>
      )}
    </section>
  );
}

/** Open incidents by severity, each with its SLA clocks counting down. */
export function OpenIncidentsPanel() {
  const incidents = useOpenIncidents();
  const now = useNow();
  return (
    <Panel title="Open incidents" count={incidents.data?.length} testId="open-incidents">
      {incidents.isPending && <Skeleton height={96} role="status" aria-label="Loading open incidents" />}
      {incidents.isError && <ErrorNotice error={incidents.error} title="Could not load incidents" onRetry={() => void incidents.refetch()} />}
      {incidents.isSuccess && (
        <Stack gap="md">
          {incidents.data.length === 0 && <Text>No open incidents. New ones appear here as alerts fire.</Text>}
          {SEVERITIES.map((severity) => (
            <SeverityGroup
              key={severity}
              severity={severity}
              incidents={incidents.data.filter((incident) => incident.severity === severity).sort(byUrgency(now))}
              now={now}
            />
          ))}
        </Stack>
      )}
    </Panel>
  );
}
