import type { IncidentHistory } from '../incidents/index.js';
import { NotFoundError } from '../platform/errors.js';
import { isUuid } from '../platform/uuid.js';
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
  constructor(
    private readonly store: Pick<AlertStore, 'list'>,
    private readonly history?: Pick<IncidentHistory, 'linkedAlertIds'>,
  ) {}

  /**
   * Most recently started first: up to `limit` alerts and one more, to tell
   * whether a next page exists. `incident`: the alerts ever linked to it, as
   * the incidents domain recorded them; `alerts.incident_id` names only the
   * incident an alert pages into now, and moves when it fires again later.
   */
  async list(filter: Omit<AlertFilter, 'ids'> & { incident?: string | undefined }, limit: number): Promise<AlertRow[]> {
    const { incident, ...rest } = filter;
    if (incident === undefined) return this.store.list(rest, limit + 1);
    if (!this.history) throw new NotFoundError('incident', incident);
    // Links are text on the incidents side; only this domain's ids (uuids) name rows here.
    const ids = (await this.history.linkedAlertIds(incident)).filter(isUuid);
    return ids.length === 0 ? [] : this.store.list({ ...rest, ids }, limit + 1);
  }
}
