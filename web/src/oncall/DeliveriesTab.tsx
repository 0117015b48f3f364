import { Anchor, Badge, Button, NativeSelect, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import type { Delivery } from './describe.js';

type State = Delivery['state'];
const STATE_COLOR: Record<State, string> = { queued: 'blue', sent: 'teal', failed: 'red', skipped: 'gray' };
const PAGE = 50;

/** Every notification NEXUS sent or tried to send, per destination, newest first; updates as deliveries happen. */
export function DeliveriesTab() {
  const api = useApi();
  const [state, setState] = useState<State | null>(null);
  const filters = { ...(state ? { state } : {}), limit: PAGE };
  const deliveries = useInfiniteQuery({
    queryKey: queryKeys.oncall.notificationList(filters),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/notifications', { params: { query: { ...filters, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Panel title="Delivery log" count={deliveries.isSuccess ? items.length : undefined} testId="notification-list">
      <Stack gap="sm">
        <NativeSelect
          label="State"
          data={[{ value: '', label: 'Any' }, 'queued', 'sent', 'failed', 'skipped']}
          value={state ?? ''}
          onChange={(e) => setState((e.currentTarget.value || null) as State | null)}
          w={160}
        />
        {deliveries.isPending && <Skeleton height={80} aria-label="Loading the delivery log" />}
        {deliveries.isError && <ErrorNotice error={deliveries.error} title="Could not load the delivery log" onRetry={() => void deliveries.refetch()} />}
        {deliveries.isSuccess && items.length === 0 && <Text size="sm">Nothing was sent{state ? ` in state ${state}` : ''}.</Text>}
        {items.length > 0 && (
          <ScrollTable label="Notification deliveries" minWidth={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Incident</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Table.Tr key={d.id} data-testid="notification-row" data-state={d.state} data-channel={d.channel}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.sentAt ?? d.createdAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.subject}</Text>
                    <Text size="xs" c="dimmed">
                      {[d.severity, d.key].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.target}</Text>
                    <Text size="xs" c="dimmed">
                      {d.channel} via {d.via}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATE_COLOR[d.state]} size="sm">
                      {d.state}
                    </Badge>
                    {d.attempts > 1 && (
                      <Text size="xs" c="dimmed">
                        {d.attempts} attempts
                      </Text>
                    )}
                    {d.lastError && (
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {d.lastError}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {d.incidentId ? (
                      <Anchor component={Link} to={`/incidents/${d.incidentId}`} size="sm" underline="always" aria-label={`Open the incident of “${d.subject}”`}>
                        Open
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
        )}
        {deliveries.hasNextPage && (
          <Button variant="default" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
            Load more
          </Button>
        )}
      </Stack>
    </Panel>
  );
}
