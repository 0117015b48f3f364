/**
 * Shutting NEXUS down while a delivery is still being committed (a rolling
 * deploy during an alert storm): the database closes only after that delivery
 * has committed and paged, so it neither fails half-way nor logs pool errors.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { amAlert, amPayload } from './support.js';

const AM = '/api/v1/alerts/alertmanager';
const GROUP = '{}:{alertname="NexusHighErrorRate"}';
const alert = (instance: string) => amAlert({ alertname: 'NexusHighErrorRate', instance }, 'firing', `err-${instance}`);

describe('alert deliveries at shutdown (PostgreSQL)', () => {
  let t: TestApp;
  let observer: pg.Client;
  beforeAll(async () => {
    t = await createTestApp('postgres');
    observer = new pg.Client({ connectionString: t.config.databaseUrl });
    await observer.connect();
  });
  afterAll(async () => {
    await observer?.end();
    await t?.close();
  });

  it('a delivery in flight when shutdown begins still commits and pages before the database closes', async () => {
    const send = (alerts: ReturnType<typeof alert>[]) =>
      t.inject({ method: 'POST', url: AM, headers: bearer(t.tokens.responder), payload: amPayload(GROUP, alerts) });
    expect((await send([alert('a')])).statusCode).toBe(200);

    // Hold the alert's row, so the next delivery waits inside its upsert.
    const holder = new pg.Client({ connectionString: t.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM alerts WHERE fingerprint = 'err-a' FOR UPDATE");
      // A repeat, and a new alert that must then join the incident (more statements after the upsert).
      const inFlight = send([alert('a'), alert('b')]);
      for (let i = 0; i < 100; i++) {
        const { rows } = await observer.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0]!.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const closed = t.server.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('ROLLBACK');

      const res = await inFlight;
      expect(res.statusCode, res.body).toBe(200);
      await closed;
    } finally {
      await holder.end();
    }
    const { rows } = await observer.query<{ fingerprint: string; count: number; paged: boolean }>(
      "SELECT fingerprint, receive_count::int AS count, incident_id IS NOT NULL AS paged FROM alerts WHERE fingerprint IN ('err-a', 'err-b') ORDER BY 1",
    );
    expect(rows).toEqual([
      { fingerprint: 'err-a', count: 2, paged: true },
      { fingerprint: 'err-b', count: 1, paged: true },
    ]);
  });
});
