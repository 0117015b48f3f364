import { Badge, Button, Code, Group, Skeleton, Stack, Switch, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { ResponseOf } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { formatDateTime } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import { formatMatcher } from './matchers.js';

export type Silence = ResponseOf<'/api/v1/silences', 'get'>['items'][number];
const PAGE = 50;

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
  const api = useApi();
  const queryClient = useQueryClient();
  const now = useNow();
  const [activeOnly, setActiveOnly] = useState(true);
  const [expiring, setExpiring] = useState<Silence | null>(null);
  const filters = { ...(activeOnly ? { active: true } : {}), limit: PAGE };
  const silences = useInfiniteQuery({
    queryKey: queryKeys.silences.list(filters),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/silences', { params: { query: { ...filters, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const expire = useMutation({
    mutationFn: (silence: Silence) => unwrap(api.DELETE('/api/v1/silences/{id}', { params: { path: { id: silence.id } } })),
    onSuccess: () => {
      setExpiring(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.silences.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.alerts.all });
    },
  });
  const items = silences.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Panel
      title="Silences"
      count={silences.isSuccess ? items.length : undefined}
      testId="silence-list"
      actions={
        canEdit ? (
          <Button size="xs" onClick={onCreate}>
            New silence
          </Button>
        ) : undefined
      }
    >
      <Stack gap="sm">
        <Switch label="Active only" checked={activeOnly} onChange={(event) => setActiveOnly(event.currentTarget.checked)} />
        {!canEdit && (
          <Text size="xs" c="dimmed">
            Creating and expiring silences needs the responder role.
          </Text>
        )}
        {silences.isPending && <Skeleton height={60} aria-label="Loading silences" />}
        {silences.isError && <ErrorNotice error={silences.error} title="Could not load silences" onRetry={() => void silences.refetch()} />}
        {silences.isSuccess && items.length === 0 && <Text size="sm">{activeOnly ? 'Nothing is silenced now.' : 'No silence yet.'}</Text>}
        {items.length > 0 && (
          <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Silences">
            {items.map((silence) => (
              <SilenceRow
                key={silence.id}
                silence={silence}
                now={now}
                onExpire={
                  canEdit
                    ? (s) => {
                        expire.reset();
                        setExpiring(s);
                      }
                    : null
                }
              />
            ))}
          </Stack>
        )}
        {silences.hasNextPage && (
          <Button variant="default" onClick={() => void silences.fetchNextPage()} loading={silences.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
            Load more
          </Button>
        )}
      </Stack>
      <ConfirmModal
        opened={expiring !== null}
        onClose={() => setExpiring(null)}
        title="Expire this silence?"
        confirmLabel="Expire now"
        approval="No one else: it ends at once. It stays on record as expired."
        onConfirm={() => expiring && expire.mutate(expiring)}
        pending={expire.isPending}
        error={expire.error}
      >
        <Text size="sm">Alerts it matches will page people again from now on{expiring ? `: ${expiring.matchers.map(formatMatcher).join(', ')}` : ''}.</Text>
      </ConfirmModal>
    </Panel>
  );
}
