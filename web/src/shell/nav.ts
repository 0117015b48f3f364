import type { Role } from '../api/types.js';

export interface NavItem {
  to: string;
  label: string;
  /** Only people with this role (or higher) see the item; the page checks again. */
  role?: Role;
  /** Active only on this exact path (the dashboard at `/`). */
  end?: boolean;
}

/** The console's pages, in navigation order. A new page gets a line here and a route in router.tsx. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/incidents', label: 'Incidents' },
  { to: '/postmortems', label: 'Post-mortems' },
  { to: '/runbooks', label: 'Runbooks' },
  { to: '/deployments', label: 'Deployments' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/alerts', label: 'Alerts & silences' },
  { to: '/backups', label: 'Backups' },
  { to: '/oncall', label: 'On-call' },
  { to: '/audit', label: 'Audit log', role: 'admin' },
  { to: '/admin/users', label: 'Users', role: 'admin' },
  { to: '/admin/tokens', label: 'API tokens' },
  { to: '/admin/secrets', label: 'Secrets', role: 'admin' },
];

export function isActive(item: NavItem, pathname: string): boolean {
  if (item.end) return pathname === item.to;
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}
