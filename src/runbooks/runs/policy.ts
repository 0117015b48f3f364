import { hasRole, type Role } from '../../platform/auth/roles.js';
import type { RunsConfig } from '../../platform/config.js';
import { NotAllowedError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/types.js';
import type { RiskClass } from '../model.js';
import { riskAtLeast } from '../risk.js';

export type RunPolicy = RunsConfig['policy'];

/** DESIGN.md §4 and issue 3 point 5: responders run reads, operators changes, destructive needs a second operator. */
export const DEFAULT_POLICY: RunPolicy = {
  read: 'responder',
  change: 'operator',
  destructive: 'operator',
  approver: 'operator',
  approvalFrom: 'destructive',
};

export function requiredRole(policy: RunPolicy, risk: RiskClass): Role {
  return policy[risk];
}

export function needsApproval(policy: RunPolicy, risk: RiskClass): boolean {
  return policy.approvalFrom !== 'none' && riskAtLeast(risk, policy.approvalFrom);
}

/** Throws unless the caller may request (or retry) a command of this risk. */
export function assertMayRequest(policy: RunPolicy, principal: Principal, risk: RiskClass, commandId: string): void {
  const role = requiredRole(policy, risk);
  if (!hasRole(principal.role, role)) {
    throw new NotAllowedError(`Running ${risk} command ${commandId} needs the ${role} role or higher; you are ${principal.role}`, {
      required: role,
      actual: principal.role,
      risk,
    });
  }
}

/**
 * The four-eyes rule: the approver must hold the approver role and must not
 * be the person who asked for the step (the same person with a second token
 * is still the same person: the check is on the user, not the credential).
 */
export function assertMayApprove(policy: RunPolicy, principal: Principal, requestedBy: string | null, commandId: string): void {
  if (requestedBy !== null && requestedBy === principal.userId) {
    throw new NotAllowedError(`You requested ${commandId}; a second person must approve it`, { reason: 'own-request' });
  }
  if (!hasRole(principal.role, policy.approver)) {
    throw new NotAllowedError(`Approving ${commandId} needs the ${policy.approver} role or higher; you are ${principal.role}`, {
      required: policy.approver,
      actual: principal.role,
    });
  }
}

/** Refusing is an approver's call; the requester may also withdraw their own request. */
export function assertMayReject(policy: RunPolicy, principal: Principal, requestedBy: string | null, commandId: string): void {
  if (requestedBy === principal.userId) return;
  if (!hasRole(principal.role, policy.approver)) {
    throw new NotAllowedError(`Rejecting ${commandId} needs the ${policy.approver} role or higher; you are ${principal.role}`, {
      required: policy.approver,
      actual: principal.role,
    });
  }
}
