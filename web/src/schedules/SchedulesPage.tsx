import { Alert, Anchor, Badge, Button, Group, Progress, Stack, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Schedule, ScheduleRun } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { EditModal, RowActions, useConfirmed, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { useDeleteSchedule, useRunScheduleNow, useScheduleRuns, useSchedules, useSetScheduleEnabled } from './queries.js';
import { ScheduleForm } from './ScheduleForm.js';

const STATUS_COLOR: Record<ScheduleRun['status'], string> = {
  queued: 'gray',
  running: 'blue',
  ok: 'teal',
  failed: 'red',
  missed: 'yellow',
  cancelled: 'gray',
};

function StatusBadge({ run }: { run: Pick<ScheduleRun, 'status'> }) {
  return (
    <Badge variant="light" size="sm" color={STATUS_COLOR[run.status]}>
      {run.status}
    </Badge>
  );
}

const target = (s: Schedule) => (s.targetKind === 'task' ? `Task ${s.task}` : `${s.runbook ?? 'runbook'} › ${s.targetTitle}`);

/** A run in progress: its bar (or an indeterminate one) and latest message, updated live by `schedule.run` events. */
function RunProgress({ run }: { run: ScheduleRun }) {
  const fraction = run.progress?.fraction;
  return (
    <Stack gap={4}>
      <Progress value={fraction === null || fraction === undefined ? 100 : fraction * 100} animated={fraction === null || fraction === undefined} size="sm" aria-label="Progress" />
      <Text size="xs" c="dimmed">
        {run.progress?.message ?? (run.status === 'queued' ? 'Waiting to start' : 'Started')}
      </Text>
    </Stack>
  );
}

function RunOutcome({ run }: { run: ScheduleRun }) {
  if (run.status === 'queued' || run.status === 'running') return <RunProgress run={run} />;
  return (
    <Stack gap={2}>
      <Text size="sm">{run.summary ?? '—'}</Text>
      {run.notification && (
        <Text size="xs" c="dimmed">
          {run.notification}
        </Text>
      )}
    </Stack>
  );
}

function History({ schedule }: { schedule: Schedule }) {
  const runs = useScheduleRuns(schedule.id);
  const items = runs.data?.items ?? [];
  return (
    <ListPanel title={`History: ${schedule.name}`} testId="schedule-history" query={runs} count={items.length} noun="runs" emptyText="No runs yet.">
      {items.length > 0 && (
        <ScrollTable label={`Runs of ${schedule.name}`} minWidth={760} columns={['Result', 'Trigger', 'Due', 'Started', 'Ended', 'Outcome']}>
          {items.map((run) => (
            <Table.Tr key={run.id} data-testid="schedule-run-row">
              <Table.Td>
                <StatusBadge run={run} />
              </Table.Td>
              <Table.Td>
                {run.trigger}
                {run.trigger === 'manual' && (
                  <Text size="xs" c="dimmed">
                    by {run.requestedBy}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{run.dueAt ? formatDateTime(run.dueAt) : '—'}</Table.Td>
              <Table.Td>{run.startedAt ? formatDateTime(run.startedAt) : '—'}</Table.Td>
              <Table.Td>{run.finishedAt ? formatDateTime(run.finishedAt) : '—'}</Table.Td>
              <Table.Td style={{ maxWidth: 360 }}>
                <RunOutcome run={run} />
                {run.runbookRunId && schedule.runbook && (
                  // The runbook's page shows a run (its steps, approvals and output) under ?run=.
                  <Anchor component={Link} to={`/runbooks/${encodeURIComponent(schedule.runbook)}?run=${run.runbookRunId}`} size="xs">
                    Open the runbook run
                  </Anchor>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
    </ListPanel>
  );
}

/** Maintenance schedules: when each runs next, how it last went, and (by role) enable, run now and its history. */
export function SchedulesPage() {
  const user = useCurrentUser();
  const isAdmin = user !== null && hasRole(user.role, 'admin');
  const mayRun = user !== null && hasRole(user.role, 'operator');
  const schedules = useSchedules();
  const toggle = useSetScheduleEnabled();
  const runNow = useRunScheduleNow();
  const form = useEditing<Schedule>();
  const remove = useConfirmed(useDeleteSchedule());
  const [selected, setSelected] = useState<string | null>(null);
  const items = schedules.data?.items ?? [];
  const shown = items.find((s) => s.id === selected) ?? null;
  return (
    <>
      <PageHeader title="Schedules" description="Maintenance tasks and runbook procedures NEXUS runs on a cron schedule" />
      <Stack gap="lg">
        {(toggle.isError || runNow.isError) && <ErrorNotice title="The schedule did not change" error={toggle.error ?? runNow.error} />}
        <ListPanel
          title="Schedules"
          testId="schedule-list"
          query={schedules}
          count={items.length}
          noun="schedules"
          addLabel="New schedule"
          onAdd={isAdmin ? form.create : null}
          note={isAdmin ? undefined : mayRun ? 'Enabling and disabling schedules needs the admin role.' : 'Running a schedule needs the operator role; enabling one, admin.'}
          emptyText="No schedules."
        >
          {items.length > 0 && (
            <ScrollTable label="Schedules" minWidth={1040} columns={['Enabled', 'Name', 'When', 'Next due', 'Last run', 'Actions']}>
              {items.map((s) => (
                <Table.Tr key={s.id} data-testid="schedule-row" data-schedule-id={s.id}>
                  <Table.Td>
                    <Switch
                      aria-label={`${s.enabled ? 'Disable' : 'Enable'} ${s.name}`}
                      checked={s.enabled}
                      disabled={!isAdmin || toggle.isPending}
                      onChange={(e) => toggle.mutate({ id: s.id, enabled: e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text fw={600} size="sm">
                      {s.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {target(s)} · owner {s.owner.username}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {s.cron}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.timeZone}
                      {s.missedPolicy === 'skip' ? ' · skips missed times' : ' · catches up once'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.nextDueAt ? formatDateTime(s.nextDueAt) : '—'}</Table.Td>
                  <Table.Td>
                    {s.lastRun ? (
                      <Group gap={6} wrap="nowrap">
                        <StatusBadge run={s.lastRun} />
                        <Text size="xs" c="dimmed">
                          {formatDateTime(s.lastRun.finishedAt ?? s.lastRun.createdAt)}
                        </Text>
                      </Group>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {mayRun && (
                        <Button size="xs" variant="light" loading={runNow.isPending && runNow.variables?.id === s.id} onClick={() => runNow.mutate({ id: s.id }, { onSuccess: () => setSelected(s.id) })}>
                          Run now
                        </Button>
                      )}
                      <Button size="xs" variant={selected === s.id ? 'filled' : 'default'} onClick={() => setSelected(selected === s.id ? null : s.id)} aria-pressed={selected === s.id}>
                        History
                      </Button>
                      {isAdmin && <RowActions name={s.name} onEdit={() => form.edit(s)} onDelete={() => remove.ask(s)} />}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </ScrollTable>
          )}
          <EditModal editing={form.editing} onClose={form.close} size="lg" title={(schedule) => (schedule ? `Edit ${schedule.name}` : 'New schedule')}>
            {(schedule) => <ScheduleForm schedule={schedule} onClose={form.close} />}
          </EditModal>
          <ConfirmModal
            {...remove.modal}
            title={`Delete ${remove.target?.name ?? 'this schedule'}?`}
            confirmLabel="Delete the schedule"
            approval="No one else: admins manage schedules alone. The deletion is in the audit log."
          >
            <Text size="sm">Its run history goes with it. A schedule imported from the built-in runbook is not imported again.</Text>
          </ConfirmModal>
        </ListPanel>
        {shown ? (
          <History schedule={shown} />
        ) : (
          items.length > 0 && (
            <Panel title="History">
              <Alert variant="light" color="gray">
                Choose History on a schedule to see its runs; a run in progress shows its progress as it happens.
              </Alert>
            </Panel>
          )
        )}
      </Stack>
    </>
  );
}
