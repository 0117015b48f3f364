import { Anchor, Badge, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useFiringAlerts } from '../alerts/queries.js';
import type { Alert } from '../api/types.js';
import { formatAgo } from '../common/format.js';
import { ListPanel } from '../common/ListPanel.js';
import { useNow } from '../common/use-now.js';
import { SEVERITY_COLOR } from '../incidents/severity.js';

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
  const items = alerts.data?.items ?? [];
  const allAlerts = (
    <Anchor component={Link} to="/alerts" size="sm">
      All alerts
    </Anchor>
  );
  return (
    <ListPanel title="Firing alerts" testId="firing-alerts" query={alerts} count={items.length} noun="firing alerts" headerActions={allAlerts} emptyText="Nothing is firing." skeletonHeight={64}>
      {items.map((alert) => (
        <AlertRow key={alert.id} alert={alert} now={now} />
      ))}
      {alerts.data?.next && (
        <Text size="xs" c="dimmed">
          Showing the {SHOWN} most recent; see all alerts for the rest.
        </Text>
      )}
    </ListPanel>
  );
}
