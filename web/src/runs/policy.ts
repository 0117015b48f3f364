import type { RiskClass, Role, RunStep, StepState } from '../api/types.js';
import { hasRole } from '../session/roles.js';

/**
 * Who may do what to a step, as the server's run policy decides it
 * (src/runbooks/runs/policy.ts). The server's policy is configurable
 * (NEXUS_RUN_POLICY) and not published by the API, so the console assumes
 * the default; the server refuses anything its own policy forbids, and the
 * console shows that refusal in words.
 */
export const RUN_POLICY = {
  /** The role needed to request a command of each risk. */
  request: { read: 'responder', change: 'operator', destructive: 'operator' } satisfies Record<RiskClass, Role>,
  /** Who may approve, and from which risk upwards a second person must. */
  approver: 'operator' satisfies Role,
  approvalFrom: 'destructive' satisfies RiskClass,
} as const;

const RISK_ORDER: Record<RiskClass, number> = { read: 0, change: 1, destructive: 2 };

export function needsApproval(risk: RiskClass): boolean {
  return RISK_ORDER[risk] >= RISK_ORDER[RUN_POLICY.approvalFrom];
}

export function requiredRole(risk: RiskClass): Role {
  return RUN_POLICY.request[risk];
}

export const RETRYABLE: readonly StepState[] = ['failed', 'timed-out', 'lost', 'cancelled'];
export const SKIPPABLE: readonly StepState[] = ['pending', 'awaiting-approval', ...RETRYABLE];
export const CANCELLABLE: readonly StepState[] = ['pending', 'awaiting-approval', 'queued', 'running'];
export const FINISHED: readonly StepState[] = ['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'lost'];

export type StepAction = 'run' | 'retry' | 'approve' | 'reject' | 'skip' | 'cancel';

export interface Caller {
  id: string;
  role: Role;
}

/** The actions this caller may take on a step now, in the order the buttons show. */
export function stepActions(step: Pick<RunStep, 'state' | 'risk' | 'requestedBy' | 'cancelRequested'>, caller: Caller, runOpen: boolean): StepAction[] {
  if (!runOpen || !hasRole(caller.role, 'responder')) return [];
  const actions: StepAction[] = [];
  const mayRequest = hasRole(caller.role, requiredRole(step.risk));
  if (step.state === 'pending' && mayRequest) actions.push('run');
  if (RETRYABLE.includes(step.state) && mayRequest) actions.push('retry');
  if (step.state === 'awaiting-approval') {
    const own = step.requestedBy === caller.id;
    if (!own && hasRole(caller.role, RUN_POLICY.approver)) actions.push('approve');
    // The requester may withdraw; an approver may refuse.
    if (own || hasRole(caller.role, RUN_POLICY.approver)) actions.push('reject');
  }
  if (SKIPPABLE.includes(step.state)) actions.push('skip');
  if (CANCELLABLE.includes(step.state) && !(step.state === 'running' && step.cancelRequested)) actions.push('cancel');
  return actions;
}

/** Why a caller sees no button to run a step: their role is below the policy's. */
export function requestRefusal(risk: RiskClass, role: Role): string | null {
  const needed = requiredRole(risk);
  return hasRole(role, needed) ? null : `Running ${risk} commands needs the ${needed} role; you are ${role}.`;
}
