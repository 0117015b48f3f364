import { Anchor, Badge, Group, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useFiringAlerts } from '../alerts/queries.js';
import type { Alert } from '../api/types.js';
import { formatAgo } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { SEVERITY_COLOR } from '../incidents/severity.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';

const SHOWN = 20;

function alertName(alert: Alert): string {
  return alert.labels.alertname ?? alert.annotations.summary ?? alert.fingerprint;
}

function AlertRow({ alert, now }: { alert: Alert; now: number }) {
  const where = alert.labels.service ?? alert.labels.job ?? alert.labels.instance;
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" data-testid="firing-alert" data-alert-id={alert.id}>
      <div style={{ minWidth: 0 }}>
        <Text fw={600} size="sm" truncate>
          {alertName(alert)}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {[where, `since ${formatAgo(alert.startsAt, now)}`, alert.count > 1 ? `${alert.count}×` : null, alert.silencedBy ? 'silenced' : null]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </div>
      <Group gap={6} wrap="nowrap">
        {alert.severity && (
          <Badge color={SEVERITY_COLOR[alert.severity]} variant="light">
            {alert.severity}
          </Badge>
        )}
        {alert.incidentId && (
          <Anchor component={Link} to={`/incidents/${alert.incidentId}`} size="sm" aria-label={`Incident for ${alertName(alert)}`}>
            Incident
          </Anchor>
        )}
      </Group>
    </Group>
  );
}

export function FiringAlertsPanel() {
  const now = useNow();
  const alerts = useFiringAlerts(SHOWN);
  return (
    <Panel
      title="Firing alerts"
      count={alerts.data?.items.length}
      testId="firing-alerts"
      actions={
        <Anchor component={Link} to="/alerts" size="sm">
          All alerts
        </Anchor>
      }
    >
      {alerts.isPending && <Skeleton height={64} aria-label="Loading firing alerts" />}
      {alerts.isError && <ErrorNotice error={alerts.error} title="Could not load alerts" onRetry={() => void alerts.refetch()} />}
      {alerts.isSuccess && alerts.data.items.length === 0 && <Text size="sm">Nothing is firing.</Text>}
      {alerts.isSuccess && alerts.data.items.length > 0 && (
        <Stack gap="sm">
          {alerts.data.items.map((alert) => (
            <AlertRow key={alert.id} alert={alert} now={now} />
          ))}
          {alerts.data.next && (
            <Text size="xs" c="dimmed">
              Showing the {SHOWN} most recent; see all alerts for the rest.
            </Text>
          )}
        </Stack>
      )}
    </Panel>
  );
}
