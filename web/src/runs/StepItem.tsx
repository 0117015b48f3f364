import { Badge, Button, Code, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useId, useState } from 'react';
import type { Run, RunStep } from '../api/types.js';
import { formatDuration } from '../common/format.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { needsApproval, requestRefusal, RUN_POLICY, RETRYABLE, stepActions, type Caller, type StepAction } from './policy.js';
import { RISK, STEP_STATE } from './presentation.js';
import { useStepAction } from './queries.js';
import { StepOutput } from './StepOutput.js';

const ACTION_LABEL: Record<StepAction, string> = {
  run: 'Run',
  retry: 'Run again',
  approve: 'Approve',
  reject: 'Reject',
  skip: 'Skip',
  cancel: 'Cancel',
};

/** The run's most recently started command: its output shows without asking. */
export function latestStartedStep(run: Run): RunStep | null {
  return run.steps.reduce<RunStep | null>((last, step) => (step.startedAt && (!last?.startedAt || step.startedAt > last.startedAt) ? step : last), null);
}

function resultText(step: RunStep): string | null {
  const parts: string[] = [];
  if (step.exitCode !== null) parts.push(`exit ${step.exitCode}`);
  if (step.durationMs !== null) parts.push(formatDuration(step.durationMs) === '0 s' ? `${step.durationMs} ms` : formatDuration(step.durationMs));
  if (step.attempt > 1) parts.push(`attempt ${step.attempt}`);
  return parts.length ? parts.join(' · ') : null;
}

/**
 * One command of the run: what it runs, its risk and state, what the
 * caller may do with it now, and its output. Destructive commands are
 * confirmed in a dialog that says who must approve them.
 */
export function StepItem({
  run,
  step,
  caller,
  callerName,
  requesterName,
  latest = false,
}: {
  run: Run;
  step: RunStep;
  caller: Caller;
  callerName: string;
  requesterName: (step: RunStep) => string;
  /** The run's most recently started command: its output shows without asking. */
  latest?: boolean;
}) {
  const act = useStepAction();
  const [confirming, setConfirming] = useState<StepAction | null>(null);
  const commandId = useId();
  const runOpen = run.status !== 'cancelled';
  const actions = stepActions(step, caller, runOpen);
  const destructive = step.risk === 'destructive';
  const approval = needsApproval(step.risk);
  const state = STEP_STATE[step.state];
  const risk = RISK[step.risk];
  const result = resultText(step);

  const perform = (action: StepAction) => {
    act.reset();
    // A refusal stays in the open dialog, in the server's words; success closes it.
    act.mutate({ runId: run.id, action, step: step.commandId }, { onSuccess: () => setConfirming(null) });
  };
  const onAction = (action: StepAction) => {
    const asksConfirmation = destructive && (action === 'run' || action === 'retry' || action === 'approve');
    if (asksConfirmation) {
      act.reset();
      setConfirming(action);
    } else perform(action);
  };

  return (
    <li className="run-step" data-testid="run-step" data-command-id={step.commandId} data-state={step.state} data-risk={step.risk}>
      <Stack gap={6}>
        <Group gap={6} wrap="wrap">
          <Badge size="sm" variant="light" color={state.color} data-testid="step-state">
            {state.label}
          </Badge>
          <Badge size="sm" variant="dot" color={risk.color} title={risk.description} data-testid="step-risk">
            <VisuallyHidden>Risk: </VisuallyHidden>
            {risk.label}
          </Badge>
          {result && (
            <Text size="xs" c="dimmed" data-testid="step-result">
              {result}
            </Text>
          )}
        </Group>
        {step.description && (
          <Text size="sm" c="dimmed">
            {step.description}
          </Text>
        )}
        <Code block id={commandId} className="command-text">
          {step.command}
        </Code>
        {step.state === 'awaiting-approval' && (
          <Text size="sm" data-testid="awaiting-approval">
            Requested by {requesterName(step)}. Waiting for a second person with the {RUN_POLICY.approver} role or higher to approve it.
          </Text>
        )}
        {step.error && step.state !== 'running' && (
          <Text size="sm" c={step.state === 'pending' ? undefined : 'var(--mantine-color-error)'}>
            {step.error}
          </Text>
        )}
        {step.cancelRequested && <Text size="sm">Cancelling: the runner is stopping the command.</Text>}
        {actions.length > 0 && (
          <Group gap="xs">
            {actions.map((action) => (
              <Button
                key={action}
                size="compact-sm"
                variant={action === 'run' || action === 'retry' || action === 'approve' ? 'filled' : 'default'}
                color={(action === 'run' || action === 'approve') && destructive ? 'red' : undefined}
                aria-describedby={commandId}
                loading={act.isPending && act.variables?.action === action}
                disabled={act.isPending}
                onClick={() => onAction(action)}
              >
                {action === 'run' && approval ? 'Request approval to run' : ACTION_LABEL[action]}
              </Button>
            ))}
          </Group>
        )}
        {runOpen && caller.role !== 'viewer' && (step.state === 'pending' || RETRYABLE.includes(step.state)) && !actions.includes('run') && !actions.includes('retry') && (
          <Text size="sm" c="dimmed">
            {requestRefusal(step.risk, caller.role) ?? ''}
          </Text>
        )}
        {act.isError && !confirming && <ErrorNotice error={act.error} title={`Could not ${ACTION_LABEL[act.variables?.action ?? 'run'].toLowerCase()} this command`} />}
        <StepOutput runId={run.id} step={step} openByDefault={latest || step.state === 'failed' || step.state === 'timed-out'} />
      </Stack>

      <ConfirmModal
        opened={confirming === 'run' || confirming === 'retry'}
        title="Run a destructive command?"
        confirmLabel="Request approval"
        pending={act.isPending}
        error={confirming ? act.error : null}
        onConfirm={() => perform(confirming ?? 'run')}
        onClose={() => setConfirming(null)}
        approval={
          <span data-testid="who-must-approve">
            a second person with the {RUN_POLICY.approver} role or higher, not you ({callerName}).
          </span>
        }
      >
        <Code block className="command-text" mb="xs">
          {step.command}
        </Code>
        <Text size="sm">{risk.description}. It does not run yet: it waits until someone else approves it.</Text>
      </ConfirmModal>
      <ConfirmModal
        opened={confirming === 'approve'}
        title="Approve a destructive command?"
        confirmLabel="Approve and run"
        pending={act.isPending}
        error={confirming ? act.error : null}
        onConfirm={() => perform('approve')}
        onClose={() => setConfirming(null)}
        approval={<span data-testid="who-must-approve">you are the second person; {requesterName(step)} asked for it.</span>}
      >
        <Code block className="command-text" mb="xs">
          {step.command}
        </Code>
        <Text size="sm">{risk.description}. It runs as soon as you approve it.</Text>
      </ConfirmModal>
    </li>
  );
}
