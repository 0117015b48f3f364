import { Group, Progress, Text } from '@mantine/core';
import type { Incident } from '../api/types.js';
import { formatDateTime, formatDuration } from '../common/format.js';
import { incidentClocks, outcomeText, type SlaClock, type SlaKind, type SlaLevel } from './sla.js';

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

/**
 * A clock that has stopped stays on screen with its outcome: green "met in
 * 7 min", red "missed by 5 min", so a met target does not vanish from the
 * incident the moment someone acknowledges it.
 */
export function SlaResult({ kind, outcome }: { kind: SlaKind; outcome: Incident['sla']['response'] }) {
  const text = outcomeText(kind, outcome);
  if (!text) return null;
  const met = outcome.result === 'met';
  return (
    <div data-testid="sla-result" data-kind={kind} data-result={outcome.result}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" fw={600}>
          {KIND_LABEL[kind]}
        </Text>
        <Text size="xs" fw={met ? 400 : 700} c={met ? 'var(--mantine-color-teal-light-color)' : 'var(--mantine-color-error)'} title={outcome.stoppedAt ? `Stopped ${formatDateTime(outcome.stoppedAt)}` : undefined}>
          {met ? '✓ ' : '✗ '}
          {text}
        </Text>
      </Group>
      <Progress.Root size="sm" aria-hidden="true" mt={2}>
        <Progress.Section value={100} color={met ? 'teal' : 'red'} withAria={false} />
      </Progress.Root>
    </div>
  );
}

/** Every clock of the incident: running ones count down, stopped ones say how they ended. */
export function SlaClocks({ incident, now }: { incident: Pick<Incident, 'sla' | 'acknowledgedAt' | 'resolvedAt'>; now: number }) {
  return (
    <>
      {incidentClocks(incident, now).map(({ kind, running, outcome }) =>
        running ? <SlaClockBar key={kind} clock={running} /> : <SlaResult key={kind} kind={kind} outcome={outcome} />,
      )}
    </>
  );
}
