import type { Incident, PagedLevel, Paging, ReachedRecipient, Severity, TimelineEvent, UnreachedRecipient } from './schema.js';
import type { IncidentRow } from './incident-store.js';
import type { PageRow } from './page-store.js';
import { slaOutcomes } from './sla-outcome.js';
import type { EventRow } from './timeline-store.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What a settled level's `outcome` column holds (paging-outcome.ts writes it). */
export interface LevelOutcome {
  summary: string;
  reached: ReachedRecipient[];
  notReached: UnreachedRecipient[];
}

function toPagedLevel(page: PageRow): PagedLevel {
  const outcome = page.outcome as LevelOutcome | null;
  const targets = (page.targets as Array<{ name: string }>).map((t) => t.name);
  return {
    level: page.level,
    afterMinutes: page.afterMinutes,
    early: page.early,
    targets,
    state: page.reached === null ? 'paging' : page.reached ? 'reached' : 'unreached',
    summary: outcome?.summary ?? `Paging ${targets.join(', ')}: waiting to hear whether anybody was reached`,
    reached: outcome?.reached ?? [],
    notReached: outcome?.notReached ?? [],
    pagedAt: page.pagedAt.toISOString(),
    settledAt: iso(page.settledAt),
  };
}

/** The levels of the current escalation (`pages`: paged since its start), and whether it reached anybody. */
export function toPaging(pages: readonly PageRow[]): Paging {
  return {
    unreachable: pages.some((page) => page.last && page.reached === false),
    reachedAnyone: pages.some((page) => page.reached === true),
    levels: pages.map(toPagedLevel),
  };
}

/** `pages`: the levels paged since the incident's escalation started (PageStore `ofEscalation`). */
export function toIncident(row: IncidentRow, pages: readonly PageRow[]): Incident {
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
    paging: toPaging(pages),
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
