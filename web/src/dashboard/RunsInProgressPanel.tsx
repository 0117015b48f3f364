import { Anchor, Badge, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RunSummary } from '../api/types.js';
import { formatAgo } from '../common/format.js';
import { ListPanel } from '../common/ListPanel.js';
import { useNow } from '../common/use-now.js';
import { RUN_STATUS } from '../runs/presentation.js';
import { useRunsInProgress } from '../runs/queries.js';

const SHOWN = 10;

function RunRow({ run, now }: { run: RunSummary; now: number }) {
  const title = `${run.runbook.title} · ${run.procedureTitle}`;
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" data-testid="run-in-progress" data-run-id={run.id} data-status={run.status}>
      <div style={{ minWidth: 0 }}>
        {run.incidentId ? (
          <Anchor component={Link} to={`/incidents/${run.incidentId}`} fw={600} size="sm" lineClamp={1}>
            {title}
          </Anchor>
        ) : (
          <Text fw={600} size="sm" truncate>
            {title}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          started {formatAgo(run.createdAt, now)} · version {run.version}
        </Text>
      </div>
      <Badge color={RUN_STATUS[run.status].color} variant="light" style={{ flex: 'none' }}>
        {RUN_STATUS[run.status].label}
      </Badge>
    </Group>
  );
}

export function RunsInProgressPanel() {
  const now = useNow();
  const runs = useRunsInProgress(SHOWN);
  const items = runs.data ?? [];
  return (
    <ListPanel title="Runs in progress" testId="runs-in-progress" query={runs} count={items.length} noun="runs" emptyText="No runbook is running." skeletonHeight={64}>
      {items.map((run) => (
        <RunRow key={run.id} run={run} now={now} />
      ))}
    </ListPanel>
  );
}
