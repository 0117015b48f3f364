import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf, Run, RunStatus } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';
import type { StepAction } from './policy.js';

/** Runs of an incident, newest first (run events refresh every runs list). */
export function useIncidentRuns(incidentId: string) {
  const api = useApi();
  const filters = { incidentId, limit: 20 };
  return useQuery({
    queryKey: queryKeys.runs.list(filters),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs', { params: { query: filters }, signal })),
  });
}

/** `waiting`: a step is pending or awaiting approval, or a manual check is unticked; someone has to act. */
const IN_PROGRESS: readonly RunStatus[] = ['running', 'waiting'];

/** The latest runs that are running or waiting for someone, newest first (one list per status, merged). */
export function useRunsInProgress(shown: number) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.runs.list({ status: 'in-progress', limit: shown }),
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(IN_PROGRESS.map((status) => unwrap(api.GET('/api/v1/runs', { params: { query: { status, limit: shown } }, signal }))));
      return pages
        .flatMap((page) => page.items)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
        .slice(0, shown);
    },
  });
}

/** A run with its steps and checks (run.step, run.check and run.finished refresh it). */
export function useRun(runId: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.runs.detail(runId ?? ''),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs/{id}', { params: { path: { id: runId ?? '' } }, signal })),
    enabled: runId !== null,
  });
}

/**
 * The stored copy of a command's output. Live chunks extend it; only a gap
 * or a reconnect asks for it again. A step shown again (the tab was
 * switched) missed the chunks of meanwhile: it starts from a fresh copy.
 */
export function useStoredOutput(runId: string, commandId: string, attempt: number, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.runs.output(runId, commandId, attempt),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/runs/{id}/steps/{step}/output', { params: { path: { id: runId, step: commandId } }, signal })),
    enabled,
    staleTime: Infinity,
    refetchOnMount: 'always',
  });
}

/** A run just started or changed as a whole: shown at once, and every runs list asks again. */
export function rememberRun(queryClient: QueryClient, run: Run): void {
  queryClient.setQueryData(queryKeys.runs.detail(run.id), run);
  void queryClient.invalidateQueries({ queryKey: queryKeys.runs.lists() });
}

export type StartRunBody = RequestBodyOf<'/api/v1/runs', 'post'>;

/** `POST /api/v1/runs`: a run of any procedure, with its parameters (some sealed as secret). */
export function useStartRun() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StartRunBody) => unwrap(api.POST('/api/v1/runs', { body })),
    onSuccess: (run) => rememberRun(queryClient, run),
  });
}

/** Cancels the whole run: nothing more of it runs. */
export function useCancelRun(runId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/runs/{id}/cancel', { params: { path: { id: runId } }, body: {} })),
    onSuccess: (run) => rememberRun(queryClient, run),
  });
}

/**
 * One action on a step of a run. `step` is a command id, or a step id for
 * all of its commands (only `run` takes those). The answer is the changed
 * steps: they go into the cached run at once; the run.step event refetches the rest.
 */
export function useStepAction() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    // Each action is the last segment of its path: /run, /retry, /approve, /reject, /skip, /cancel.
    mutationFn: ({ runId, action, step }: { runId: string; action: StepAction; step: string }) =>
      unwrap(api.POST(`/api/v1/runs/{id}/steps/{step}/${action}`, { params: { path: { id: runId, step } }, body: {} })),
    onSuccess: ({ steps }, { runId }) => {
      queryClient.setQueryData<Run>(queryKeys.runs.detail(runId), (run) =>
        run ? { ...run, steps: run.steps.map((step) => steps.find((changed) => changed.id === step.id) ?? step) } : run,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.detail(runId) });
    },
  });
}

/** Ticks or unticks a manual check; the answer goes into the cached run. */
export function useTickCheck(runId: string, checkId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (checked: boolean) => unwrap(api.POST('/api/v1/runs/{id}/checks/{check}', { params: { path: { id: runId, check: checkId } }, body: { checked } })),
    onSuccess: (changed) => {
      queryClient.setQueryData<Run>(queryKeys.runs.detail(runId), (current) =>
        current ? { ...current, checks: current.checks.map((c) => (c.id === changed.id ? changed : c)) } : current,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.detail(runId) });
    },
  });
}
