import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/platform/events/index.js';
import { commandsOf } from '../../src/runbooks/model.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { addRunbook, runbookMarkdown } from '../runs/support.js';
import { countingTask, createSchedule, finishedRun, runsOf, settableClock, waitFor, type ScheduleRunView } from './support.js';

/** A Redis database index no other test uses: FLUSHDB here empties only this one. */
const REDIS_DB = '12';
const redis = (...args: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', '-n', REDIS_DB, ...args], { encoding: 'utf8' }).trim();

describe.each(ENGINES)('schedules on %s', (engine) => {
  let t: TestApp;
  const time = settableClock('2027-03-01T05:00:00Z');
  const good = countingTask('test.good');
  const bad = countingTask('test.bad', () => ({ ok: false, summary: 'the disk is full' }));
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    t = await createTestApp(engine, {
      // The loop ticks rarely: each test drives `tick()` with its clock.
      start: { maintenanceClock: time.clock, maintenanceTasks: [good.task, bad.task], schedulerTiming: { tickMs: 3_600_000, pollMs: 50, progressEveryMs: 0 } },
    });
    t.server.bus.subscribe((event) => {
      if (event.type === 'schedule.run') events.push(event);
    });
  });
  afterAll(async () => t?.close());

  const tick = () => t.server.maintenance.schedules.tick();
  const post = (role: keyof TestApp['tokens'], url: string, payload?: object) =>
    t.inject({ method: 'POST', url, headers: bearer(t.tokens[role]), ...(payload ? { payload } : {}) });

  it('refuses a bad cron or time zone with a 400 naming the field, injection attempts included', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cron: '0 6 * * *; rm -rf /' }, 'cron'],
      [{ cron: '$(id) 6 * * *' }, 'cron'],
      [{ cron: '0 6 * * * *' }, 'cron'],
      [{ cron: '0 0 30 2 *' }, 'cron'],
      [{ cron: '0 6 * *\n* *' }, 'cron'],
      [{ cron: '0 6 * * *', timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ cron: '0 6 * * *', timeZone: '../../etc/passwd' }, 'timeZone'],
      [{ cron: '0 6 * * *', timeZone: "UTC'; DROP TABLE schedules; --" }, 'timeZone'],
    ];
    for (const [fields, field] of cases) {
      const res = await post('admin', '/api/v1/schedules', { name: `bad ${randomBytes(3).toString('hex')}`, task: 'test.good', ...fields });
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(res.body, JSON.stringify(fields)).toContain(field === 'cron' ? 'cron' : 'timeZone');
    }
    expect((await post('admin', '/api/v1/schedules', { name: 'no target', cron: '0 6 * * *' })).statusCode).toBe(400);
    expect((await post('admin', '/api/v1/schedules', { name: 'unknown task', cron: '0 6 * * *', task: 'no.such' })).body).toContain('no built-in task');
  });

  it('lists a schedule with its next due time in its own time zone, and the built-in tasks', async () => {
    const created = await createSchedule(t, { name: 'berlin', task: 'test.good', cron: '30 6 * * *', timeZone: 'Europe/Berlin' });
    // 06:30 in Berlin in March (before the switch to summer time) is 05:30 UTC.
    expect(created.nextDueAt).toBe('2027-03-01T05:30:00.000Z');
    const list = json<{ items: Array<{ name: string; nextDueAt: string; lastRun: unknown; targetTitle: string }> }>(
      await t.inject({ method: 'GET', url: '/api/v1/schedules', headers: bearer(t.tokens.viewer) }),
    );
    expect(list.items.find((s) => s.name === 'berlin')).toMatchObject({ nextDueAt: '2027-03-01T05:30:00.000Z', lastRun: null, targetTitle: 'Test task test.good' });
    const tasks = json<{ items: Array<{ key: string }> }>(await t.inject({ method: 'GET', url: '/api/v1/schedules/tasks', headers: bearer(t.tokens.viewer) }));
    await t.inject({ method: 'DELETE', url: `/api/v1/schedules/${created.id}`, headers: bearer(t.tokens.admin) });
    // The test's own tasks beside every part's built-in ones, sorted by key.
    const keys = tasks.items.map((i) => i.key);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(
      expect.arrayContaining(['test.bad', 'test.good', 'backup.create', 'backup.verify', 'backup.drill', 'retention.prune', 'db.vacuum-analyze', 'db.size', 'db.slow-queries', 'db.long-running-queries']),
    );
  });

  it('a viewer can neither run nor enable a schedule, an operator may run but not enable, and each refusal is audited', async () => {
    const schedule = await createSchedule(t, { name: 'roles', task: 'test.good', cron: '0 1 * * *', enabled: false });
    expect((await post('viewer', `/api/v1/schedules/${schedule.id}/run`)).statusCode).toBe(403);
    expect((await post('responder', `/api/v1/schedules/${schedule.id}/run`)).statusCode).toBe(403);
    expect((await post('viewer', `/api/v1/schedules/${schedule.id}/enable`)).statusCode).toBe(403);
    expect((await post('operator', `/api/v1/schedules/${schedule.id}/enable`)).statusCode).toBe(403);
    expect((await t.inject({ method: 'PATCH', url: `/api/v1/schedules/${schedule.id}`, headers: bearer(t.tokens.operator), payload: { enabled: true } })).statusCode).toBe(403);
    const audit = await t.server.db.query<{ action: string; outcome: string }>(`SELECT action, outcome FROM audit_log WHERE target = $1 ORDER BY id`, [schedule.id]);
    expect(audit.filter((a) => a.outcome !== 'success').map((a) => a.action)).toEqual(['schedule.run', 'schedule.run', 'schedule.enable', 'schedule.enable', 'schedule.update']);
    expect(json<{ enabled: boolean }>(await t.inject({ method: 'GET', url: `/api/v1/schedules/${schedule.id}`, headers: bearer(t.tokens.viewer) })).enabled).toBe(false);

    const run = await post('operator', `/api/v1/schedules/${schedule.id}/run`);
    expect(run.statusCode).toBe(202);
    const done = await finishedRun(t, schedule.id, json<{ id: string }>(run).id);
    expect(done).toMatchObject({ status: 'ok', trigger: 'manual', requestedBy: 'operator-user', summary: 'did the thing', details: { items: 3 } });
  });

  it('runs a due schedule once per due time, records its progress, and publishes it live', async () => {
    time.set('2027-03-01T05:59:00Z');
    const schedule = await createSchedule(t, { name: 'daily', task: 'test.good', cron: '0 6 * * *' });
    expect(schedule.nextDueAt).toBe('2027-03-01T06:00:00.000Z');
    expect(await tick()).toEqual([]);
    time.set('2027-03-01T06:00:20Z');
    const before = good.calls.length;
    const [created, ...more] = await tick();
    expect(more).toEqual([]);
    expect(await tick()).toEqual([]);
    expect(created).toMatchObject({ trigger: 'due', dueAt: new Date('2027-03-01T06:00:00Z') });
    const run = await finishedRun(t, schedule.id, created!.id);
    expect(run).toMatchObject({ status: 'ok', requestedBy: 'scheduler', summary: 'did the thing', progress: { fraction: 0.5, message: 'half way' } });
    expect(good.calls.slice(before)).toEqual(['scheduler']);
    const mine = events.map((e) => e.data as ScheduleRunView).filter((r) => r.id === created!.id);
    expect(mine.map((r) => r.status)).toEqual(expect.arrayContaining(['queued', 'running', 'ok']));
    expect(mine.some((r) => r.progress?.message === 'half way' && r.status === 'running')).toBe(true);
    const listed = json<{ items: Array<{ id: string; nextDueAt: string; lastRun: { status: string } }> }>(
      await t.inject({ method: 'GET', url: '/api/v1/schedules', headers: bearer(t.tokens.viewer) }),
    ).items.find((s) => s.id === schedule.id);
    expect(listed).toMatchObject({ nextDueAt: '2027-03-02T06:00:00.000Z', lastRun: { status: 'ok' } });
    await post('admin', `/api/v1/schedules/${schedule.id}/disable`);
  });

  it('after downtime over its due times, a run-once schedule runs once and a skip schedule records them as missed', async () => {
    time.set('2027-03-02T00:10:00Z');
    const once = await createSchedule(t, { name: 'hourly once', task: 'test.good', cron: '0 * * * *', missedPolicy: 'run-once' });
    const skip = await createSchedule(t, { name: 'hourly skip', task: 'test.good', cron: '0 * * * *', missedPolicy: 'skip' });
    const before = good.calls.length;
    // NEXUS "was down" from 00:10 to 03:30: due times 01:00, 02:00 and 03:00 passed unseen.
    time.set('2027-03-02T03:30:00Z');
    const created = await tick();
    expect(created.map((r) => `${r.scheduleId === once.id ? 'once' : 'skip'} ${r.trigger} ${r.status}`).sort()).toEqual(['once catch-up queued', 'skip missed missed']);
    const caughtUp = await finishedRun(t, once.id);
    expect(caughtUp).toMatchObject({ status: 'ok', trigger: 'catch-up', dueAt: '2027-03-02T03:00:00.000Z', details: { missedCount: 3, firstMissedAt: '2027-03-02T01:00:00.000Z', items: 3 } });
    expect(await runsOf(t, skip.id)).toMatchObject([{ status: 'missed', trigger: 'missed', dueAt: '2027-03-02T03:00:00.000Z', details: { missedCount: 3 } }]);
    expect(good.calls.length - before).toBe(1);
    // Both wait for 04:00 now; nothing more for the hours already handled.
    expect(await tick()).toEqual([]);
    for (const s of [once, skip]) await post('admin', `/api/v1/schedules/${s.id}/disable`);
  });

  it('a failed run notifies its owner through notify, and says so on the run', async () => {
    const contact = await post('admin', '/api/v1/contacts', { name: 'operator-user', email: 'operator@example.test' });
    expect(contact.statusCode).toBe(201);
    const schedule = await createSchedule(t, { name: 'failing', task: 'test.bad', cron: '0 0 1 1 *', owner: 'operator-user', enabled: false });
    const queued = json<{ id: string }>(await post('admin', `/api/v1/schedules/${schedule.id}/run`));
    const run = await finishedRun(t, schedule.id, queued.id);
    expect(run).toMatchObject({ status: 'failed', summary: 'the disk is full' });
    const notified = await waitFor(async () => (await runsOf(t, schedule.id))[0]?.notification, 'the notification');
    expect(notified).toMatch(/^Notified operator-user \(operator-user\), notification [0-9a-f-]{36}$/);
    const rows = await t.server.db.query<{ subject: string }>(`SELECT subject FROM notifications WHERE key = $1`, [`schedule-run:${run.id}:failed`]);
    expect(rows).toEqual([{ subject: 'Scheduled run failed: failing' }]);
  });

  it('a scheduled procedure with a destructive command stops at the approval gate; a rejection fails the run', async () => {
    const key = `nexus-sched-${randomBytes(4).toString('hex')}`;
    redis('SET', key, 'still-here');
    const book = await addRunbook(t, runbookMarkdown('Flush', [{ text: `redis-cli -h 127.0.0.1 -p 6379 -n ${REDIS_DB} FLUSHDB` }]));
    const procedure = book.parsed.procedures[0]!;
    const commandId = commandsOf(procedure)[0]!.command.id;
    const schedule = await createSchedule(t, { name: 'flush', runbook: book.slug, procedure: procedure.id, cron: '0 3 * * *', owner: 'operator-user' });
    time.set('2027-03-03T03:00:05Z');
    const [due] = (await tick()).filter((r) => r.scheduleId === schedule.id);
    expect(due).toBeDefined();
    const waiting = await waitFor(async () => {
      const run = (await runsOf(t, schedule.id)).find((r) => r.id === due!.id);
      return run?.progress?.message.includes('waiting for a second person') ? run : null;
    }, 'the run to wait for approval');
    expect(waiting.status).toBe('running');
    const runbookRun = json<Run>(await t.inject({ method: 'GET', url: `/api/v1/runs/${waiting.runbookRunId}`, headers: bearer(t.tokens.viewer) }));
    expect(runbookRun.steps.map((s) => [s.commandId, s.state, s.risk])).toEqual([[commandId, 'awaiting-approval', 'destructive']]);
    expect(redis('GET', key)).toBe('still-here');
    // The owner who asked cannot approve their own request, scheduled or not.
    expect((await post('operator', `/api/v1/runs/${waiting.runbookRunId}/steps/${commandId}/approve`)).statusCode).toBe(403);
    expect((await post('admin', `/api/v1/runs/${waiting.runbookRunId}/steps/${commandId}/reject`, { reason: 'not today' })).statusCode).toBe(200);
    const ended = await finishedRun(t, schedule.id, due!.id);
    expect(ended.status).toBe('failed');
    expect(ended.summary).toContain('was not approved: rejected by admin: not today');
    expect(redis('GET', key)).toBe('still-here');
    redis('DEL', key);
  });

  it('a disabled owner\'s schedule starts nothing, and says why', async () => {
    const created = await post('admin', '/api/v1/users', { username: 'leaver', password: 'leaver-password-123', role: 'operator' });
    const leaver = json<{ id: string }>(created);
    time.set('2027-03-04T00:59:00Z');
    const schedule = await createSchedule(t, { name: 'leaver task', task: 'test.good', cron: '0 1 * * *', owner: 'leaver' });
    expect((await t.inject({ method: 'PATCH', url: `/api/v1/users/${leaver.id}`, headers: bearer(t.tokens.admin), payload: { disabled: true } })).statusCode).toBe(200);
    const before = good.calls.length;
    time.set('2027-03-04T01:00:10Z');
    const [due] = (await tick()).filter((r) => r.scheduleId === schedule.id);
    const run = await finishedRun(t, schedule.id, due!.id);
    expect(run).toMatchObject({ status: 'failed', summary: "leaver is disabled; a disabled user's schedules start nothing" });
    expect(good.calls.length).toBe(before);
    await post('admin', `/api/v1/schedules/${schedule.id}/disable`);
  });

  it('a scheduled procedure runs its commands in order on a runner, as the person who pressed run now', async () => {
    const book = await addRunbook(t, runbookMarkdown('Look', [{ text: 'echo first' }, { text: 'echo second' }]));
    const procedure = book.parsed.procedures[0]!;
    const schedule = await createSchedule(t, { name: 'look', runbook: book.slug, procedure: procedure.id, cron: '0 4 * * *', enabled: false });
    const queued = json<{ id: string }>(await post('operator', `/api/v1/schedules/${schedule.id}/run`));
    const run = await finishedRun(t, schedule.id, queued.id);
    expect(run).toMatchObject({ status: 'ok', summary: 'Look: 2 commands succeeded', progress: { fraction: 1, message: '2 of 2 commands done' } });
    const runbookRun = json<Run>(await t.inject({ method: 'GET', url: `/api/v1/runs/${run.runbookRunId}`, headers: bearer(t.tokens.viewer) }));
    expect(runbookRun.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded']);
    expect(runbookRun.createdBy).toBe(t.userIds.operator);
  });

  it('imports the seed runbook\'s daily, weekly and monthly tasks once, disabled, and leaves an admin\'s changes alone', async () => {
    const seeded = async () =>
      json<{ items: Array<{ id: string; name: string; cron: string; enabled: boolean; seeded: boolean; procedure: string; runbook: string; timeZone: string; task: string | null }> }>(
        await t.inject({ method: 'GET', url: '/api/v1/schedules?limit=500', headers: bearer(t.tokens.viewer) }),
      ).items.filter((s) => s.seeded);
    const all = await seeded();
    // The built-in tasks this app registers get their rhythm too, disabled (backups are not in every build).
    const taskSeeds = all.filter((s) => s.task !== null);
    expect(taskSeeds.map((s) => [s.task, s.cron, s.enabled])).toEqual(
      expect.arrayContaining([
        ['retention.prune', '30 3 * * *', false],
        ['db.vacuum-analyze', '0 5 * * 0', false],
      ]),
    );
    const first = all.filter((s) => s.task === null);
    expect(first.map((s) => [s.name, s.cron, s.timeZone, s.enabled, s.runbook]).sort()).toEqual([
      ['Daily Tasks (nexus-platform)', '0 6 * * *', 'UTC', false, 'nexus-platform'],
      ['Monthly Tasks (nexus-platform)', '0 8 1 * *', 'UTC', false, 'nexus-platform'],
      ['Weekly Tasks (nexus-platform)', '0 7 * * 1', 'UTC', false, 'nexus-platform'],
    ]);
    const daily = first.find((s) => s.name.startsWith('Daily'))!;
    const monthly = first.find((s) => s.name.startsWith('Monthly'))!;
    expect((await t.inject({ method: 'PATCH', url: `/api/v1/schedules/${daily.id}`, headers: bearer(t.tokens.admin), payload: { cron: '15 5 * * *', enabled: true } })).statusCode).toBe(200);
    expect((await t.inject({ method: 'DELETE', url: `/api/v1/schedules/${monthly.id}`, headers: bearer(t.tokens.admin) })).statusCode).toBe(204);
    expect(await t.server.maintenance.schedules.ensureSeeds()).toEqual([]);
    const again = (await seeded()).filter((s) => s.task === null);
    expect(again.map((s) => [s.name, s.cron, s.enabled]).sort()).toEqual([
      ['Daily Tasks (nexus-platform)', '15 5 * * *', true],
      ['Weekly Tasks (nexus-platform)', '0 7 * * 1', false],
    ]);
    await post('admin', `/api/v1/schedules/${daily.id}/disable`);
  });
});
