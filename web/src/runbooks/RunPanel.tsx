import { Anchor, Badge, CloseButton, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useCallback } from 'react';
import { Link } from 'react-router';
import type { RunStep } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { useDirectory } from '../incidents/people.js';
import { RUN_STATUS } from '../runs/presentation.js';
import { useRun } from '../runs/queries.js';
import { latestStartedStep, StepItem } from '../runs/StepItem.js';
import '../runs/runs.css';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';

/**
 * The run started from this page (its id is in the address, `?run=…`, so
 * the link can be shared): each command's state, output, and what the
 * signed-in person may do next, as on the incident page. Steps update from live events.
 */
export function RunPanel({ runId, onClose }: { runId: string; onClose: () => void }) {
  const user = useCurrentUser();
  const run = useRun(runId);
  const { nameOf } = useDirectory();
  const requesterName = useCallback((step: RunStep) => nameOf(step.requestedBy), [nameOf]);
  const latest = run.data ? latestStartedStep(run.data) : null;
  return (
    <Panel
      title={run.data ? `Run: ${run.data.procedureTitle}` : 'Run'}
      testId="runbook-run"
      actions={<CloseButton onClick={onClose} aria-label="Close the run panel (the run goes on)" />}
    >
      {run.isPending && <Skeleton height={80} role="status" aria-label="Loading the run" />}
      {run.isError && <ErrorNotice error={run.error} title="Could not load the run" onRetry={() => void run.refetch()} />}
      {run.data && (
        <Stack gap="sm" data-run-id={run.data.id} data-status={run.data.status}>
          <Group gap="xs" wrap="wrap">
            <Badge variant="light" color={RUN_STATUS[run.data.status].color}>
              {RUN_STATUS[run.data.status].label}
            </Badge>
            <Text size="sm" c="dimmed">
              version {run.data.version} · started {formatDateTime(run.data.createdAt)}
            </Text>
            {run.data.incidentId && (
              <Anchor component={Link} to={`/incidents/${run.data.incidentId}`} size="sm" underline="always">
                Open the incident
              </Anchor>
            )}
            <Anchor component={Link} to={{ search: `?run=${run.data.id}&version=${run.data.version}` }} size="sm" underline="always">
              Link to this run
            </Anchor>
          </Group>
          {Object.keys(run.data.parameters).length > 0 && (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              Parameters: {Object.entries(run.data.parameters).map(([name, value]) => `${name}=${value}`).join(', ')}
            </Text>
          )}
          {user && (
            <ol className="checklist-commands" aria-label="Commands of the run">
              {run.data.steps.map((step) => (
                <StepItem
                  key={step.id}
                  run={run.data}
                  step={step}
                  caller={{ id: user.id, role: user.role }}
                  callerName={user.username}
                  requesterName={requesterName}
                  latest={step.id === latest?.id}
                />
              ))}
            </ol>
          )}
        </Stack>
      )}
    </Panel>
  );
}
