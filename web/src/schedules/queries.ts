import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { createOrChange, useRefreshingMutation } from '../api/mutations.js';
import { queryKeys } from '../api/query-keys.js';
import type { Schedule } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';
import type { CreateScheduleBody, UpdateScheduleBody } from './form.js';

/** Schedules are few (one per maintenance task): one page holds them. */
const ALL = 500;
/** The history shown under a schedule: its newest runs. */
const HISTORY = 20;

/** Schedules with next due time and last run; `schedule.run` and `schedule.changed` events refresh it. */
export function useSchedules() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.schedules.list(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/schedules', { params: { query: { limit: ALL } }, signal })),
  });
}

/** A schedule's newest runs; each progress report of one of them refetches it (live/invalidation.ts). */
export function useScheduleRuns(scheduleId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.schedules.runs(scheduleId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/schedules/{id}/runs', { params: { path: { id: scheduleId }, query: { limit: HISTORY } }, signal })),
  });
}

export function useSetScheduleEnabled() {
  const api = useApi();
  return useRefreshingMutation(
    ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(enabled ? api.POST('/api/v1/schedules/{id}/enable', { params: { path: { id } }, body: {} }) : api.POST('/api/v1/schedules/{id}/disable', { params: { path: { id } }, body: {} })),
    [queryKeys.schedules.list()],
  );
}

export function useRunScheduleNow() {
  const api = useApi();
  return useRefreshingMutation(
    ({ id }: { id: string }) => unwrap(api.POST('/api/v1/schedules/{id}/run', { params: { path: { id } }, body: {} })),
    [queryKeys.schedules.all],
  );
}

/** The built-in tasks a schedule can run (the create form's choices). */
export function useScheduleTasks() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.schedules.tasks(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/schedules/tasks', { signal })),
  });
}

export function useSaveSchedule() {
  const api = useApi();
  const save = createOrChange<Schedule, CreateScheduleBody, UpdateScheduleBody, Schedule, Schedule>(
    (body) => unwrap(api.POST('/api/v1/schedules', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/schedules/{id}', { params: { path: { id } }, body })),
  );
  return useRefreshingMutation(save, [queryKeys.schedules.list()]);
}

export function useDeleteSchedule() {
  const api = useApi();
  return useRefreshingMutation((schedule: Schedule) => unwrap(api.DELETE('/api/v1/schedules/{id}', { params: { path: { id: schedule.id } } })), [queryKeys.schedules.all]);
}
