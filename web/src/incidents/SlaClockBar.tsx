import { Group, Progress, Text } from '@mantine/core';
import { formatDateTime, formatDuration } from '../common/format.js';
import type { SlaClock, SlaLevel } from './sla.js';

const LEVEL_COLOR: Record<SlaLevel, string> = { ok: 'teal', warning: 'yellow', breached: 'red' };
const KIND_LABEL = { acknowledge: 'Acknowledge', resolve: 'Resolve' } as const;

/**
 * One SLA clock: what it is, how long is left (or how long overdue), and a
 * bar that empties as time runs out, amber in the last quarter, red when
 * breached. The bar is decoration; the words carry the same facts.
 */
export function SlaClockBar({ clock }: { clock: SlaClock }) {
  const breached = clock.level === 'breached';
  const remaining = breached ? `Overdue by ${formatDuration(-clock.remainingMs)}` : `${formatDuration(clock.remainingMs)} left`;
  return (
    <div data-testid="sla-clock" data-kind={clock.kind} data-level={clock.level}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" fw={600}>
          {KIND_LABEL[clock.kind]}
        </Text>
        <Text size="xs" fw={clock.level === 'ok' ? 400 : 700} c={breached ? 'var(--mantine-color-error)' : undefined} title={`Due ${formatDateTime(clock.dueAt)}`}>
          {remaining}
          {clock.level === 'warning' && ' · due soon'}
        </Text>
      </Group>
      <Progress.Root size="sm" aria-hidden="true" mt={2}>
        <Progress.Section value={breached ? 100 : clock.fractionLeft * 100} color={LEVEL_COLOR[clock.level]} withAria={false} />
      </Progress.Root>
    </div>
  );
}
