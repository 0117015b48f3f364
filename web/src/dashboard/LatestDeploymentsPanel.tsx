import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime } from '../common/format.js';
import { STATE_COLOR } from '../deployments/model.js';
import { useDeploymentPages } from '../deployments/queries.js';
import { Panel } from '../shell/Panel.js';

/** The three newest deployments: what changed lately is the first question in an incident. */
export function LatestDeploymentsPanel() {
  const deployments = useDeploymentPages({});
  const items = deployments.data?.pages[0]?.items.slice(0, 3) ?? [];
  return (
    <Panel title="Latest deployments" testId="latest-deployments">
      {deployments.isError ? (
        <Text size="sm" c="red">
          Deployments could not be read.
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {deployments.isPending ? 'Loading…' : 'No deployments yet: nexus deploy start, or POST /api/v1/deployments.'}
        </Text>
      ) : (
        <Stack gap="xs">
          {items.map((d) => (
            <Group key={d.id} justify="space-between" wrap="nowrap" data-testid="latest-deployment">
              <div>
                <Anchor component={Link} to={`/deployments/${d.id}`} size="sm">
                  {d.service} {d.version}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {d.strategy} from {d.stable.version} · {formatDateTime(d.createdAt)} · {d.canaryWeight} % on {d.version}
                </Text>
              </div>
              <Badge variant="light" color={STATE_COLOR[d.state]} size="sm">
                {d.state.replace('_', ' ')}
              </Badge>
            </Group>
          ))}
          <Anchor component={Link} to="/deployments" size="sm">
            All deployments
          </Anchor>
        </Stack>
      )}
    </Panel>
  );
}
