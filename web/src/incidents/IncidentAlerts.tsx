import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useIncidentAlerts } from '../alerts/queries.js';
import type { Alert } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { httpUrl } from '../common/links.js';
import { ListPanel } from '../common/ListPanel.js';

function alertName(alert: Alert): string {
  return alert.labels.alertname ?? alert.annotations.summary ?? alert.fingerprint;
}

/** One `name=value` chip. Text only: React escapes it, so a label holding markup shows as the characters it is. */
function Chip({ name, value }: { name: string; value: string }) {
  return (
    <Badge variant="light" color="gray" tt="none" fw={400} radius="sm" maw="100%" style={{ height: 'auto', whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
      <Text span size="xs" fw={600}>
        {name}
      </Text>
      ={value}
    </Badge>
  );
}

/** An annotation: a link when its value is an http(s) URL (dashboard, runbook_url, …), otherwise its text. */
function Annotation({ name, value }: { name: string; value: string }) {
  const href = httpUrl(value);
  return (
    <div>
      <Text component="dt" size="xs" fw={600} c="dimmed">
        {name}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
        {href ? (
          // Named by its visible text (the address); the <dt> above says what it is.
          <Anchor href={href} target="_blank" rel="noreferrer noopener" underline="always">
            {value}
          </Anchor>
        ) : (
          value
        )}
      </Text>
    </div>
  );
}

function AlertDetails({ alert }: { alert: Alert }) {
  const name = alertName(alert);
  const source = httpUrl(alert.generatorURL);
  const annotations = Object.entries(alert.annotations);
  return (
    <li data-testid="incident-alert" data-alert-id={alert.id} data-state={alert.status} style={{ borderBottom: '1px solid var(--mantine-color-default-border)', paddingBottom: 'var(--mantine-spacing-sm)' }}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap={6} wrap="wrap">
            <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
              {name}
            </Text>
            <Badge color={alert.status === 'firing' ? 'red' : 'teal'} variant="light" size="sm">
              {alert.status}
            </Badge>
          </Group>
          {source && (
            <Anchor href={source} target="_blank" rel="noreferrer noopener" size="sm" underline="always" aria-label={`Source of ${name} (opens in a new tab)`}>
              Source
            </Anchor>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          Started {formatDateTime(alert.startsAt)}
          {alert.resolvedAt ? ` · resolved ${formatDateTime(alert.resolvedAt)}` : ''} · {alert.count}× from {alert.source}
        </Text>
        <Group gap={4} wrap="wrap" aria-label={`Labels of ${name}`} role="group">
          {Object.entries(alert.labels).map(([label, value]) => (
            <Chip key={label} name={label} value={value} />
          ))}
        </Group>
        {annotations.length > 0 && (
          <Stack component="dl" gap={4} m={0}>
            {annotations.map(([annotation, value]) => (
              <Annotation key={annotation} name={annotation} value={value} />
            ))}
          </Stack>
        )}
      </Stack>
    </li>
  );
}

/** The alerts as a list; exported apart from the query so it can be rendered on its own (test/web). */
export function AlertDetailsList({ alerts }: { alerts: readonly Alert[] }) {
  return (
    <Stack component="ul" gap="sm" m={0} p={0} style={{ listStyle: 'none' }}>
      {alerts.map((alert) => (
        <AlertDetails key={alert.id} alert={alert} />
      ))}
    </Stack>
  );
}

/** Every alert this incident has had: labels and annotations as the sender wrote them, with links to where they came from. */
export function IncidentAlerts({ incidentId }: { incidentId: string }) {
  const alerts = useIncidentAlerts(incidentId);
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <ListPanel
      title="Alerts"
      testId="incident-alerts"
      query={alerts}
      count={items.length}
      noun="the alerts"
      note="Labels and annotations as the alert's sender wrote them, newest alert first. Only http(s) addresses become links."
      emptyText="No alert has been linked to this incident: it was opened by hand."
    >
      {items.length > 0 && <AlertDetailsList alerts={items} />}
    </ListPanel>
  );
}
