/**
 * "Durably committed", checked from the storage itself after NEXUS was
 * killed with SIGKILL (no shutdown, no flush): PostgreSQL through a new
 * connection, PGlite by opening its data directory in this process. Every
 * alert a 2xx acknowledged must be counted in `alerts.receive_count`.
 */
import { openDatabase } from '../../src/platform/db/index.js';
import { createLogger } from '../../src/platform/logger.js';

export interface Committed {
  /** Distinct fingerprints: alerts seen for the first time. */
  rows: number;
  /** Sum of receive counts: every delivery of every alert. */
  received: number;
  /** Firing alerts not linked to an incident (paging had not happened or failed). */
  unpaged: number;
  incidents: number;
}

/** Counts per `cluster` label (one per benchmark case; see alert-pool.ts). */
export async function countCommitted(storage: { databaseUrl: string } | { dataDir: string }): Promise<Map<string, Committed>> {
  const db = await openDatabase({ ...storage, logger: createLogger('silent') });
  try {
    const alerts = await db.query<{ cluster: string; rows: number; received: string; unpaged: number }>(
      `SELECT labels->>'cluster' AS cluster, count(*)::int AS rows, sum(receive_count)::text AS received,
              (count(*) FILTER (WHERE incident_id IS NULL AND status = 'firing'))::int AS unpaged
         FROM alerts GROUP BY 1`,
    );
    const incidents = await db.query<{ cluster: string | null; n: number }>(
      `SELECT substring(group_key from 'cluster="([^"]*)"') AS cluster, count(*)::int AS n FROM incidents GROUP BY 1`,
    );
    const byCluster = new Map(incidents.map((row) => [row.cluster ?? '', row.n]));
    return new Map(
      alerts.map((row) => [
        row.cluster,
        { rows: row.rows, received: Number(row.received), unpaged: row.unpaged, incidents: byCluster.get(row.cluster) ?? 0 },
      ]),
    );
  } finally {
    await db.close();
  }
}
