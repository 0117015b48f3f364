import { Anchor, Badge, Button, Code, Group, NativeSelect, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Incident, Procedure, Run, RunbookDetail, RunStep, RunSummary } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { CheckItem } from '../runs/CheckItem.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { requiredParameters } from '../runs/parameters.js';
import type { Caller } from '../runs/policy.js';
import { RISK, RUN_STATUS } from '../runs/presentation.js';
import { useCancelRun, useIncidentRuns, useRun } from '../runs/queries.js';
import { RunParameters, useRunParameters } from '../runs/RunParameters.js';
import { latestStartedStep, StepItem } from '../runs/StepItem.js';
import '../runs/runs.css';
import { declaredParameters } from '../runbooks/parameters.js';
import { useRunbook } from '../runbooks/queries.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import { useDirectory } from './people.js';
import { useStartIncidentRun, useTimeline } from './queries.js';

type RunbookRef = NonNullable<Incident['runbook']>;

/** Starts a run of the attached procedure, asking first for the values its commands need (any of them secret). */
function StartRun({ incident, detail, procedure, onStarted, label }: { incident: Incident; detail: RunbookDetail; procedure: Procedure; onStarted: (run: Run) => void; label: string }) {
  const required = useMemo(() => requiredParameters(procedure), [procedure]);
  const help = useMemo(() => declaredParameters(detail.parsed.frontMatter), [detail.parsed.frontMatter]);
  const parameters = useRunParameters(required);
  const start = useStartIncidentRun(incident.id);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (parameters.missing.length === 0) start.mutate(parameters.body(), { onSuccess: onStarted });
      }}
    >
      <Stack gap="xs">
        <RunParameters parameters={required} help={help} state={parameters} />
        <Group>
          <Button type="submit" loading={start.isPending} disabled={parameters.missing.length > 0}>
            {label}
          </Button>
        </Group>
        {start.isError && <ErrorNotice error={start.error} title="The run did not start" />}
      </Stack>
    </form>
  );
}

type Phase = Procedure['phases'][number];

/** "2. Clear the stuck work queue · Immediate actions": a step of the checklist, with its phase unless the procedure has none. */
function StepHeading({ phase, step }: { phase: Phase; step: Phase['steps'][number] }) {
  return (
    <Title order={3} size="h6" mb={4}>
      {step.number !== null ? `${step.number}. ` : ''}
      {step.title}
      <Text span size="xs" c="dimmed" fw={400}>
        {phase.implicit ? '' : ` · ${phase.title}`}
      </Text>
    </Title>
  );
}

/** The procedure before any run: its steps and commands, to read ahead. */
function ProcedurePreview({ procedure }: { procedure: Procedure }) {
  return (
    <ol className="checklist">
      {procedure.phases.flatMap((phase) =>
        phase.steps.map((step) => (
          <li key={step.id} className="checklist-step">
            <StepHeading phase={phase} step={step} />
            <ul className="checklist-commands">
              {step.commands.map((command) => (
                <li key={command.id} className="run-step">
                  {command.annotations.risk && (
                    <Badge size="sm" variant="dot" color={RISK[command.annotations.risk].color} mb={4}>
                      {RISK[command.annotations.risk].label}
                    </Badge>
                  )}
                  <Code block className="command-text">
                    {command.text}
                  </Code>
                </li>
              ))}
              {step.checks.map((check) => (
                <li key={check.id}>
                  <Text size="sm">☐ {check.text}</Text>
                </li>
              ))}
            </ul>
          </li>
        )),
      )}
    </ol>
  );
}

/** The run as a checklist, in the procedure's order: each step's commands (with run buttons and output) and checks. */
function RunSteps({ incidentId, run, procedure, caller, callerName }: { incidentId: string; run: Run; procedure: Procedure | null; caller: Caller; callerName: string }) {
  const timeline = useTimeline(incidentId);
  const { nameOf } = useDirectory();
  const requesterName = useCallback(
    (step: RunStep) => {
      // The timeline names who asked (by username), which anyone can read; user ids only resolve for admins.
      const asked = timeline.data?.findLast(
        (event) => event.kind === 'approval.requested' && event.data.runId === run.id && event.data.commandId === step.commandId && event.data.attempt === step.attempt,
      );
      if (step.requestedBy === caller.id) return `you (${callerName})`;
      return asked ? asked.actor : nameOf(step.requestedBy);
    },
    [timeline.data, run.id, caller.id, callerName, nameOf],
  );
  const canTick = hasRole(caller.role, 'responder');
  const byCommand = new Map(run.steps.map((step) => [step.commandId, step]));
  const checks = new Map(run.checks.map((check) => [check.id, check]));
  const shown = new Set<string>();
  const latest = latestStartedStep(run);
  const item = (step: RunStep) => {
    shown.add(step.commandId);
    return <StepItem key={step.id} run={run} step={step} caller={caller} callerName={callerName} requesterName={requesterName} latest={step.id === latest?.id} />;
  };
  const checkItem = (id: string) => {
    const check = checks.get(id);
    if (!check) return null;
    shown.add(`check:${id}`);
    return <CheckItem key={id} run={run} check={check} canTick={canTick} nameOf={nameOf} />;
  };
  const sections = (procedure?.phases ?? []).flatMap((phase) => [
    ...phase.steps.map((step) => {
      const commands = step.commands.map((command) => byCommand.get(command.id)).filter((s): s is RunStep => s !== undefined);
      const stepChecks = step.checks.map((check) => check.id);
      if (commands.length === 0 && stepChecks.length === 0) return null;
      return (
        <li key={`${phase.id}/${step.id}`} className="checklist-step" data-testid="checklist-step">
          <StepHeading phase={phase} step={step} />
          <ul className="checklist-commands">
            {commands.map(item)}
            {stepChecks.map(checkItem)}
          </ul>
        </li>
      );
    }),
    phase.checks.length > 0 ? (
      <li key={`${phase.id}/checks`} className="checklist-step">
        <Title order={3} size="h6" mb={4}>
          {phase.title}: checks
        </Title>
        <ul className="checklist-commands">{phase.checks.map((check) => checkItem(check.id))}</ul>
      </li>
    ) : null,
  ]);
  // Anything the parsed version does not place (it should place everything) still shows, in run order.
  const rest = run.steps.filter((step) => !shown.has(step.commandId));
  const restChecks = run.checks.filter((check) => !shown.has(`check:${check.id}`));
  return (
    <ol className="checklist" aria-label={`Steps of ${run.procedureTitle}`}>
      {sections}
      {(rest.length > 0 || restChecks.length > 0) && (
        <li className="checklist-step">
          <ul className="checklist-commands">
            {rest.map(item)}
            {restChecks.map((check) => checkItem(check.id))}
          </ul>
        </li>
      )}
    </ol>
  );
}

function runLabel(run: RunSummary): string {
  return `${formatDateTime(run.createdAt)} · ${RUN_STATUS[run.status].label}`;
}

function CancelRun({ run }: { run: Run }) {
  const [open, setOpen] = useState(false);
  const cancel = useCancelRun(run.id);
  return (
    <>
      <Button size="xs" variant="default" color="red" onClick={() => setOpen(true)}>
        Cancel run
      </Button>
      <ConfirmModal
        opened={open}
        title="Cancel this run?"
        confirmLabel="Cancel the run"
        pending={cancel.isPending}
        error={cancel.error}
        approval="no one else: it takes effect at once."
        onConfirm={() => cancel.mutate(undefined, { onSuccess: () => setOpen(false) })}
        onClose={() => setOpen(false)}
      >
        <Text size="sm">Nothing more of it runs; running commands are killed. A new run can be started afterwards.</Text>
      </ConfirmModal>
    </>
  );
}

function AttachedRunbook({ incident, runbook }: { incident: Incident; runbook: RunbookRef }) {
  const user = useCurrentUser();
  const detail = useRunbook(runbook.slug, runbook.version);
  const runs = useIncidentRuns(incident.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const [startingAnother, setStartingAnother] = useState(false);
  const latest = runs.data?.items[0] ?? null;
  const runId = chosen ?? latest?.id ?? null;
  const run = useRun(runId);
  const procedure = detail.data?.parsed.procedures.find((p) => p.id === runbook.procedureId) ?? null;
  const caller: Caller | null = user ? { id: user.id, role: user.role } : null;
  const canStart = caller !== null && hasRole(caller.role, 'responder');
  const current = run.data && run.data.id === runId ? run.data : null;
  const finished = current !== null && (current.status === 'succeeded' || current.status === 'failed' || current.status === 'cancelled' || current.status === 'closed');

  const onStarted = (started: Run) => {
    setChosen(started.id);
    setStartingAnother(false);
  };

  return (
    <Panel
      title="Runbook"
      testId="runbook-checklist"
      actions={
        current ? (
          <Group gap="xs">
            <Badge variant="light" color={RUN_STATUS[current.status].color} data-testid="run-status" data-status={current.status} title={current.closedReason ?? undefined}>
              {RUN_STATUS[current.status].label}
            </Badge>
            {canStart && !finished && <CancelRun run={current} />}
            {canStart && finished && !startingAnother && (
              <Button size="xs" variant="default" onClick={() => setStartingAnother(true)}>
                Start a new run
              </Button>
            )}
          </Group>
        ) : undefined
      }
    >
      <Stack gap="sm">
        <Text size="sm">
          <Anchor component={Link} to={`/runbooks/${runbook.slug}`} underline="always">
            {runbook.procedureTitle}
          </Anchor>{' '}
          <Text span c="dimmed" size="sm">
            ({runbook.slug}, version {runbook.version})
          </Text>
        </Text>
        {(runs.data?.items.length ?? 0) > 1 && (
          <NativeSelect
            label="Run"
            size="xs"
            maw={360}
            data={runs.data!.items.map((r) => ({ value: r.id, label: runLabel(r) }))}
            value={runId ?? ''}
            onChange={(event) => setChosen(event.currentTarget.value)}
          />
        )}
        {(detail.isPending || runs.isPending || (runId !== null && run.isPending)) && <Skeleton height={160} role="status" aria-label="Loading the runbook" />}
        {detail.isError && <ErrorNotice error={detail.error} title="Could not load the runbook" onRetry={() => void detail.refetch()} />}
        {runs.isError && <ErrorNotice error={runs.error} title="Could not load the runs" onRetry={() => void runs.refetch()} />}
        {run.isError && <ErrorNotice error={run.error} title="Could not load the run" onRetry={() => void run.refetch()} />}
        {detail.isSuccess && !procedure && <Text>The procedure {runbook.procedureId} is not in version {runbook.version} of this runbook.</Text>}
        {procedure && detail.data && runs.isSuccess && (runId === null || startingAnother) && (
          <>
            {canStart ? (
              <StartRun incident={incident} detail={detail.data} procedure={procedure} onStarted={onStarted} label={runId === null ? 'Start run' : 'Start a new run'} />
            ) : (
              <Text size="sm" c="dimmed">
                Nobody has started this procedure yet. Starting it needs the responder role.
              </Text>
            )}
            {runId === null && <ProcedurePreview procedure={procedure} />}
          </>
        )}
        {current && caller && <RunSteps incidentId={incident.id} run={current} procedure={procedure} caller={caller} callerName={user?.username ?? ''} />}
      </Stack>
    </Panel>
  );
}

/** The incident's runbook procedure as a live checklist: start a run, run, approve, tick, and watch the output. */
export function IncidentRunbook({ incident }: { incident: Incident }) {
  if (!incident.runbook) {
    return (
      <Panel title="Runbook" testId="runbook-checklist">
        <Text size="sm">No runbook procedure is attached to this incident. Routing rules attach one to incidents opened from alerts.</Text>
      </Panel>
    );
  }
  return <AttachedRunbook incident={incident} runbook={incident.runbook} />;
}
