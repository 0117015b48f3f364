import { Group, Paper, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ConnectionState } from './sse.js';
import { useLiveConnection } from './LiveProvider.js';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** The header's dot and word for the event stream's state. */
export function LiveIndicator() {
  const { state } = useLiveConnection();
  return (
    <Group gap={6} wrap="nowrap" data-testid="live-indicator" data-state={state}>
      <span className="live-dot" data-state={state} aria-hidden="true" />
      <Text size="sm" visibleFrom="sm">
        {LABEL[state]}
      </Text>
      <VisuallyHidden hiddenFrom="sm">{`Live updates: ${LABEL[state]}`}</VisuallyHidden>
    </Group>
  );
}

const RESTORED_VISIBLE_MS = 5000;

/**
 * Says when live updates stop ("lost — reconnecting…") and when they come
 * back ("restored", for a few seconds). The live region is always in the
 * page so screen readers announce both changes.
 */
export function LiveBanner() {
  const { state, everConnected } = useLiveConnection();
  const lost = everConnected && (state === 'reconnecting' || state === 'offline');
  const [previous, setPrevious] = useState(state);
  const [wasLost, setWasLost] = useState(false);
  const [restored, setRestored] = useState(false);
  // Reacting to a change of state during render (React's documented pattern), not in an effect.
  if (previous !== state) {
    setPrevious(state);
    if (lost) {
      setWasLost(true);
      setRestored(false);
    } else if (state === 'connected' && wasLost) {
      setWasLost(false);
      setRestored(true);
    }
  }
  useEffect(() => {
    if (!restored) return;
    const timer = setTimeout(() => setRestored(false), RESTORED_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [restored]);

  return (
    <div aria-live="polite" data-testid="live-banner">
      {lost && (
        <Paper withBorder p="sm" mb="md" bg="var(--mantine-color-yellow-light)" data-state="lost">
          <Text fw={600} c="var(--mantine-color-yellow-light-color)">
            {state === 'offline' ? 'Live updates lost — you are offline; reconnecting when the network is back…' : 'Live updates lost — reconnecting…'}
          </Text>
        </Paper>
      )}
      {!lost && restored && (
        <Paper withBorder p="sm" mb="md" bg="var(--mantine-color-teal-light)" data-state="restored">
          <Text fw={600} c="var(--mantine-color-teal-light-color)">
            Live updates restored
          </Text>
        </Paper>
      )}
    </div>
  );
}
