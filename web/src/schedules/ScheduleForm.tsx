import { NativeSelect, SegmentedControl, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Schedule } from '../api/types.js';
import { CrudForm } from '../common/crud.js';
import { createBody, initialValues, parseParameters, updateBody, type ScheduleFormValues } from './form.js';
import { useSaveSchedule, useScheduleTasks } from './queries.js';

/** Create or change a schedule (admins). The server checks cron, time zone and target, and says which field is wrong. */
export function ScheduleForm({ schedule, onClose }: { schedule: Schedule | null; onClose: () => void }) {
  const [values, setValues] = useState<ScheduleFormValues>(initialValues(schedule));
  const set = <K extends keyof ScheduleFormValues>(key: K, value: ScheduleFormValues[K]) => setValues((current) => ({ ...current, [key]: value }));
  const tasks = useScheduleTasks();
  const save = useSaveSchedule();
  const parameters = parseParameters(values.parameters);
  const targetReady = values.kind === 'task' ? values.task !== '' : values.runbook.trim() !== '' && values.procedure.trim() !== '';
  const ready = values.name.trim() !== '' && values.cron.trim() !== '' && targetReady && 'values' in parameters;
  const submit = () => {
    if (!('values' in parameters)) return;
    if (schedule) save.mutate({ item: schedule, body: updateBody(schedule, values, parameters.values) }, { onSuccess: onClose });
    else save.mutate({ item: null, body: createBody(values, parameters.values) }, { onSuccess: onClose });
  };
  const taskOptions = [{ value: '', label: 'Choose a task' }, ...(tasks.data?.items ?? []).map((t) => ({ value: t.key, label: `${t.title} (${t.key})` }))];
  return (
    <CrudForm ready={ready} onSubmit={submit} onCancel={onClose} submitLabel={schedule ? 'Save' : 'Create the schedule'} action={save} errorTitle="Could not save the schedule">
      <TextInput label="Name" required maxLength={120} value={values.name} onChange={(e) => set('name', e.currentTarget.value)} />
      <Textarea label="Description" autosize minRows={1} maxLength={1000} value={values.description} onChange={(e) => set('description', e.currentTarget.value)} />
      <TextInput
        label="Cron"
        description="Minute hour day-of-month month day-of-week, e.g. 0 6 * * * (06:00 daily) or 0 7 * * 1 (Mondays 07:00)"
        required
        ff="monospace"
        value={values.cron}
        onChange={(e) => set('cron', e.currentTarget.value)}
      />
      <TextInput label="Time zone" description="IANA name: UTC, Europe/Berlin, America/New_York" value={values.timeZone} onChange={(e) => set('timeZone', e.currentTarget.value)} />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="schedule-target-label">
          Runs
        </Text>
        <SegmentedControl
          aria-labelledby="schedule-target-label"
          value={values.kind}
          onChange={(value) => set('kind', value as ScheduleFormValues['kind'])}
          data={[
            { value: 'task', label: 'A built-in task' },
            { value: 'runbook', label: 'A runbook procedure' },
          ]}
        />
      </Stack>
      {values.kind === 'task' ? (
        <NativeSelect label="Task" data={taskOptions} value={values.task} onChange={(e) => set('task', e.currentTarget.value)} />
      ) : (
        <>
          <TextInput label="Runbook" description="Its slug, as in the runbook's address" value={values.runbook} onChange={(e) => set('runbook', e.currentTarget.value)} />
          <TextInput label="Procedure" description="The procedure's id, e.g. daily-tasks" value={values.procedure} onChange={(e) => set('procedure', e.currentTarget.value)} />
          <Textarea
            label="Parameters"
            description="NAME=value, one a line; never secrets. Destructive commands still wait for a second person's approval."
            autosize
            minRows={2}
            ff="monospace"
            value={values.parameters}
            error={'error' in parameters ? parameters.error : undefined}
            onChange={(e) => set('parameters', e.currentTarget.value)}
          />
        </>
      )}
      <NativeSelect
        label="If NEXUS was down at a due time"
        data={[
          { value: 'run-once', label: 'Run once when it is back' },
          { value: 'skip', label: 'Skip it and record it as missed' },
        ]}
        value={values.missedPolicy}
        onChange={(e) => set('missedPolicy', e.currentTarget.value as ScheduleFormValues['missedPolicy'])}
      />
      {!schedule && <Switch label="Enabled" checked={values.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />}
    </CrudForm>
  );
}
