import { Anchor, Badge, Button, CloseButton, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { unwrap, type ApiClient } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { Run, RunStep } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { formatDateTime } from '../common/format.js';
import { useLiveEvents } from '../live/LiveProvider.js';
import { hasRole } from '../session/roles.js';
import { useApi } from '../session/SessionProvider.js';
import { useCurrentUser } from '../session/use-current-user.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import classes from './runbook.module.css';

const STATE_COLOR: Record<RunStep['state'], string> = {
  pending: 'gray',
  'awaiting-approval': 'orange',
  queued: 'blue',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  'timed-out': 'red',
  cancelled: 'gray',
  skipped: 'gray',
  lost: 'red',
};
const STATUS_COLOR: Record<Run['status'], string> = { waiting: 'yellow', running: 'blue', succeeded: 'teal', failed: 'red', cancelled: 'gray' };
const FINISHED: readonly RunStep['state'][] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'lost'];
const NOT_STARTED: readonly RunStep['state'][] = ['pending', 'awaiting-approval', 'queued'];

type Action = 'run' | 'approve' | 'cancel';

function post(api: ApiClient, action: Action, id: string, step: string) {
  const params = { path: { id, step } };
  switch (action) {
    case 'run':
      return api.POST('/api/v1/runs/{id}/steps/{step}/run', { params, body: {} });
    case 'approve':
      return api.POST('/api/v1/runs/{id}/steps/{step}/approve', { params, body: {} });
    case 'cancel':
      return api.POST('/api/v1/runs/{id}/steps/{step}/cancel', { params, body: {} });
  }
}

const encoder = new TextEncoder();
/** Live chunks kept per command, and characters shown; the stored copy has the rest. */
const MAX_LIVE_CHUNKS = 2000;
const MAX_SHOWN_CHARS = 200_000;

/**
 * A command's output: the stored copy, then the `run.output` chunks that
 * arrive while it runs. Each chunk says at which byte of the output it
 * starts, so chunks the stored copy already holds are dropped.
 */
function CommandOutput({ runId, step }: { runId: string; step: RunStep }) {
  const api = useApi();
  const stored = useQuery({
    queryKey: queryKeys.runs.output(runId, step.commandId, step.attempt),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs/{id}/steps/{step}/output', { params: { path: { id: runId, step: step.commandId } }, signal })),
  });
  const [chunks, setChunks] = useState<Array<{ offset: number; text: string }>>([]);
  const finished = FINISHED.includes(step.state);
  const { refetch } = stored;
  // Once the command ends the stored copy is complete (and redacted): read it again.
  useEffect(() => {
    if (finished) void refetch();
  }, [finished, refetch]);

  useLiveEvents(['run.output'], (event) => {
    const data = event.data as { runId?: string; commandId?: string; attempt?: number; offset?: number; chunk?: string };
    if (data.runId !== runId || data.commandId !== step.commandId || data.attempt !== step.attempt) return;
    if (typeof data.offset !== 'number' || typeof data.chunk !== 'string') return;
    const chunk = { offset: data.offset, text: data.chunk };
    setChunks((current) => (current.some((c) => c.offset === chunk.offset) ? current : [...current, chunk].slice(-MAX_LIVE_CHUNKS)));
  });

  if (stored.isError) return <ErrorNotice error={stored.error} title="Could not load the output" />;
  // The stored copy, then each live chunk that starts where the text so far ends (or later, after a missed event).
  let text = stored.data?.output ?? '';
  let end = stored.data?.bytes ?? 0;
  for (const chunk of [...chunks].sort((a, b) => a.offset - b.offset)) {
    if (chunk.offset < end) continue;
    text += chunk.text;
    end = chunk.offset + encoder.encode(chunk.text).length;
  }
  if (text.length > MAX_SHOWN_CHARS) text = text.slice(-MAX_SHOWN_CHARS);
  if (stored.isPending) return <Skeleton height={32} aria-label="Loading output" />;
  if (text === '') return <Text size="xs" c="dimmed">{finished ? 'No output.' : 'No output yet.'}</Text>;
  return (
    <pre className={classes.output} tabIndex={0} aria-label={`Output of ${step.title}`} data-testid="runbook-run-output">
      {text}
    </pre>
  );
}

function StepRow({ run, step, userId, canApprove, canRequest }: { run: Run; step: RunStep; userId: string | null; canApprove: boolean; canRequest: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<Action | null>(null);
  const act = useMutation({
    mutationFn: (action: Action) => unwrap(post(api, action, run.id, step.commandId)),
    onSuccess: () => {
      setConfirm(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.detail(run.id) });
    },
  });
  const own = step.requestedBy !== null && step.requestedBy === userId;
  const actions: Action[] = [];
  if (step.state === 'pending' && canRequest) actions.push('run');
  if (step.state === 'awaiting-approval' && !own && canApprove) actions.push('approve');
  if (['queued', 'running', 'awaiting-approval'].includes(step.state) && canRequest && !step.cancelRequested) actions.push('cancel');
  const destructive = step.risk === 'destructive';
  const onAction = (action: Action) => {
    act.reset();
    if (action === 'cancel' || destructive) setConfirm(action);
    else act.mutate(action);
  };
  const label: Record<Action, string> = { run: 'Run', approve: 'Approve', cancel: 'Cancel' };

  return (
    <li data-testid="runbook-run-step" data-command-id={step.commandId} data-state={step.state} data-risk={step.risk}>
      <Stack gap={4}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap={6} wrap="wrap">
            <Badge variant="light" color={STATE_COLOR[step.state]} size="sm">
              {step.state}
            </Badge>
            <Badge variant="light" color={destructive ? 'red' : step.risk === 'change' ? 'orange' : 'gray'} size="sm">
              {step.risk}
            </Badge>
            <Text size="sm" fw={600}>
              {step.title}
            </Text>
          </Group>
          <Group gap={4}>
            {actions.map((action) => (
              <Button
                key={action}
                size="compact-sm"
                variant={action === 'cancel' ? 'subtle' : 'light'}
                color={action === 'cancel' ? 'gray' : undefined}
                onClick={() => onAction(action)}
                loading={act.isPending && act.variables === action}
                aria-label={`${label[action]} ${step.command.split('\n')[0]?.slice(0, 60)}`}
              >
                {label[action]}
              </Button>
            ))}
          </Group>
        </Group>
        <pre className={classes.code}>
          <code>{step.command}</code>
        </pre>
        {step.state === 'awaiting-approval' && (
          <Text size="xs" c="dimmed">
            Waits for a second person with the operator role{own ? ' (not you: you requested it)' : ''}.
          </Text>
        )}
        {(step.exitCode !== null || step.error) && (
          <Text size="xs" c="dimmed">
            {[step.exitCode !== null ? `exit ${step.exitCode}` : null, step.durationMs !== null ? `${(step.durationMs / 1000).toFixed(1)} s` : null, step.error]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        )}
        {act.isError && confirm === null && <ErrorNotice error={act.error} title="The server refused" />}
        {!NOT_STARTED.includes(step.state) && <CommandOutput runId={run.id} step={step} />}
      </Stack>
      <ConfirmModal
        opened={confirm !== null}
        onClose={() => setConfirm(null)}
        title={confirm === 'cancel' ? 'Cancel this command?' : confirm === 'approve' ? 'Approve a destructive command?' : 'Request a destructive command?'}
        confirmLabel={confirm === 'cancel' ? 'Cancel the command' : confirm === 'approve' ? 'Approve and run' : 'Request approval'}
        approval={
          confirm === 'cancel'
            ? 'No one else: it stops at once (a running command has its processes killed).'
            : confirm === 'approve'
              ? 'Yours is the second pair of eyes: it runs as soon as you approve.'
              : 'A second person (not you) with the operator role must approve it before it runs.'
        }
        onConfirm={() => confirm && act.mutate(confirm)}
        pending={act.isPending}
        error={act.error}
      >
        <pre className={classes.code}>
          <code>{step.command}</code>
        </pre>
      </ConfirmModal>
    </li>
  );
}

/**
 * The run started from this page (its id is in the address, `?run=…`, so
 * the link can be shared): each command's state, output, and what the
 * signed-in person may do next. Steps update from live events.
 */
export function RunPanel({ runId, onClose }: { runId: string; onClose: () => void }) {
  const api = useApi();
  const user = useCurrentUser();
  const run = useQuery({
    queryKey: queryKeys.runs.detail(runId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs/{id}', { params: { path: { id: runId } }, signal })),
  });
  const canRequest = user !== null && hasRole(user.role, 'responder');
  const canApprove = user !== null && hasRole(user.role, 'operator');
  return (
    <Panel
      title={run.data ? `Run: ${run.data.procedureTitle}` : 'Run'}
      testId="runbook-run"
      actions={<CloseButton onClick={onClose} aria-label="Close the run panel (the run goes on)" />}
    >
      {run.isPending && <Skeleton height={80} aria-label="Loading the run" />}
      {run.isError && <ErrorNotice error={run.error} title="Could not load the run" onRetry={() => void run.refetch()} />}
      {run.data && (
        <Stack gap="sm" data-run-id={run.data.id} data-status={run.data.status}>
          <Group gap="xs" wrap="wrap">
            <Badge variant="light" color={STATUS_COLOR[run.data.status]}>
              {run.data.status}
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
          <Stack component="ol" gap="md" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Commands of the run">
            {run.data.steps.map((step) => (
              <StepRow key={step.id} run={run.data} step={step} userId={user?.id ?? null} canApprove={canApprove} canRequest={canRequest} />
            ))}
          </Stack>
        </Stack>
      )}
    </Panel>
  );
}
