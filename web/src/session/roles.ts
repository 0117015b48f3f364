import type { Role } from '../api/types.js';

/** Lowest to highest, as the server ranks them (src/platform/auth/roles.ts). */
export const ROLES = ['viewer', 'responder', 'operator', 'admin'] as const satisfies readonly Role[];
// A role added on the server and not here is a compile error, not a silently hidden page.
type Unranked = Exclude<Role, (typeof ROLES)[number]>;
const _everyRoleRanked: [Unranked] extends [never] ? true : never = true;

export function hasRole(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}
