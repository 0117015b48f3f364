import { Anchor, Badge, NativeSelect, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import type { Delivery } from './describe.js';
import { useDeliveryPages } from './queries.js';

type State = Delivery['state'];
const STATE_COLOR: Record<State, string> = { queued: 'blue', sent: 'teal', failed: 'red', skipped: 'gray' };

/** By what, and for people paged through a rotation, which one: the `target` and the key stay in the API for machines. */
function meansText(d: Delivery): string {
  return d.via.startsWith('rotation:') ? `${d.means}, on call in ${d.via.slice('rotation:'.length)}` : d.means;
}

/** Every notification NEXUS sent or tried to send, per destination, newest first; updates as deliveries happen. */
export function DeliveriesTab() {
  const [state, setState] = useState<State | null>(null);
  const deliveries = useDeliveryPages(state);
  const items = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  const stateFilter = (
    <NativeSelect
      label="State"
      data={[{ value: '', label: 'Any' }, 'queued', 'sent', 'failed', 'skipped']}
      value={state ?? ''}
      onChange={(e) => setState((e.currentTarget.value || null) as State | null)}
      w={160}
    />
  );
  return (
    <ListPanel title="Delivery log" testId="notification-list" query={deliveries} count={items.length} noun="the delivery log" controls={stateFilter}
      emptyText={`Nothing was sent${state ? ` in state ${state}` : ''}.`} skeletonHeight={80}>
      {items.length > 0 && (
        <ScrollTable label="Notification deliveries" minWidth={900} columns={['When', 'What', 'To', 'State', 'Incident']}>
          {items.map((d) => (
            <Table.Tr key={d.id} data-testid="notification-row" data-state={d.state} data-channel={d.channel}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.sentAt ?? d.createdAt)}</Table.Td>
              <Table.Td>
                <Text size="sm">{d.subject}</Text>
                {d.severity && (
                  <Text size="xs" c="dimmed">
                    {d.severity}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{d.recipient}</Text>
                <Text size="xs" c="dimmed">
                  {meansText(d)}
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
        </ScrollTable>
      )}
    </ListPanel>
  );
}
