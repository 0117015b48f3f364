import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/index.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { amAlert, amPayload, post } from '../alerts/support.js';
import { count, daysAgo, runTask, task } from './care-support.js';

/**
 * Each kind gets rows just past its age and rows inside it; every row is
 * named by its id so the test asserts exactly which survived.
 */
interface Seeded {
  alerts: { oldResolved: string[]; youngResolved: string; oldFiring: string };
  runs: { oldFinished: string; youngFinished: string; oldRunning: string; oldOfOpenIncident: string };
  notifications: { oldSent: string; oldQueued: string; oldUnsettledPage: string; young: string };
  incidents: { oldClosed: string; recentlyClosed: string; open: string; oldClosedReferenced: string };
  audit: { old: number; young: number };
}

async function insertIncident(db: Database, state: string, triggeredDaysAgo: number, closedDaysAgo: number | null): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO incidents (id, title, severity, state, response_minutes, resolution_minutes, ack_due_at, resolve_due_at, triggered_at, resolved_at, closed_at, created_by)
     VALUES ($1, $2, 'P2', $3, 15, 240, $6, $6, $4, $5, $5, 'test')`,
    // SLA clocks due in a year: a breach found by the SLA loop would add timeline events while the test looks.
    [id, `incident ${state} ${triggeredDaysAgo}`, state, daysAgo(triggeredDaysAgo), closedDaysAgo === null ? null : daysAgo(closedDaysAgo), daysAgo(-365)],
  );
  // Timeline events as old as the incident, and a post-mortem, for every incident.
  for (let i = 0; i < 3; i += 1) {
    await db.query(`INSERT INTO incident_events (incident_id, kind, actor, summary, at) VALUES ($1, 'note', 'test', 'event', $2)`, [id, daysAgo(triggeredDaysAgo)]);
  }
  await db.query(`INSERT INTO incident_postmortems (incident_id, version, markdown, edited_by) VALUES ($1, 1, '# what happened', 'test')`, [id]);
  await db.query(`INSERT INTO incident_alerts (incident_id, alert_id, fingerprint, fired_at) VALUES ($1, $2, 'fp-linked', $3)`, [id, randomUUID(), daysAgo(triggeredDaysAgo)]);
  return id;
}

async function insertAlert(db: Database, status: 'firing' | 'resolved', startedDaysAgo: number, resolvedDaysAgo: number | null, incidentId: string | null = null): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO alerts (id, fingerprint, source, status, labels, annotations, group_key, incident_id, starts_at, first_seen_at, last_seen_at, resolved_at)
     VALUES ($1, $2, 'test', $3, '{}', '{}', 'g', $4, $5, $5, $5, $6)`,
    [id, `fp-${id}`, status, incidentId, daysAgo(startedDaysAgo), resolvedDaysAgo === null ? null : daysAgo(resolvedDaysAgo)],
  );
  return id;
}

async function insertRun(db: Database, runbookId: string, status: string, daysOld: number, incidentId: string | null = null): Promise<string> {
  const id = randomUUID();
  const finished = ['succeeded', 'failed', 'cancelled', 'closed'].includes(status) ? daysAgo(daysOld) : null;
  await db.query(`INSERT INTO runs (id, runbook_id, version, procedure_id, status, incident_id, created_at, finished_at) VALUES ($1, $2, 1, 'p', $3, $4, $5, $6)`, [
    id,
    runbookId,
    status,
    incidentId,
    daysAgo(daysOld),
    finished,
  ]);
  for (let seq = 0; seq < 2; seq += 1) {
    await db.query(
      `INSERT INTO run_steps (run_id, seq, command_id, step_id, command, risk, state, timeout_seconds, output) VALUES ($1, $2, $3, 's', 'echo hi', 'read', 'succeeded', 60, 'hi')`,
      [id, seq, `c${seq}`],
    );
  }
  await db.query(`INSERT INTO run_checks (run_id, check_id) VALUES ($1, 'k')`, [id]);
  return id;
}

async function insertNotification(db: Database, daysOld: number, deliveryState: string, incidentId: string | null = null): Promise<string> {
  const id = randomUUID();
  await db.query(`INSERT INTO notifications (id, key, incident_id, subject, text, created_at) VALUES ($1, $2, $3, 's', 't', $4)`, [id, `k-${id}`, incidentId, daysAgo(daysOld)]);
  await db.query(`INSERT INTO notification_deliveries (notification_id, target, channel, via, state, created_at, updated_at) VALUES ($1, 'email:a@b.c', 'email', 'contact:x', $2, $3, $3)`, [
    id,
    deliveryState,
    daysAgo(daysOld),
  ]);
  return id;
}

async function seed(db: Database): Promise<Seeded> {
  const runbookId = randomUUID();
  await db.query(`INSERT INTO runbooks (id, slug, title, latest_version) VALUES ($1, $2, 'r', 1)`, [runbookId, `rb-${runbookId}`]);

  const oldClosed = await insertIncident(db, 'closed', 400, 380);
  const recentlyClosed = await insertIncident(db, 'closed', 400, 1);
  const open = await insertIncident(db, 'acknowledged', 400, null);
  const oldClosedReferenced = await insertIncident(db, 'closed', 400, 380);

  const oldResolved = [await insertAlert(db, 'resolved', 45, 40), await insertAlert(db, 'resolved', 60, 31)];
  const youngResolved = await insertAlert(db, 'resolved', 45, 29);
  const oldFiring = await insertAlert(db, 'firing', 100, null, oldClosedReferenced);

  const oldFinished = await insertRun(db, runbookId, 'succeeded', 120);
  const youngFinished = await insertRun(db, runbookId, 'failed', 10);
  const oldRunning = await insertRun(db, runbookId, 'running', 120);
  const oldOfOpenIncident = await insertRun(db, runbookId, 'succeeded', 120, open);

  const oldSent = await insertNotification(db, 100, 'sent', oldClosed);
  const oldQueued = await insertNotification(db, 100, 'queued');
  const oldUnsettledPage = await insertNotification(db, 100, 'sent', open);
  await db.query(
    `INSERT INTO incident_pages (incident_id, started_at, level, notification_id, after_minutes, last, paged_at) VALUES ($1, $2, 1, $3, 0, true, $2)`,
    [open, daysAgo(100), oldUnsettledPage],
  );
  const young = await insertNotification(db, 10, 'sent');

  const [oldAudit] = await db.query<{ id: number }>(`INSERT INTO audit_log (at, actor, action, outcome) VALUES ($1, 'someone', 'old.thing', 'success') RETURNING id`, [daysAgo(800)]);
  const [youngAudit] = await db.query<{ id: number }>(`INSERT INTO audit_log (at, actor, action, outcome) VALUES ($1, 'someone', 'young.thing', 'success') RETURNING id`, [daysAgo(700)]);

  return {
    alerts: { oldResolved, youngResolved, oldFiring },
    runs: { oldFinished, youngFinished, oldRunning, oldOfOpenIncident },
    notifications: { oldSent, oldQueued, oldUnsettledPage, young },
    incidents: { oldClosed, recentlyClosed, open, oldClosedReferenced },
    audit: { old: Number(oldAudit!.id), young: Number(youngAudit!.id) },
  };
}

async function ids(db: Database, table: string, column = 'id'): Promise<string[]> {
  return (await db.query<{ id: string }>(`SELECT ${column}::text AS id FROM ${table} ORDER BY 1`)).map((r) => r.id);
}

/** Rows that name a row that is gone: by foreign key (impossible) or by id only (what retention must guard). */
async function orphans(db: Database): Promise<Record<string, number>> {
  return {
    runSteps: await count(db, 'SELECT count(*) AS n FROM run_steps s WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id)'),
    deliveries: await count(db, 'SELECT count(*) AS n FROM notification_deliveries d WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = d.notification_id)'),
    alertIncidents: await count(db, 'SELECT count(*) AS n FROM alerts a WHERE a.incident_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = a.incident_id)'),
    runIncidents: await count(db, 'SELECT count(*) AS n FROM runs r WHERE r.incident_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = r.incident_id)'),
    notificationIncidents: await count(db, 'SELECT count(*) AS n FROM notifications n WHERE n.incident_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = n.incident_id)'),
    unsettledPages: await count(db, 'SELECT count(*) AS n FROM incident_pages p WHERE p.settled_at IS NULL AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = p.notification_id)'),
  };
}

const NO_ORPHANS = { runSteps: 0, deliveries: 0, alertIncidents: 0, runIncidents: 0, notificationIncidents: 0, unsettledPages: 0 };

describe.each(ENGINES)('retention.prune with the default ages on %s', (engine) => {
  let t: TestApp;
  let db: Database;
  let seeded: Seeded;
  let result: Awaited<ReturnType<typeof runTask>>;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_RETENTION_BATCH_PAUSE_MS: '0' } });
    db = t.server.db;
    seeded = await seed(db);
    result = await runTask(task(t, 'retention.prune'), { actor: 'scheduler' });
  });
  afterAll(async () => t?.close());

  it('reports the count per kind, incidents not pruned', () => {
    expect(result.result.ok).toBe(true);
    expect(result.result.details?.deleted).toEqual({ runs: 1, deliveries: 1, alerts: 2, timeline: 6, incidents: 0, audit: 1 });
    expect(result.result.summary).toMatch(/^Deleted 11 old rows/);
    const kinds = result.result.details?.kinds as Array<{ kind: string; keptDays: number | null }>;
    expect(kinds.find((k) => k.kind === 'incidents')?.keptDays).toBeNull();
  });

  it('deletes resolved alerts older than 30 days and keeps younger and firing ones', async () => {
    expect(await ids(db, 'alerts')).toEqual([seeded.alerts.youngResolved, seeded.alerts.oldFiring].sort());
  });

  it('deletes finished runs older than 90 days with their steps, and keeps running ones and runs of open incidents', async () => {
    expect(await ids(db, 'runs')).toEqual([seeded.runs.youngFinished, seeded.runs.oldRunning, seeded.runs.oldOfOpenIncident].sort());
    expect(await count(db, 'SELECT count(*) AS n FROM run_steps WHERE run_id = $1', [seeded.runs.oldFinished])).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM run_checks WHERE run_id = $1', [seeded.runs.oldFinished])).toBe(0);
  });

  it('deletes old delivery records only once every delivery ended and no page waits for them', async () => {
    expect(await ids(db, 'notifications')).toEqual([seeded.notifications.oldQueued, seeded.notifications.oldUnsettledPage, seeded.notifications.young].sort());
  });

  it('deletes the timeline of incidents closed long ago only, and never an incident or post-mortem by default', async () => {
    const { oldClosed, oldClosedReferenced, recentlyClosed, open } = seeded.incidents;
    expect(await ids(db, 'incidents')).toEqual([oldClosed, recentlyClosed, open, oldClosedReferenced].sort());
    expect(await count(db, 'SELECT count(*) AS n FROM incident_events WHERE incident_id = ANY($1)', [[oldClosed, oldClosedReferenced]])).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM incident_events WHERE incident_id = ANY($1)', [[recentlyClosed, open]])).toBe(6);
    expect(await count(db, 'SELECT count(*) AS n FROM incident_postmortems')).toBe(4);
    expect(await count(db, 'SELECT count(*) AS n FROM incident_alerts')).toBe(4);
  });

  it('deletes audit entries older than 730 days and writes one for the prune, by the scheduler', async () => {
    const audit = await db.query<{ id: string; actor: string; action: string; outcome: string; details: { total: number; deleted: Record<string, number> } }>(
      `SELECT id::text AS id, actor, action, outcome, details FROM audit_log WHERE id = ANY($1) OR action = 'retention.prune' ORDER BY id`,
      [[seeded.audit.old, seeded.audit.young]],
    );
    expect(audit.map((a) => a.id)).not.toContain(String(seeded.audit.old));
    expect(audit.map((a) => a.id)).toContain(String(seeded.audit.young));
    const prune = audit.find((a) => a.action === 'retention.prune');
    expect(prune).toMatchObject({ actor: 'scheduler', outcome: 'success', details: { total: 11, deleted: { alerts: 2, runs: 1 } } });
  });

  it('leaves no orphan behind', async () => {
    expect(await orphans(db)).toEqual(NO_ORPHANS);
  });

  it('counts the pruned rows on /metrics', async () => {
    const res = await t.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/nexus_retention_pruned_rows_total\{kind="alerts"[^}]*\} 2\n/);
    expect(res.body).toMatch(/nexus_retention_pruned_rows_total\{kind="timeline"[^}]*\} 6\n/);
  });

  it('deletes nothing more when run again, and the audit shows who ran it', async () => {
    const again = await runTask(task(t, 'retention.prune'), { actor: 'alice' });
    expect(again.result.details?.total).toBe(0);
    const res = await t.inject({ method: 'GET', url: '/api/v1/audit?action=retention.prune', headers: bearer(t.tokens.admin) });
    const actors = json<{ items: Array<{ actor: string }> }>(res).items.map((i) => i.actor);
    expect(actors.sort()).toEqual(['alice', 'scheduler']);
  });
});

describe.each(ENGINES)('retention.prune with incidents kept 100 days on %s', (engine) => {
  let t: TestApp;
  let db: Database;
  let seeded: Seeded;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_RETENTION_INCIDENTS_DAYS: '100', NEXUS_RETENTION_BATCH_PAUSE_MS: '0' } });
    db = t.server.db;
    seeded = await seed(db);
  });
  afterAll(async () => t?.close());

  it('deletes closed incidents with their post-mortems, keeping any an alert, run or notification still names', async () => {
    const { result } = await runTask(task(t, 'retention.prune'));
    const { oldClosed, oldClosedReferenced, recentlyClosed, open } = seeded.incidents;
    // oldClosed lost its last notification in the same run, before incidents were looked at.
    expect(result.details?.deleted).toMatchObject({ incidents: 1 });
    expect(await ids(db, 'incidents')).toEqual([recentlyClosed, open, oldClosedReferenced].sort());
    expect(await count(db, 'SELECT count(*) AS n FROM incident_postmortems WHERE incident_id = $1', [oldClosed])).toBe(0);
    expect(await count(db, 'SELECT count(*) AS n FROM incident_postmortems WHERE incident_id = $1', [oldClosedReferenced])).toBe(1);
    expect(await orphans(db)).toEqual(NO_ORPHANS);
  });
});

describe.each(ENGINES)('retention.prune in batches on %s', (engine) => {
  let t: TestApp;
  let db: Database;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_RETENTION_BATCH_SIZE: '10', NEXUS_RETENTION_BATCH_PAUSE_MS: '0' } });
    db = t.server.db;
  });
  afterAll(async () => t?.close());

  async function oldAlerts(n: number): Promise<void> {
    await db.query(
      `INSERT INTO alerts (fingerprint, source, status, labels, annotations, group_key, starts_at, first_seen_at, last_seen_at, resolved_at)
       SELECT 'bulk-' || g || '-' || gen_random_uuid(), 'test', 'resolved', '{}', '{}', 'g', $2, $2, $2, $2 FROM generate_series(1, $1) g`,
      [n, daysAgo(60)],
    );
  }

  it('deletes 25 rows as batches of 10, 10 and 5, reporting progress after each', async () => {
    await oldAlerts(25);
    const { result, progress } = await runTask(task(t, 'retention.prune'));
    const alerts = (result.details?.kinds as Array<{ kind: string; batches: number; deleted: number }>).find((k) => k.kind === 'alerts');
    expect(alerts).toMatchObject({ deleted: 25, batches: 3 });
    expect(progress.filter((p) => p.message.startsWith('alerts:')).map((p) => p.message)).toEqual(['alerts: 10 deleted', 'alerts: 20 deleted', 'alerts: 25 deleted']);
    expect(progress.at(-1)).toEqual({ fraction: 1, message: 'done' });
  });

  it('stops between batches when cancelled, says so, and audits the partial prune', async () => {
    await oldAlerts(25);
    const controller = new AbortController();
    const { result } = await runTask(task(t, 'retention.prune'), {
      actor: 'bob',
      signal: controller.signal,
      onProgress: (message) => {
        if (message.startsWith('alerts:')) controller.abort();
      },
    });
    expect(result.ok).toBe(false);
    expect(result.summary).toMatch(/^Cancelled after deleting 10 rows/);
    expect(await count(db, `SELECT count(*) AS n FROM alerts`)).toBe(15);
    const [entry] = await db.query<{ outcome: string; details: { cancelled: boolean } }>(`SELECT outcome, details FROM audit_log WHERE action = 'retention.prune' AND actor = 'bob'`);
    expect(entry).toMatchObject({ outcome: 'error', details: { cancelled: true } });
  });

  it('a failing delete is audited with what was deleted before it, and the error reaches the caller', async () => {
    await oldAlerts(3);
    await db.exec(`CREATE FUNCTION care_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$;
      CREATE TRIGGER care_test_refuse BEFORE DELETE ON alerts FOR EACH ROW EXECUTE FUNCTION care_test_refuse();`);
    try {
      await expect(runTask(task(t, 'retention.prune'), { actor: 'carol' })).rejects.toThrow('refused by test');
    } finally {
      await db.exec('DROP TRIGGER care_test_refuse ON alerts; DROP FUNCTION care_test_refuse();');
    }
    const [entry] = await db.query<{ outcome: string; details: unknown }>(`SELECT outcome, details FROM audit_log WHERE action = 'retention.prune' AND actor = 'carol'`);
    expect(entry).toEqual({ outcome: 'error', details: { deleted: { runs: 0, deliveries: 0, alerts: 0 }, failedAt: 'alerts' } });
    await runTask(task(t, 'retention.prune'));
  });

  it('an alert pruned while the receiver still remembers it is taken again when Alertmanager repeats or refires it', async () => {
    const url = '/api/v1/alerts/alertmanager';
    const labels = { alertname: 'DiskFull', instance: 'db-1', service: 'nexus-platform' };
    expect((await post(t, url, amPayload('g-disk', [amAlert(labels)]))).status).toBe(200);
    expect((await post(t, url, amPayload('g-disk', [amAlert(labels, 'resolved')]))).status).toBe(200);
    // amAlert resolves in 2025: long past the 30 days.
    await runTask(task(t, 'retention.prune'));
    expect(await count(db, `SELECT count(*) AS n FROM alerts WHERE fingerprint = 'fp-DiskFull-db-1'`)).toBe(0);
    // Alertmanager re-sends resolved alerts for a while: the receiver's memory of the row must not fail it.
    expect((await post(t, url, amPayload('g-disk', [amAlert(labels, 'resolved')]))).status).toBe(200);
    expect((await post(t, url, amPayload('g-disk', [amAlert(labels)]))).status).toBe(200);
    const rows = await db.query<{ status: string }>(`SELECT status FROM alerts WHERE fingerprint = 'fp-DiskFull-db-1'`);
    expect(rows).toEqual([{ status: 'firing' }]);
  });
});
