import { Anchor, Badge, NativeSelect, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { DeploymentState } from '../api/types.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { PageHeader } from '../shell/PageHeader.js';
import { STATE_COLOR } from './model.js';
import { useDeploymentPages } from './queries.js';

const STATES = Object.keys(STATE_COLOR) as DeploymentState[];

function DeploymentList() {
  const [state, setState] = useState<DeploymentState | ''>('');
  const pages = useDeploymentPages(state ? { state } : {});
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <ListPanel
      title="Deployments"
      testId="deployment-list"
      query={pages}
      count={items.length}
      noun="deployments"
      note="Started with `nexus deploy start` or the API; operators act on them from each deployment's page."
      controls={
        <NativeSelect
          label="State"
          w={200}
          data={[{ value: '', label: 'Any state' }, ...STATES.map((s) => ({ value: s, label: s.replace('_', ' ') }))]}
          value={state}
          onChange={(e) => setState(e.currentTarget.value as DeploymentState | '')}
        />
      }
      emptyText="No deployments yet."
    >
      {items.length > 0 && (
        <ScrollTable label="Deployments" minWidth={760} columns={['Service', 'Version', 'Strategy', 'State', 'Traffic on new', 'Step', 'Started']}>
          {items.map((d) => (
            <Table.Tr key={d.id} data-testid="deployment-row" data-state={d.state}>
              <Table.Td>
                <Anchor component={Link} to={`/deployments/${d.id}`} fw={600}>
                  {d.service}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {d.version}
                </Text>
                <Text size="xs" c="dimmed">
                  from {d.stable.version}
                </Text>
              </Table.Td>
              <Table.Td>{d.strategy}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={STATE_COLOR[d.state]} size="sm">
                  {d.state.replace('_', ' ')}
                </Badge>
              </Table.Td>
              <Table.Td>{d.canaryWeight} %</Table.Td>
              <Table.Td>
                {Math.min(d.currentStep + 1, d.steps.length)} of {d.steps.length}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
    </ListPanel>
  );
}

/** `/deployments`: every rollout, newest first, live. */
export function DeploymentsPage() {
  return (
    <>
      <PageHeader title="Deployments" description="Canary and blue-green rollouts: traffic, analysis and gates" />
      <DeploymentList />
    </>
  );
}
