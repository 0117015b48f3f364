import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { IncidentDetail } from '../api/types.js';
import { useConfirmed } from '../common/crud.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { formatAgo, formatDateTime } from '../common/format.js';
import { useNow } from '../common/use-now.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';

type Change = IncidentDetail['changes'][number];
type ChangeAction = 'abort' | 'rollback';
/** Deployment states a person can still stop (src/deployments/service.ts abort and rollback). */
const STOPPABLE = new Set(['progressing', 'paused']);

const ACTIONS: Record<ChangeAction, { label: string; title: string; effect: (change: Change) => string }> = {
  abort: { label: 'Abort', title: 'Abort this deployment?', effect: (c) => `All traffic of ${c.service} goes back to ${c.stableVersion}; the deployment ends as aborted.` },
  rollback: { label: 'Roll back', title: 'Roll back this deployment?', effect: (c) => `All traffic of ${c.service} goes back to ${c.stableVersion}; the deployment ends as rolled back.` },
};

function describe(change: Change, incident: IncidentDetail, now: number): string {
  const opened = Date.parse(incident.triggeredAt);
  const weightAt = Date.parse(change.weightAt);
  const minutes = Math.round(Math.abs(opened - weightAt) / 60_000);
  const when = weightAt <= opened ? `${minutes} min before this incident opened` : `${formatAgo(change.weightAt, now)}`;
  const what = `${change.version} ${change.inProgress ? 'reached' : `${change.state.replace('_', ' ')} at`} ${change.weight} %${change.strategy ? ` ${change.strategy}` : ''}`;
  return `${what} ${when}`;
}

/**
 * The deployments of the incident's service around it (the first suspect),
 * with a one-click abort or rollback while one is still in progress: the
 * deployments API decides, and refuses callers below operator.
 */
export function IncidentChanges({ incident }: { incident: IncidentDetail }) {
  const now = useNow();
  const api = useApi();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const canStop = user !== null && hasRole(user.role, 'operator');
  const stop = useMutation({
    mutationFn: ({ change, action }: { change: Change; action: ChangeAction }) =>
      unwrap(
        api.POST(`/api/v1/deployments/{id}/${action}`, {
          params: { path: { id: change.deploymentId } },
          body: { reason: `${action === 'abort' ? 'aborted' : 'rolled back'} from incident "${incident.title}"`.slice(0, 500) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.detail(incident.id) }),
  });
  const confirm = useConfirmed(stop);
  if (incident.changes.length === 0) return null;
  const asked = confirm.target;

  return (
    <Stack gap={4} data-testid="incident-changes">
      {incident.changes.map((change) => (
        <Group key={change.deploymentId} gap="xs" data-testid="incident-change" data-state={change.state}>
          <Badge color={change.inProgress ? 'orange' : 'gray'} variant="light" radius="sm">
            {change.inProgress ? 'deploying' : change.state.replace('_', ' ')}
          </Badge>
          <Text size="sm" title={`${change.summary} (${formatDateTime(change.at)})`}>
            {describe(change, incident, now)}
          </Text>
          {canStop &&
            STOPPABLE.has(change.state) &&
            (['abort', 'rollback'] as const).map((action) => (
              <Button key={action} size="compact-xs" color="red" variant={action === 'abort' ? 'filled' : 'default'} onClick={() => confirm.ask({ change, action })}>
                {ACTIONS[action].label}
              </Button>
            ))}
        </Group>
      ))}
      {asked && (
        <ConfirmModal
          {...confirm.modal}
          title={ACTIONS[asked.action].title}
          confirmLabel={ACTIONS[asked.action].label}
          approval="No one else: it takes effect at once."
        >
          <Text size="sm">
            {asked.change.service} {asked.change.version} (at {asked.change.weight} %). {ACTIONS[asked.action].effect(asked.change)}
          </Text>
        </ConfirmModal>
      )}
      {stop.isError && confirm.target === null && <ErrorNotice error={stop.error} title="The deployment did not stop" />}
    </Stack>
  );
}
