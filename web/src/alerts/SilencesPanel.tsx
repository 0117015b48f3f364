import { Badge, Button, Code, Group, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { useConfirmed } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { formatMatcher } from './matchers.js';
import { useExpireSilence, useSilencePages, type Silence } from './queries.js';

function SilenceRow({ silence, now, onExpire }: { silence: Silence; now: number; onExpire: ((silence: Silence) => void) | null }) {
  const upcoming = !silence.active && Date.parse(silence.startsAt) > now;
  return (
    <li
      id={`silence-${silence.id}`}
      data-testid="silence-row"
      data-silence-id={silence.id}
      data-active={silence.active}
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)', paddingBottom: 'var(--mantine-spacing-xs)', scrollMarginTop: 72 }}
    >
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Group gap={6} wrap="wrap">
            <Badge variant="light" color={silence.kind === 'maintenance' ? 'blue' : 'gray'} size="sm">
              {silence.kind === 'maintenance' ? 'maintenance' : 'silence'}
            </Badge>
            <Badge variant="light" color={silence.active ? 'teal' : 'gray'} size="sm">
              {silence.active ? 'active' : upcoming ? 'not started' : 'expired'}
            </Badge>
          </Group>
          <Group gap={4} wrap="wrap">
            {silence.matchers.map((m, i) => (
              <Code key={i} style={{ overflowWrap: 'anywhere' }}>
                {formatMatcher(m)}
              </Code>
            ))}
          </Group>
          <Text size="sm">{silence.comment}</Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(silence.startsAt)} to {formatDateTime(silence.endsAt)} · by {silence.createdBy}
          </Text>
        </Stack>
        {onExpire && (silence.active || upcoming) && (
          <Button size="compact-sm" variant="default" color="red" onClick={() => onExpire(silence)} aria-label={`Expire the silence “${silence.comment.slice(0, 60)}”`}>
            Expire
          </Button>
        )}
      </Group>
    </li>
  );
}

/** Silences and maintenance windows, newest first; responders create and expire them. */
export function SilencesPanel({ canEdit, onCreate }: { canEdit: boolean; onCreate: () => void }) {
  const now = useNow();
  const [activeOnly, setActiveOnly] = useState(true);
  const silences = useSilencePages(activeOnly);
  const expire = useConfirmed(useExpireSilence());
  const expiring = expire.target;
  const items = silences.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <ListPanel title="Silences" testId="silence-list" query={silences} count={items.length} noun="silences" addLabel="New silence" onAdd={canEdit ? onCreate : null}
      controls={<Switch label="Active only" checked={activeOnly} onChange={(event) => setActiveOnly(event.currentTarget.checked)} />}
      note={canEdit ? undefined : 'Creating and expiring silences needs the responder role.'} emptyText={activeOnly ? 'Nothing is silenced now.' : 'No silence yet.'}>
      {items.length > 0 && (
        <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Silences">
          {items.map((silence) => (
            <SilenceRow key={silence.id} silence={silence} now={now} onExpire={canEdit ? expire.ask : null} />
          ))}
        </Stack>
      )}
      <ConfirmModal
        {...expire.modal}
        title="Expire this silence?"
        confirmLabel="Expire now"
        approval="No one else: it ends at once. It stays on record as expired."
      >
        <Text size="sm">Alerts it matches will page people again from now on{expiring ? `: ${expiring.matchers.map(formatMatcher).join(', ')}` : ''}.</Text>
      </ConfirmModal>
    </ListPanel>
  );
}
