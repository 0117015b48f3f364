import { ConflictError } from '../platform/errors.js';
import type { IncidentState } from './schema.js';
import type { IncidentPatch, IncidentRow } from './store.js';

export type Transition = 'ack' | 'mitigate' | 'resolve' | 'close' | 'reopen';

/** The state machine: triggered → acknowledged → mitigated → resolved → closed, and reopen. */
export const TRANSITIONS: Record<Transition, { from: readonly IncidentState[]; to: IncidentState; verb: string }> = {
  ack: { from: ['triggered'], to: 'acknowledged', verb: 'acknowledge' },
  mitigate: { from: ['triggered', 'acknowledged'], to: 'mitigated', verb: 'mitigate' },
  resolve: { from: ['triggered', 'acknowledged', 'mitigated'], to: 'resolved', verb: 'resolve' },
  close: { from: ['resolved'], to: 'closed', verb: 'close' },
  reopen: { from: ['resolved', 'closed'], to: 'triggered', verb: 'reopen' },
};

/** PATCH `state` names the target; ack and resolve have their own routes. */
export const PATCH_STATE_TRANSITION: Record<'mitigated' | 'closed' | 'triggered', Transition> = {
  mitigated: 'mitigate',
  closed: 'close',
  triggered: 'reopen',
};

export function invalidTransition(action: Transition, current: string): ConflictError {
  const { from, to, verb } = TRANSITIONS[action];
  return new ConflictError(`Cannot ${verb} an incident that is ${current}: only from ${from.join(' or ')} to ${to}`, {
    state: current,
    target: to,
    allowedFrom: from,
  });
}

/**
 * The timestamps a transition sets. Any move out of `triggered` counts as the
 * acknowledgement for the SLA (a responder acted), and only the first one
 * does: a reopened incident keeps its original time to acknowledge.
 */
export function transitionPatch(action: Transition, row: IncidentRow, now: Date): IncidentPatch {
  const patch: IncidentPatch = { state: TRANSITIONS[action].to, updatedAt: now };
  const firstAck = row.acknowledgedAt ?? now;
  switch (action) {
    case 'ack':
      return { ...patch, acknowledgedAt: firstAck };
    case 'mitigate':
      return { ...patch, acknowledgedAt: firstAck, mitigatedAt: now };
    case 'resolve':
      return { ...patch, acknowledgedAt: firstAck, resolvedAt: now };
    case 'close':
      return { ...patch, closedAt: now };
    case 'reopen':
      return { ...patch, mitigatedAt: null, resolvedAt: null, closedAt: null };
  }
}
