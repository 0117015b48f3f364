import type { Incident, Severity, TimelineEvent } from './schema.js';
import type { IncidentRow } from './incident-store.js';
import { slaOutcomes } from './sla-outcome.js';
import type { EventRow } from './timeline-store.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    title: row.title,
    severity: row.severity as Severity,
    state: row.state as Incident['state'],
    groupKey: row.groupKey,
    service: row.service,
    category: row.category,
    assigneeId: row.assigneeId,
    commanderId: row.commanderId,
    autoResolve: row.autoResolve,
    escalationPolicyId: row.escalationPolicyId,
    nextPageAt: row.state === 'triggered' ? iso(row.nextPageAt) : null,
    runbook:
      row.runbookSlug && row.procedureId && row.runbookVersion !== null
        ? { slug: row.runbookSlug, version: row.runbookVersion, procedureId: row.procedureId, procedureTitle: row.procedureTitle ?? '' }
        : null,
    sla: {
      responseMinutes: row.responseMinutes,
      resolutionMinutes: row.resolutionMinutes,
      ackDueAt: row.ackDueAt.toISOString(),
      resolveDueAt: row.resolveDueAt.toISOString(),
      ...slaOutcomes(row),
    },
    triggeredAt: row.triggeredAt.toISOString(),
    acknowledgedAt: iso(row.acknowledgedAt),
    mitigatedAt: iso(row.mitigatedAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toTimelineEvent(row: EventRow): TimelineEvent {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    kind: row.kind,
    actor: row.actor,
    summary: row.summary,
    data: row.data as Record<string, unknown>,
  };
}
