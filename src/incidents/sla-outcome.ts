import { clockStart } from './lifecycle.js';
import type { IncidentRow } from './incident-store.js';
import type { SlaOutcome } from './schema.js';

type ClockFields = Pick<IncidentRow, 'ackDueAt' | 'resolveDueAt' | 'responseMinutes' | 'resolutionMinutes' | 'acknowledgedAt' | 'resolvedAt'>;

function outcome(dueAt: Date, minutes: number, stoppedAt: Date | null, stoppedBy: 'ack' | 'resolve' | null): SlaOutcome {
  const startedAt = clockStart(dueAt, minutes);
  if (!stoppedAt) return { result: 'running', startedAt: startedAt.toISOString(), stoppedAt: null, stoppedBy: null, tookMs: null, overdueMs: null };
  // The SLA check's rule (sla-store.ts `dueBreaches`): a clock that stopped after its due time breached.
  const late = stoppedAt.getTime() - dueAt.getTime();
  return {
    result: late > 0 ? 'missed' : 'met',
    startedAt: startedAt.toISOString(),
    stoppedAt: stoppedAt.toISOString(),
    stoppedBy,
    tookMs: stoppedAt.getTime() - startedAt.getTime(),
    overdueMs: late > 0 ? late : null,
  };
}

/**
 * Both clocks' outcomes. The acknowledge clock stops at the acknowledgement,
 * or at a resolve nobody acknowledged (the system resolved it); a reopen
 * restarts what it restarts (lifecycle.ts `transitionPatch`), so a reopened
 * incident's resolve clock runs again while a met acknowledgement stays met.
 */
export function slaOutcomes(row: ClockFields): { response: SlaOutcome; resolution: SlaOutcome } {
  const ackStop = row.acknowledgedAt ?? row.resolvedAt;
  return {
    response: outcome(row.ackDueAt, row.responseMinutes, ackStop, row.acknowledgedAt ? 'ack' : row.resolvedAt ? 'resolve' : null),
    resolution: outcome(row.resolveDueAt, row.resolutionMinutes, row.resolvedAt, row.resolvedAt ? 'resolve' : null),
  };
}
