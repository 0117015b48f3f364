import { Anchor, Badge, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { RunStatus, RunSummary } from '../api/types.js';
import { formatAgo } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';

/** `waiting`: a step is pending or awaiting approval, or a manual check is unticked; someone has to act. */
const IN_PROGRESS: readonly RunStatus[] = ['running', 'waiting'];
const STATUS_LABEL: Partial<Record<RunStatus, string>> = { running: 'running', waiting: 'waiting for someone' };
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
      <Badge color={run.status === 'running' ? 'blue' : 'yellow'} variant="light" style={{ flex: 'none' }}>
        {STATUS_LABEL[run.status] ?? run.status}
      </Badge>
    </Group>
  );
}

export function RunsInProgressPanel() {
  const api = useApi();
  const now = useNow();
  const runs = useQuery({
    queryKey: queryKeys.runs.list({ status: 'in-progress', limit: SHOWN }),
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(
        IN_PROGRESS.map((status) => unwrap(api.GET('/api/v1/runs', { params: { query: { status, limit: SHOWN } }, signal }))),
      );
      return pages
        .flatMap((page) => page.items)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
        .slice(0, SHOWN);
    },
  });
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
