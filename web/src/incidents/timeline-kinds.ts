import type { StepState } from '../api/types.js';
import { STEP_STATE } from '../runs/presentation.js';

/**
 * How each kind of timeline event looks (src/incidents/schema.ts
 * TimelineEvent.kind lists them): a word and a colour, so alerts, state
 * changes, pages, notifications, runs, approvals and breaches read apart at
 * a glance. The word carries the meaning; the colour only helps.
 */
export interface KindStyle {
  label: string;
  color: string;
  /** Groups for the filter: what people look for in a long timeline. */
  group: TimelineGroup;
}

export type TimelineGroup = 'alerts' | 'changes' | 'paging' | 'runs' | 'notes';

export const TIMELINE_GROUPS: Record<TimelineGroup, string> = {
  alerts: 'Alerts',
  changes: 'State and changes',
  paging: 'Pages and notifications',
  runs: 'Runbook runs',
  notes: 'Notes',
};

const KINDS: Record<string, KindStyle> = {
  'alert.fired': { label: 'Alert fired', color: 'orange', group: 'alerts' },
  'alert.joined': { label: 'Alert joined', color: 'orange', group: 'alerts' },
  'alert.refired': { label: 'Alert fired again', color: 'orange', group: 'alerts' },
  'alert.resolved': { label: 'Alert resolved', color: 'teal', group: 'alerts' },
  state: { label: 'State', color: 'blue', group: 'changes' },
  severity: { label: 'Severity', color: 'grape', group: 'changes' },
  title: { label: 'Title', color: 'grape', group: 'changes' },
  assignment: { label: 'Assignment', color: 'grape', group: 'changes' },
  postmortem: { label: 'Post-mortem', color: 'gray', group: 'changes' },
  'change.deployment': { label: 'Deployment', color: 'yellow', group: 'changes' },
  'sla.breach': { label: 'SLA breached', color: 'red', group: 'changes' },
  page: { label: 'Paging', color: 'violet', group: 'paging' },
  escalation: { label: 'Escalating', color: 'violet', group: 'paging' },
  'page.reached': { label: 'Reached', color: 'teal', group: 'paging' },
  'page.unreachable': { label: 'Reached nobody', color: 'red', group: 'paging' },
  'page.failed': { label: 'Page failed', color: 'red', group: 'paging' },
  'notification.sent': { label: 'Notified', color: 'teal', group: 'paging' },
  'notification.failed': { label: 'Notification failed', color: 'red', group: 'paging' },
  'notification.skipped': { label: 'Notification skipped', color: 'gray', group: 'paging' },
  'run.created': { label: 'Run started', color: 'cyan', group: 'runs' },
  'run.step': { label: 'Command', color: 'cyan', group: 'runs' },
  'approval.requested': { label: 'Approval requested', color: 'orange', group: 'runs' },
  'approval.granted': { label: 'Approved', color: 'teal', group: 'runs' },
  note: { label: 'Note', color: 'indigo', group: 'notes' },
};

export function kindStyle(kind: string): KindStyle {
  return KINDS[kind] ?? { label: kind, color: 'gray', group: kind.startsWith('alert.') ? 'alerts' : 'changes' };
}

/** A command's result colour on the timeline, by its final state (an unknown one reads as a failure). */
export function stepResultColor(state: unknown): string {
  return typeof state === 'string' && Object.hasOwn(STEP_STATE, state) ? STEP_STATE[state as StepState].color : 'red';
}
