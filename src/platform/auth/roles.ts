/** Roles in increasing order of power; each includes everything below it. */
export const ROLES = ['viewer', 'responder', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route may declare: a role, `public` for no authentication, or
 * `runner` for enrolled runners only (their own credential, never a user's).
 */
export type RouteAccess = Role | 'public' | 'runner';

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function hasRole(actual: Role, required: Role): boolean {
  return roleRank(actual) >= roleRank(required);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
