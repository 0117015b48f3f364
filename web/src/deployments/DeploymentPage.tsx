import { Alert, Anchor, Badge, Button, Group, List, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { useNow } from '../common/use-now.js';
import { useCurrentUser } from '../session/queries.js';
import { hasRole } from '../session/roles.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { DeploymentChart } from './DeploymentChart.js';
import { availableActions, chartData, describeStep, FINISHED_STATES, STATE_COLOR, type DeploymentAction } from './model.js';
import { useDeployment, useDeploymentAction } from './queries.js';

const LABEL: Record<DeploymentAction, string> = { promote: 'Promote', pause: 'Pause', resume: 'Resume', abort: 'Abort', rollback: 'Roll back' };
/** The newest measurements in the table; the chart shows all of them. */
const MEASUREMENT_ROWS = 30;

function Actions({ id, actions }: { id: string; actions: DeploymentAction[] }) {
  const act = useDeploymentAction(id);
  const [confirming, setConfirming] = useState<'abort' | 'rollback' | null>(null);
  const [reason, setReason] = useState('');
  const ask = (action: 'abort' | 'rollback') => {
    act.reset();
    setReason('');
    setConfirming(action);
  };
  return (
    <>
      {actions.map((action) =>
        action === 'abort' || action === 'rollback' ? (
          <Button key={action} color="red" variant="light" onClick={() => ask(action)}>
            {LABEL[action]}
          </Button>
        ) : (
          <Button key={action} variant={action === 'promote' ? 'filled' : 'default'} loading={act.isPending && act.variables.action === action} onClick={() => act.mutate({ action })}>
            {LABEL[action]}
          </Button>
        ),
      )}
      {act.isError && !confirming && <ErrorNotice error={act.error} title="The deployment refused" />}
      <ConfirmModal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming === 'rollback' ? 'Roll back this deployment?' : 'Abort this deployment?'}
        confirmLabel={confirming ? LABEL[confirming] : ''}
        approval="No one else: it takes effect at once, and is audited."
        pending={act.isPending}
        error={act.error}
        onConfirm={() => confirming && act.mutate({ action: confirming, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { onSuccess: () => setConfirming(null) })}
      >
        <Stack gap="xs">
          <Text size="sm">All traffic goes back to the stable version, and stays there.</Text>
          <TextInput label="Reason" description="On the timeline and in the audit log" maxLength={500} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        </Stack>
      </ConfirmModal>
    </>
  );
}

/** `/deployments/:id`: where a rollout stands, its weight and analysis over time, and what an operator can do. */
export function DeploymentPage() {
  const { id = '' } = useParams();
  const deployment = useDeployment(id);
  const user = useCurrentUser();
  const now = useNow();
  const d = deployment.data;
  if (!d) {
    return (
      <>
        <PageHeader title="Deployment" />
        {deployment.isError ? <ErrorNotice error={deployment.error} title="Could not load the deployment" onRetry={() => void deployment.refetch()} /> : <Skeleton height={300} role="status" aria-label="Loading the deployment" />}
      </>
    );
  }
  const operator = user !== null && hasRole(user.role, 'operator');
  const actions = operator ? availableActions(d) : [];
  const measurements = d.measurements.slice(-MEASUREMENT_ROWS).reverse();
  return (
    <>
      <PageHeader
        title={`${d.service} ${d.version}`}
        description={`${d.strategy} through ${d.router}, from ${d.stable.version}; started by ${d.createdBy} ${formatDateTime(d.createdAt)}`}
        actions={actions.length > 0 && <Actions id={d.id} actions={actions} />}
      />
      <Stack gap="md">
        <Group gap="sm" data-testid="deployment-state">
          <Badge size="lg" variant="light" color={STATE_COLOR[d.state]}>
            {d.state.replace('_', ' ')}
          </Badge>
          <Text>
            {d.canaryWeight} % of traffic on {d.version}
            {d.pendingWeight !== null && d.pendingWeight !== d.canaryWeight ? ` (changing to ${d.pendingWeight} %)` : ''}
          </Text>
          {!operator && !FINISHED_STATES.includes(d.state) && (
            <Text size="sm" c="dimmed">
              Operators can promote, pause, abort or roll back.
            </Text>
          )}
        </Group>
        {d.reason && (
          <Alert color={d.state === 'failed' ? 'red' : 'yellow'} variant="light" title="Why">
            {d.reason}
          </Alert>
        )}
        {d.incidentId && (
          <Text>
            Incident opened:{' '}
            <Anchor component={Link} to={`/incidents/${d.incidentId}`}>
              view the incident
            </Anchor>
          </Text>
        )}
        <Panel title="Weight and analysis" testId="deployment-chart-panel">
          <DeploymentChart data={chartData(d, now)} label={`${d.service} ${d.version}`} />
        </Panel>
        <Panel title="Steps" count={d.steps.length} testId="deployment-steps">
          <List type="ordered" spacing={4}>
            {d.steps.map((step) => (
              <List.Item key={step.index} data-state={step.state} fw={step.index === d.currentStep && !FINISHED_STATES.includes(d.state) ? 700 : undefined}>
                {describeStep(step)}: {step.state}
                {step.message ? ` (${step.message})` : ''}
              </List.Item>
            ))}
          </List>
        </Panel>
        {measurements.length > 0 && (
          <Panel title="Measurements" count={d.measurements.length} testId="deployment-measurements">
            <ScrollTable label="Measurements" minWidth={640} columns={['Time', 'Step', 'Metric', 'Value', 'Result', 'Weight']}>
              {measurements.map((m) => (
                <Table.Tr key={m.seq}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.at)}</Table.Td>
                  <Table.Td>{m.step + 1}</Table.Td>
                  <Table.Td>{m.metric}</Table.Td>
                  <Table.Td>{m.value ?? '–'}</Table.Td>
                  <Table.Td>
                    {m.phase}
                    {m.message ? `: ${m.message}` : ''}
                  </Table.Td>
                  <Table.Td>{m.weight} %</Table.Td>
                </Table.Tr>
              ))}
            </ScrollTable>
          </Panel>
        )}
        <Panel title="Timeline" count={d.timeline.length} testId="deployment-timeline">
          <ScrollTable label="Timeline" minWidth={640} columns={['Time', 'Who', 'What']}>
            {[...d.timeline].reverse().map((e) => (
              <Table.Tr key={e.seq} data-kind={e.kind}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                <Table.Td>{e.actor}</Table.Td>
                <Table.Td>{e.summary}</Table.Td>
              </Table.Tr>
            ))}
          </ScrollTable>
        </Panel>
      </Stack>
    </>
  );
}
