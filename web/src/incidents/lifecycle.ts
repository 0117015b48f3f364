import type { IncidentState } from '../api/types.js';

/**
 * The incident state machine as the server enforces it
 * (src/incidents/lifecycle.ts): which actions the header offers in each
 * state. Every action is a `POST /api/v1/incidents/{id}/<path>`.
 */
export type IncidentAction = 'ack' | 'mitigate' | 'resolve' | 'close' | 'reopen';

export const INCIDENT_ACTIONS: Record<IncidentAction, { from: readonly IncidentState[]; label: string; done: string; hint: string }> = {
  ack: { from: ['triggered'], label: 'Acknowledge', done: 'acknowledged', hint: 'Stops the acknowledge clock and the escalation' },
  mitigate: { from: ['triggered', 'acknowledged'], label: 'Mark mitigated', done: 'mitigated', hint: 'Impact stopped; the cause is not fixed yet' },
  resolve: { from: ['triggered', 'acknowledged', 'mitigated'], label: 'Resolve', done: 'resolved', hint: 'Stops the resolve clock' },
  close: { from: ['resolved'], label: 'Close', done: 'closed', hint: 'Nothing more to do' },
  reopen: { from: ['resolved', 'closed'], label: 'Reopen', done: 'triggered', hint: 'Back to triggered; the clocks keep their start' },
};

export const ACTION_ORDER: readonly IncidentAction[] = ['ack', 'mitigate', 'resolve', 'close', 'reopen'];

export function actionsFor(state: IncidentState): IncidentAction[] {
  return ACTION_ORDER.filter((action) => INCIDENT_ACTIONS[action].from.includes(state));
}

export const STATE_COLOR: Record<IncidentState, string> = {
  triggered: 'red',
  acknowledged: 'blue',
  mitigated: 'teal',
  resolved: 'gray',
  closed: 'gray',
};
