import type { Severity } from '../api/types.js';

/** Badge colours per severity; light-variant badges keep AA contrast in both themes. */
export const SEVERITY_COLOR: Record<Severity, string> = { P1: 'red', P2: 'orange', P3: 'yellow' };

export const SEVERITY_LABEL: Record<Severity, string> = {
  P1: 'P1 · Critical',
  P2: 'P2 · High',
  P3: 'P3 · Medium',
};

export const SEVERITIES: readonly Severity[] = ['P1', 'P2', 'P3'];
