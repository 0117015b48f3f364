import type { Role } from '../api/types.js';
import { ROLES } from '../session/roles.js';

/** A token can carry the creator's role or a lower one (src/platform/auth/service.ts refuses more). */
export function rolesUpTo(role: Role): Role[] {
  return ROLES.slice(0, ROLES.indexOf(role) + 1);
}

export const ROLE_DESCRIPTION: Record<Role, string> = {
  viewer: 'read everything but users, channels and the audit log',
  responder: 'acknowledge incidents, silence alerts, run read-only commands',
  operator: 'run changing commands, approve, import runbooks, edit on-call',
  admin: 'users, tokens, channels, contacts and routing rules',
};
