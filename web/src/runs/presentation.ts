import type { RiskClass, RunStatus, StepState } from '../api/types.js';

/** How step states, risks and run statuses look; light-variant badges keep AA contrast in both themes. */

export const STEP_STATE: Record<StepState, { label: string; color: string }> = {
  pending: { label: 'Not run', color: 'gray' },
  'awaiting-approval': { label: 'Awaiting approval', color: 'orange' },
  queued: { label: 'Queued', color: 'blue' },
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Succeeded', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  'timed-out': { label: 'Timed out', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  skipped: { label: 'Skipped', color: 'gray' },
  lost: { label: 'Lost (runner gone)', color: 'red' },
};

export const RISK: Record<RiskClass, { label: string; color: string; description: string }> = {
  read: { label: 'read', color: 'blue', description: 'Reads only; changes nothing' },
  change: { label: 'change', color: 'yellow', description: 'Changes the system; can be undone' },
  destructive: { label: 'destructive', color: 'red', description: 'Hard or impossible to undo' },
};

export const RUN_STATUS: Record<RunStatus, { label: string; color: string }> = {
  waiting: { label: 'Waiting for someone', color: 'yellow' },
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Succeeded', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  closed: { label: 'Closed with incident', color: 'gray' },
};
