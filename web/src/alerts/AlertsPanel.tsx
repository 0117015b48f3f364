import { Anchor, Badge, Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { Alert, Severity } from '../api/types.js';
import { ListPanel } from '../common/ListPanel.js';
import { SegmentedField } from '../common/SegmentedField.js';
import { formatAgo, formatDateTime } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import type { Matcher } from './matchers.js';
import { silenceMatchersFor } from './matchers.js';
import { useAlertPages } from './queries.js';

const SEVERITY_COLOR: Record<Severity, string> = { P1: 'red', P2: 'orange', P3: 'yellow' };
type StateFilter = 'firing' | 'resolved' | 'all';

function alertName(alert: Alert): string {
  return alert.labels.alertname ?? alert.annotations.summary ?? alert.fingerprint;
}

function AlertRow({ alert, now, onSilence }: { alert: Alert; now: number; onSilence: ((matchers: Matcher[]) => void) | null }) {
  const labels = Object.entries(alert.labels).filter(([name]) => name !== 'alertname');
  return (
    <li
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-state={alert.status}
      data-severity={alert.severity ?? ''}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)', paddingBottom: 'var(--mantine-spacing-xs)' }}
    >
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Group gap={6} wrap="wrap">
            <Text fw={600} size="sm">
              {alertName(alert)}
            </Text>
            {alert.severity && (
              <Badge color={SEVERITY_COLOR[alert.severity]} variant="light" size="sm">
                {alert.severity}
              </Badge>
            )}
            <Badge color={alert.status === 'firing' ? 'red' : 'teal'} variant="light" size="sm">
              {alert.status}
            </Badge>
            {alert.silencedBy && (
              <Badge color="gray" variant="light" size="sm" component="a" href={`#silence-${alert.silencedBy}`} style={{ cursor: 'pointer' }}>
                silenced
              </Badge>
            )}
          </Group>
          {alert.annotations.summary && alert.annotations.summary !== alertName(alert) && <Text size="sm">{alert.annotations.summary}</Text>}
          {labels.length > 0 && (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {labels.map(([name, value]) => `${name}=${value}`).join(' · ')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            started <span title={formatDateTime(alert.startsAt)}>{formatAgo(alert.startsAt, now)}</span> · {alert.count}× · first seen <span title={formatDateTime(alert.firstSeenAt)}>{formatAgo(alert.firstSeenAt, now)}</span> · last seen{' '}
            <span title={formatDateTime(alert.lastSeenAt)}>{formatAgo(alert.lastSeenAt, now)}</span>
            {alert.resolvedAt ? ` · resolved ${formatAgo(alert.resolvedAt, now)}` : ''} · from {alert.source}
          </Text>
        </Stack>
        <Group gap="xs" wrap="wrap">
          {alert.incidentId && (
            <Anchor component={Link} to={`/incidents/${alert.incidentId}`} size="sm" underline="always" aria-label={`Incident for ${alertName(alert)}`}>
              Incident
            </Anchor>
          )}
          {alert.generatorURL && /^https?:/i.test(alert.generatorURL) && (
            <Anchor href={alert.generatorURL} size="sm" underline="always" target="_blank" rel="noreferrer noopener" aria-label={`Source of ${alertName(alert)}`}>
              Source
            </Anchor>
          )}
          {onSilence && alert.status === 'firing' && !alert.silencedBy && (
            <Button size="compact-sm" variant="default" onClick={() => onSilence(silenceMatchersFor(alert.labels))} aria-label={`Silence ${alertName(alert)}`}>
              Silence
            </Button>
          )}
        </Group>
      </Group>
    </li>
  );
}

/** Alerts, most recently started first, filtered by state and severity (kept in the address). */
export function AlertsPanel({ onSilence }: { onSilence: ((matchers: Matcher[]) => void) | null }) {
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const state = (['firing', 'resolved'].includes(params.get('state') ?? '') ? params.get('state') : 'all') as StateFilter;
  const severity = (['P1', 'P2', 'P3'].includes(params.get('severity') ?? '') ? params.get('severity') : null) as Severity | null;
  const alerts = useAlertPages({ ...(state !== 'all' ? { state } : {}), ...(severity ? { severity } : {}) });
  const items = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  const setFilter = (name: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const filters = (
    <Group gap="sm" wrap="wrap" align="flex-end">
      <SegmentedField
        label="State"
        value={state}
        onChange={(value) => setFilter('state', value === 'all' ? null : value)}
        data={[
          { value: 'all', label: 'All' },
          { value: 'firing', label: 'Firing' },
          { value: 'resolved', label: 'Resolved' },
        ]}
      />
      <NativeSelect
        label="Severity"
        data={[{ value: '', label: 'Any' }, 'P1', 'P2', 'P3']}
        value={severity ?? ''}
        onChange={(e) => setFilter('severity', e.currentTarget.value || null)}
        w={140}
      />
    </Group>
  );
  return (
    <ListPanel title="Alerts" testId="alert-list" query={alerts} count={items.length} noun="alerts" controls={filters}
      emptyText="No alert matches these filters." skeletonHeight={80}>
      {items.length > 0 && (
        <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Alerts">
          {items.map((alert) => (
            <AlertRow key={alert.id} alert={alert} now={now} onSilence={onSilence} />
          ))}
        </Stack>
      )}
    </ListPanel>
  );
}

