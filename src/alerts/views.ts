import type { Alert } from './schema.js';
import type { AlertFilter, AlertRow, AlertStore } from './store.js';

export function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    source: row.source,
    status: row.status as Alert['status'],
    labels: row.labels,
    annotations: row.annotations,
    groupKey: row.groupKey,
    severity: (row.severity as Alert['severity']) ?? null,
    ruleId: row.ruleId,
    silencedBy: row.silencedBy,
    incidentId: row.incidentId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt?.toISOString() ?? null,
    generatorURL: row.generatorUrl,
    count: row.receiveCount,
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** Reading alerts for the API. */
export class AlertViews {
  constructor(private readonly store: Pick<AlertStore, 'list'>) {}

  /** Most recently started first: up to `limit` alerts and one more, to tell whether a next page exists. */
  list(filter: AlertFilter, limit: number): Promise<AlertRow[]> {
    return this.store.list(filter, limit + 1);
  }
}
