import type { RetentionConfig } from '../../platform/config.js';

export type PruneKindName = 'runs' | 'deliveries' | 'alerts' | 'timeline' | 'incidents' | 'audit';

interface KeyColumn {
  column: string;
  type: 'timestamptz' | 'uuid' | 'bigint';
}

/**
 * One kind of record retention deletes. The rows are walked in the order of
 * an existing index (`order`, unique as a whole) with a keyset cursor, so
 * each batch starts where the last stopped: rows kept (a run still linked to
 * an open incident) or deleted earlier are never scanned twice. `where` uses
 * the alias `t` and `$1`, the cutoff; it is checked again on the locked row.
 */
export interface PruneKind {
  kind: PruneKindName;
  /** Which setting's age applies. */
  days: keyof Pick<RetentionConfig, 'alertsDays' | 'runsDays' | 'deliveriesDays' | 'timelineDays' | 'incidentsDays' | 'auditDays'>;
  table: string;
  primaryKey: string;
  order: [KeyColumn] | [KeyColumn, KeyColumn];
  where: string;
  /** A row of this kind takes other rows with it (ON DELETE CASCADE): fewer per batch keeps each short. */
  batchDivisor: number;
  /** What goes with it, for the docs and the result. */
  cascades: string[];
}

const FINISHED_RUN = `('succeeded', 'failed', 'cancelled', 'closed')`;
const OPEN_INCIDENT = `('triggered', 'acknowledged', 'mitigated')`;

/**
 * In this order: what refers to an incident goes before incidents, and the
 * audit log last, so its own prune never deletes the evidence of the others.
 * Foreign keys between these tables all cascade from the row deleted here
 * (src/*\/tables.ts); the id-only references (alerts.incident_id,
 * runs.incident_id, notifications.incident_id, incident_pages.notification_id)
 * are guarded by the conditions below instead.
 */
export const PRUNE_KINDS: readonly PruneKind[] = [
  {
    kind: 'runs',
    days: 'runsDays',
    table: 'runs',
    primaryKey: 'id',
    order: [
      { column: 'created_at', type: 'timestamptz' },
      { column: 'id', type: 'uuid' },
    ],
    // A run of an incident still open is evidence someone may be reading now.
    where: `t.created_at < $1 AND t.finished_at < $1 AND t.status IN ${FINISHED_RUN}
      AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = t.incident_id AND i.state IN ${OPEN_INCIDENT})`,
    batchDivisor: 20,
    cascades: ['run_steps (with their output)', 'run_checks', 'run_secrets', 'runner_leases'],
  },
  {
    kind: 'deliveries',
    days: 'deliveriesDays',
    table: 'notifications',
    primaryKey: 'id',
    order: [
      { column: 'created_at', type: 'timestamptz' },
      { column: 'id', type: 'uuid' },
    ],
    // Only once every delivery has ended and no paging level still waits for its outcome
    // (src/incidents/paging-outcome.ts reads the notification until the page is settled).
    where: `t.created_at < $1
      AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = t.id AND (d.state = 'queued' OR d.updated_at >= $1))
      AND NOT EXISTS (SELECT 1 FROM incident_pages p WHERE p.notification_id = t.id AND p.settled_at IS NULL)`,
    batchDivisor: 4,
    cascades: ['notification_deliveries'],
  },
  {
    kind: 'alerts',
    days: 'alertsDays',
    table: 'alerts',
    primaryKey: 'id',
    // alerts_status_starts_idx: an alert resolved before the cutoff also started before it.
    order: [
      { column: 'starts_at', type: 'timestamptz' },
      { column: 'id', type: 'uuid' },
    ],
    where: `t.status = 'resolved' AND t.starts_at < $1 AND t.resolved_at < $1`,
    batchDivisor: 1,
    // incident_alerts keeps its own copy of what the incident needs (labels, summary, times).
    cascades: [],
  },
  {
    kind: 'timeline',
    days: 'timelineDays',
    table: 'incident_events',
    primaryKey: 'seq',
    order: [{ column: 'seq', type: 'bigint' }],
    where: `t.at < $1 AND EXISTS (SELECT 1 FROM incidents i WHERE i.id = t.incident_id AND i.state = 'closed' AND i.closed_at < $1)`,
    batchDivisor: 1,
    cascades: [],
  },
  {
    kind: 'incidents',
    days: 'incidentsDays',
    table: 'incidents',
    primaryKey: 'id',
    order: [
      { column: 'triggered_at', type: 'timestamptz' },
      { column: 'id', type: 'uuid' },
    ],
    // Only when nothing kept still names it: its alerts, runs and notifications go first (above, or on a later day).
    where: `t.state = 'closed' AND t.triggered_at < $1 AND t.closed_at < $1
      AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = t.id)
      AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.incident_id = t.id)
      AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.incident_id = t.id)`,
    batchDivisor: 10,
    cascades: ['incident_events', 'incident_alerts', 'incident_postmortems', 'incident_pages', 'incident_sla_breaches', 'incident_ack_links_used'],
  },
  {
    kind: 'audit',
    days: 'auditDays',
    table: 'audit_log',
    primaryKey: 'id',
    // audit_log_at_idx covers `at`; PostgreSQL uses its prefix of the (at, id) comparison as the index bound.
    order: [
      { column: 'at', type: 'timestamptz' },
      { column: 'id', type: 'bigint' },
    ],
    where: `t.at < $1`,
    batchDivisor: 1,
    cascades: [],
  },
];

/**
 * One batch: pick the next rows after the cursor (skipping any a live
 * request holds locked: they wait for tomorrow rather than make anyone
 * wait), delete those still matching, and say where the walk stands. The
 * statement is its own transaction, so no lock outlives one batch.
 */
export function batchStatement(kind: PruneKind, withCursor: boolean): string {
  const keys = kind.order.map((k) => `t.${k.column}`).join(', ');
  const cursorParams = kind.order.map((k, i) => `$${i + 3}::${k.type}`).join(', ');
  const after = withCursor ? ` AND (${keys}) > (${cursorParams})` : '';
  const picked = kind.order.map((k, i) => `t.${k.column}::text AS c${i}`).join(', ');
  const last = kind.order.map((_, i) => `c${i}`).join(', ');
  return `WITH picked AS (
      SELECT t.${kind.primaryKey} AS pk, ${picked}, ${keys}
        FROM ${kind.table} t
       WHERE (${kind.where})${after}
       ORDER BY ${keys}
       LIMIT $2
         FOR UPDATE OF t SKIP LOCKED
    ), gone AS (
      DELETE FROM ${kind.table} t USING picked
       WHERE t.${kind.primaryKey} = picked.pk AND (${kind.where})
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM picked)::int AS picked,
           (SELECT count(*) FROM gone)::int AS deleted,
           (SELECT json_build_array(${last}) FROM picked ORDER BY ${kind.order.map((k) => `${k.column} DESC`).join(', ')} LIMIT 1) AS cursor`;
}
