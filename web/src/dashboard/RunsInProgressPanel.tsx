import { Anchor, Badge, Group, Skeleton, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RunSummary } from '../api/types.js';
import { formatAgo } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { RUN_STATUS } from '../runs/presentation.js';
import { useRunsInProgress } from '../runs/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';

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
  return (
    <Panel title="Runs in progress" count={runs.data?.length} testId="runs-in-progress">
      {runs.isPending && <Skeleton height={64} aria-label="Loading runs" />}
      {runs.isError && <ErrorNotice error={runs.error} title="Could not load runs" onRetry={() => void runs.refetch()} />}
      {runs.isSuccess && runs.data.length === 0 && <Text size="sm">No runbook is running.</Text>}
      {runs.isSuccess && runs.data.length > 0 && (
        <Stack gap="sm">
          {runs.data.map((run) => (
            <RunRow key={run.id} run={run} now={now} />
          ))}
        </Stack>
      )}
    </Panel>
  );
}
