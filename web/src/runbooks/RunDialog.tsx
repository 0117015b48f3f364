import { Alert, Button, Group, Modal, Radio, NativeSelect, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { Run, RunStep } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { useOpenIncidents } from '../incidents/queries.js';
import { requiredParameters } from '../runs/parameters.js';
import { useStartRun, useStepAction } from '../runs/queries.js';
import { RunParameters, useRunParameters } from '../runs/RunParameters.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import type { RunbookDetail } from './model.js';
import { declaredParameters } from './parameters.js';
import type { RunTarget } from './RunbookMarkdown.js';

/** The step key a target is requested by: a command id, a step id (all its commands), or none for a whole procedure. */
function targetKey(target: RunTarget): string | null {
  if (target.kind === 'command') return target.command.id;
  if (target.kind === 'step') return target.step.id;
  return null;
}

function targetSteps(run: Run, target: RunTarget): RunStep[] {
  if (target.kind === 'command') return run.steps.filter((s) => s.commandId === target.command.id);
  if (target.kind === 'step') return run.steps.filter((s) => s.stepId === target.step.id && s.state === 'pending');
  return [];
}

function describeTarget(target: RunTarget): string {
  if (target.kind === 'procedure') return `the procedure “${target.procedure.title}”`;
  if (target.kind === 'step') return `the step “${target.step.title}” (${target.step.commands.length} command${target.step.commands.length === 1 ? '' : 's'})`;
  return 'this command';
}

const OPEN_RUN: readonly Run['status'][] = ['waiting', 'running'];

interface RunFormProps {
  target: RunTarget;
  detail: RunbookDetail;
  /** The run open on this page, offered for a step of the same procedure and version. */
  activeRun: Run | null;
  defaultIncidentId: string | null;
  onClose: () => void;
  onStarted: (run: Run) => void;
}

/**
 * Starts a run of a procedure and, for a step or command, requests it in
 * that run. Asks first for the parameters the procedure needs (described
 * from the runbook's front matter) and, optionally, the incident the run
 * belongs to. A destructive command is confirmed before it is requested,
 * saying that a second person must approve it.
 */
export function RunDialog({ target, ...form }: Omit<RunFormProps, 'target'> & { target: RunTarget | null }) {
  // Keyed by target so every opening starts from a clean form.
  const key = target ? `${target.kind}:${targetKey(target) ?? target.procedure.id}` : 'closed';
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={target !== null} onClose={form.onClose} title={target ? `Run ${describeTarget(target)}` : ''} size="lg">
      {target && <RunForm key={key} target={target} {...form} />}
    </Modal>
  );
}

function RunForm({ target, detail, activeRun, defaultIncidentId, onClose, onStarted }: RunFormProps) {
  const incidents = useOpenIncidents();
  const { procedure } = target;
  const required = useMemo(() => requiredParameters(procedure), [procedure]);
  const described = useMemo(() => declaredParameters(detail.parsed.frontMatter), [detail.parsed.frontMatter]);
  const parameters = useRunParameters(required);
  const reusable =
    activeRun !== null &&
    target.kind !== 'procedure' &&
    activeRun.procedureId === procedure.id &&
    activeRun.version === detail.version.version &&
    OPEN_RUN.includes(activeRun.status) &&
    targetSteps(activeRun, target).length > 0
      ? activeRun
      : null;
  const [where, setWhere] = useState<'existing' | 'new'>(reusable ? 'existing' : 'new');
  const [incidentId, setIncidentId] = useState<string | null>(defaultIncidentId);
  /** A run whose destructive step waits for the go-ahead here. */
  const [confirming, setConfirming] = useState<{ run: Run; steps: RunStep[] } | null>(null);
  /** The run the target was last requested in, to show it when the step is refused. */
  const [requestedIn, setRequestedIn] = useState<Run | null>(null);

  const start = useStartRun();
  const request = useStepAction();
  const requestIn = (run: Run) => {
    setRequestedIn(run);
    request.mutate({ runId: run.id, action: 'run', step: targetKey(target)! }, { onSuccess: () => onStarted(run) });
  };
  const startRun = () =>
    start.mutate(
      {
        runbook: detail.runbook.slug,
        version: detail.version.version,
        procedure: procedure.id,
        ...(incidentId ? { incidentId } : {}),
        ...parameters.body(),
      },
      { onSuccess: (run) => proceed(run) },
    );

  /** After the run exists: a procedure is done; a step or command is requested, destructive ones after a confirmation. */
  const proceed = (run: Run) => {
    if (target.kind === 'procedure') {
      onStarted(run);
      return;
    }
    const steps = targetSteps(run, target);
    if (steps.some((step) => step.risk === 'destructive')) setConfirming({ run, steps });
    else requestIn(run);
  };

  const missing = where === 'new' ? parameters.missing : [];
  const pending = start.isPending || request.isPending;

  if (confirming) {
    const destructive = confirming.steps.filter((step) => step.risk === 'destructive');
    return (
      <Stack gap="sm" data-testid="run-confirm">
        <Alert color="red" variant="light" title="Destructive">
          {destructive.map((step) => (
            <Text key={step.id} size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {step.command}
            </Text>
          ))}
        </Alert>
        <Text size="sm">This is hard or impossible to undo. Requesting it does not run it yet.</Text>
        <Text size="sm">
          <strong>Approval:</strong> a second person must approve it before it runs: someone other than you with the operator role (the default run policy;
          the server&apos;s NEXUS_RUN_POLICY may name another role).
        </Text>
        {request.isError && <ErrorNotice error={request.error} title="The server refused" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={() => onStarted(confirming.run)} disabled={request.isPending}>
            Not now (leave it pending)
          </Button>
          <Button color="red" onClick={() => requestIn(confirming.run)} loading={request.isPending} data-autofocus>
            Request approval
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (missing.length > 0) return;
        if (where === 'existing' && reusable) proceed(reusable);
        else startRun();
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {target.kind === 'procedure'
            ? `Starts a run of version ${detail.version.version}; its steps wait until someone runs them.`
            : `Runs ${describeTarget(target)} as part of a run of “${procedure.title}” (version ${detail.version.version}); its other steps wait.`}
        </Text>
        {reusable && (
          <Radio.Group label="Where" value={where} onChange={(value) => setWhere(value as 'existing' | 'new')}>
            <Stack gap={6} mt={4}>
              <Radio value="existing" label={`In the open run started ${formatDateTime(reusable.createdAt)}`} />
              <Radio value="new" label="In a new run" />
            </Stack>
          </Radio.Group>
        )}
        {where === 'new' && (
          <>
            <NativeSelect
              label="Incident"
              description="Optional: the run shows on the incident's page and in its timeline."
              data={[
                { value: '', label: incidents.isPending ? 'Loading open incidents…' : 'No incident' },
                ...(incidents.data ?? []).map((incident) => ({ value: incident.id, label: `${incident.severity} · ${incident.title}` })),
                // An incident named in the address that is not open (or not loaded yet) stays choosable.
                ...(incidentId && !(incidents.data ?? []).some((incident) => incident.id === incidentId) ? [{ value: incidentId, label: `Incident ${incidentId.slice(0, 8)}` }] : []),
              ]}
              value={incidentId ?? ''}
              onChange={(e) => setIncidentId(e.currentTarget.value || null)}
            />
            {incidents.isError && <ErrorNotice error={incidents.error} title="Could not load open incidents" />}
            <RunParameters parameters={required} help={described} state={parameters} />
          </>
        )}
        {start.isError && <ErrorNotice error={start.error} title="Could not start the run" />}
        {request.isError && (
          <>
            <ErrorNotice error={request.error} title="The run started, but the server refused this step" />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => requestedIn && onStarted(requestedIn)}>
                Show the run
              </Button>
            </Group>
          </>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" loading={pending} disabled={missing.length > 0 || request.isError}>
            {target.kind === 'procedure' ? 'Start the run' : where === 'existing' ? 'Run it' : 'Start and run it'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
