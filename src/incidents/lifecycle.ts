import { ConflictError } from '../platform/errors.js';
import type { IncidentState } from './schema.js';
import type { IncidentPatch, IncidentRow } from './incident-store.js';

/** The actor of what NEXUS does by itself (alerts clearing, SLA clocks). */
export const SYSTEM_ACTOR = 'system';

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

const MINUTE = 60_000;

export const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * MINUTE);

/**
 * When an SLA clock started: the trigger, or the reopen that restarted it.
 * Not stored: a due time and its target minutes are always written together.
 */
export function clockStart(dueAt: Date, minutes: number): Date {
  return addMinutes(dueAt, -minutes);
}

/**
 * The timestamps a transition sets. A person moving the incident out of
 * `triggered` acknowledges it for the SLA (a responder acted), and only the
 * first time; the system resolving it (its alerts cleared) does not, so an
 * incident nobody looked at stays unacknowledged and its ack clock stops at
 * the resolve.
 *
 * A reopen restarts the resolve clock from the reopen, with the targets of
 * the current severity, and the ack clock too if nobody ever acknowledged:
 * the clocks of the first cycle were met or breached already (each breach is
 * recorded under its own due time), and holding the new cycle to them would
 * count a breach the moment it opens.
 */
export function transitionPatch(action: Transition, row: IncidentRow, now: Date, actor: string): IncidentPatch {
  const patch: IncidentPatch = { state: TRANSITIONS[action].to, updatedAt: now };
  const firstAck = row.acknowledgedAt ?? now;
  switch (action) {
    case 'ack':
      return { ...patch, acknowledgedAt: firstAck };
    case 'mitigate':
      return { ...patch, acknowledgedAt: firstAck, mitigatedAt: now };
    case 'resolve':
      return { ...patch, acknowledgedAt: actor === SYSTEM_ACTOR ? row.acknowledgedAt : firstAck, resolvedAt: now };
    case 'close':
      return { ...patch, closedAt: now };
    case 'reopen':
      return {
        ...patch,
        mitigatedAt: null,
        resolvedAt: null,
        closedAt: null,
        resolveDueAt: addMinutes(now, row.resolutionMinutes),
        ...(row.acknowledgedAt ? {} : { ackDueAt: addMinutes(now, row.responseMinutes) }),
      };
  }
}
