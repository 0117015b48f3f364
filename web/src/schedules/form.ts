import type { RequestBodyOf, Schedule } from '../api/types.js';

export type CreateScheduleBody = RequestBodyOf<'/api/v1/schedules', 'post'>;
export type UpdateScheduleBody = RequestBodyOf<'/api/v1/schedules/{id}', 'patch'>;

export interface ScheduleFormValues {
  name: string;
  description: string;
  cron: string;
  timeZone: string;
  kind: 'task' | 'runbook';
  task: string;
  runbook: string;
  procedure: string;
  /** `NAME=value`, one a line. */
  parameters: string;
  missedPolicy: 'run-once' | 'skip';
  enabled: boolean;
}

export function initialValues(schedule: Schedule | null): ScheduleFormValues {
  return {
    name: schedule?.name ?? '',
    description: schedule?.description ?? '',
    cron: schedule?.cron ?? '0 6 * * *',
    timeZone: schedule?.timeZone ?? 'UTC',
    kind: schedule?.targetKind ?? 'task',
    task: schedule?.task ?? '',
    runbook: schedule?.runbook ?? '',
    procedure: schedule?.procedure ?? '',
    parameters: Object.entries(schedule?.parameters ?? {})
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
    missedPolicy: schedule?.missedPolicy ?? 'run-once',
    enabled: schedule?.enabled ?? false,
  };
}

/** `NAME=value` lines into an object; blank lines are skipped, a line without `=` is an error naming it. */
export function parseParameters(text: string): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return { error: `Line ${index + 1} is not NAME=value` };
    values[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return { values };
}

function target(values: ScheduleFormValues, parameters: Record<string, string>) {
  return values.kind === 'task' ? { task: values.task } : { runbook: values.runbook.trim(), procedure: values.procedure.trim(), parameters };
}

export function createBody(values: ScheduleFormValues, parameters: Record<string, string>): CreateScheduleBody {
  return {
    name: values.name.trim(),
    ...(values.description.trim() ? { description: values.description.trim() } : {}),
    cron: values.cron.trim(),
    timeZone: values.timeZone.trim(),
    missedPolicy: values.missedPolicy,
    enabled: values.enabled,
    ...target(values, parameters),
  };
}

/** Only what changed; the target is sent whole when any part of it changed (the server checks it as one). */
export function updateBody(schedule: Schedule, values: ScheduleFormValues, parameters: Record<string, string>): UpdateScheduleBody {
  const before = initialValues(schedule);
  const body: UpdateScheduleBody = {};
  if (values.name.trim() !== before.name) body.name = values.name.trim();
  if (values.description.trim() !== before.description) body.description = values.description.trim() === '' ? null : values.description.trim();
  if (values.cron.trim() !== before.cron) body.cron = values.cron.trim();
  if (values.timeZone.trim() !== before.timeZone) body.timeZone = values.timeZone.trim();
  if (values.missedPolicy !== before.missedPolicy) body.missedPolicy = values.missedPolicy;
  const targetChanged = (['kind', 'task', 'runbook', 'procedure', 'parameters'] as const).some((key) => values[key].trim() !== before[key].trim());
  return targetChanged ? { ...body, ...target(values, parameters) } : body;
}
