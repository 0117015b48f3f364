import type { Incident } from '../api/types.js';
import { formatDuration } from '../common/format.js';

/**
 * The incident's SLA clocks as the dashboard shows them: time left to
 * acknowledge (until someone does) and to resolve (until it is resolved),
 * from the due times the server computed (ackDueAt, resolveDueAt). Amber
 * under a quarter of the time left, red once the due time has passed.
 */

export type SlaKind = 'acknowledge' | 'resolve';
export type SlaLevel = 'ok' | 'warning' | 'breached';

export interface SlaClock {
  kind: SlaKind;
  dueAt: string;
  /** Negative once breached. */
  remainingMs: number;
  /** 1 at the start, 0 at the due time, never below 0. */
  fractionLeft: number;
  level: SlaLevel;
}

export const WARNING_FRACTION = 0.25;

export function slaClock(kind: SlaKind, dueAt: string, totalMinutes: number, now: number): SlaClock {
  const remainingMs = Date.parse(dueAt) - now;
  const totalMs = Math.max(1, totalMinutes * 60_000);
  const fractionLeft = Math.min(1, Math.max(0, remainingMs / totalMs));
  const level: SlaLevel = remainingMs <= 0 ? 'breached' : fractionLeft < WARNING_FRACTION ? 'warning' : 'ok';
  return { kind, dueAt, remainingMs, fractionLeft, level };
}

/** The clocks still running for an incident, most urgent kind first. */
export function runningClocks(
  incident: { sla: Pick<Incident['sla'], 'responseMinutes' | 'resolutionMinutes' | 'ackDueAt' | 'resolveDueAt'> } & Pick<Incident, 'acknowledgedAt' | 'resolvedAt'>,
  now: number,
): SlaClock[] {
  const clocks: SlaClock[] = [];
  if (!incident.acknowledgedAt && !incident.resolvedAt) {
    clocks.push(slaClock('acknowledge', incident.sla.ackDueAt, incident.sla.responseMinutes, now));
  }
  if (!incident.resolvedAt) {
    clocks.push(slaClock('resolve', incident.sla.resolveDueAt, incident.sla.resolutionMinutes, now));
  }
  return clocks;
}

const LEVEL_RANK: Record<SlaLevel, number> = { ok: 0, warning: 1, breached: 2 };

/** The worst level among an incident's running clocks, for sorting and the card's accent. */
export function worstLevel(clocks: SlaClock[]): SlaLevel {
  return clocks.reduce<SlaLevel>((worst, clock) => (LEVEL_RANK[clock.level] > LEVEL_RANK[worst] ? clock.level : worst), 'ok');
}

/** The server's judgement of one clock (src/incidents/sla-outcome.ts). */
type Outcome = Incident['sla']['response'];

/**
 * A stopped clock in words: "met in 7 min 03 s", "missed by 5 min 00 s", or
 * for an acknowledge clock that a resolve stopped, that nobody acknowledged.
 * Null while it runs (the countdown shows it then).
 */
export function outcomeText(kind: SlaKind, outcome: Outcome): string | null {
  if (outcome.result === 'running' || outcome.tookMs === null) return null;
  const unacknowledged = kind === 'acknowledge' && outcome.stoppedBy === 'resolve' ? ', resolved before anyone acknowledged' : '';
  if (outcome.result === 'met') return `met in ${formatDuration(outcome.tookMs)}${unacknowledged}`;
  return `missed by ${formatDuration(outcome.overdueMs ?? 0)}, took ${formatDuration(outcome.tookMs)}${unacknowledged}`;
}

/** Each clock of the incident, acknowledge first: counting down while it runs, its outcome once stopped. */
export function incidentClocks(incident: Pick<Incident, 'sla' | 'acknowledgedAt' | 'resolvedAt'>, now: number): Array<{ kind: SlaKind; running: SlaClock | null; outcome: Outcome }> {
  const running = runningClocks(incident, now);
  return [
    { kind: 'acknowledge', running: running.find((clock) => clock.kind === 'acknowledge') ?? null, outcome: incident.sla.response },
    { kind: 'resolve', running: running.find((clock) => clock.kind === 'resolve') ?? null, outcome: incident.sla.resolution },
  ];
}
