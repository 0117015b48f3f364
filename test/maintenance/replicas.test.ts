import { afterAll, describe, expect, it } from 'vitest';
import type { BuiltInTask } from '../../src/maintenance/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';
import { ADMIN_PASSWORD, bearer, json, login, testConfig, type TestApp } from '../support/app.js';
import { createPostgresDatabase } from '../support/db.js';
import { countingTask, createSchedule, finishedRun, runsOf, settableClock, waitFor } from './support.js';

/**
 * Replicas on one PostgreSQL (PGlite is one process, so this is server mode
 * only): a due time runs once however many schedulers tick at it, and a
 * NEXUS that was down at a due time catches up (or records a miss) on start.
 */
describe('schedules across replicas and restarts (PostgreSQL)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  async function replica(url: string, options: StartOptions): Promise<{ server: RunningServer; api: Pick<TestApp, 'inject' | 'tokens'> }> {
    const config = await testConfig({ DATABASE_URL: url });
    const server = await startServer(config, { listen: false, logger: createLogger('silent'), builtinRunbooksDir: null, ...options });
    cleanup.push(() => server.close());
    const inject = server.app.inject.bind(server.app);
    const admin = await login(inject, 'admin', ADMIN_PASSWORD);
    // Every request here is the admin's: the tokens of other roles are not needed.
    const tokens = { admin, viewer: admin, responder: admin, operator: admin };
    return { server, api: { inject, tokens } };
  }

  it('two replicas ticking at the same due time run it once', async () => {
    const { url, drop } = await createPostgresDatabase();
    cleanup.push(drop);
    const time = settableClock('2027-05-03T05:58:00Z');
    const counted = countingTask('test.once');
    const options: StartOptions = { maintenanceClock: time.clock, maintenanceTasks: [counted.task], schedulerTiming: { tickMs: 3_600_000 } };
    const a = await replica(url, options);
    const b = await replica(url, options);
    const schedule = await createSchedule(a.api, { name: 'replicated', task: 'test.once', cron: '0 6 * * *' });
    time.set('2027-05-03T06:00:01Z');
    const ticks = await Promise.all([a.server, b.server, a.server, b.server].map((s) => s.maintenance.schedules.tick()));
    expect(ticks.flat().map((r) => r.scheduleId)).toEqual([schedule.id]);
    const run = await finishedRun(b.api, schedule.id);
    expect(run).toMatchObject({ status: 'ok', trigger: 'due', dueAt: '2027-05-03T06:00:00.000Z' });
    expect(await runsOf(a.api, schedule.id)).toHaveLength(1);
    expect(counted.calls).toEqual(['scheduler']);
  });

  it('a NEXUS down at the due time runs a run-once schedule once when it is back, and records a skip schedule as missed', async () => {
    const { url, drop } = await createPostgresDatabase();
    cleanup.push(drop);
    const time = settableClock('2027-05-03T05:00:00Z');
    const counted = countingTask('test.restart');
    const options: StartOptions = { maintenanceClock: time.clock, maintenanceTasks: [counted.task], schedulerTiming: { tickMs: 3_600_000 } };
    const first = await replica(url, options);
    const once = await createSchedule(first.api, { name: 'catch up', task: 'test.restart', cron: '0 6 * * *', missedPolicy: 'run-once' });
    const skip = await createSchedule(first.api, { name: 'let it go', task: 'test.restart', cron: '0 6 * * *', missedPolicy: 'skip' });
    await first.server.close();

    time.set('2027-05-03T09:30:00Z');
    // The new process's scheduler ticks as it starts; the explicit tick finds nothing left to do.
    const second = await replica(url, options);
    await second.server.maintenance.schedules.tick();
    const caughtUp = await finishedRun(second.api, once.id);
    expect(caughtUp).toMatchObject({ status: 'ok', trigger: 'catch-up', dueAt: '2027-05-03T06:00:00.000Z', details: { missedCount: 1 } });
    expect(await runsOf(second.api, skip.id)).toMatchObject([{ status: 'missed', trigger: 'missed', dueAt: '2027-05-03T06:00:00.000Z' }]);
    expect(counted.calls).toEqual(['scheduler']);
    const listed = json<{ items: Array<{ id: string; nextDueAt: string }> }>(
      await second.api.inject({ method: 'GET', url: '/api/v1/schedules', headers: bearer(second.api.tokens.admin) }),
    );
    // The seeded schedules (disabled, no due time) are left out: only these two were due.
    expect(listed.items.filter((s) => s.id === once.id || s.id === skip.id).map((s) => s.nextDueAt)).toEqual(['2027-05-04T06:00:00.000Z', '2027-05-04T06:00:00.000Z']);
  });

  it('a run cut off by its process stopping is failed by the sweep, not run again', async () => {
    const { url, drop } = await createPostgresDatabase();
    cleanup.push(drop);
    const time = settableClock('2027-05-03T05:00:00Z');
    let release: () => void = () => {};
    const stuck = countingTask('test.stuck', () => new Promise((resolve) => (release = () => resolve({ ok: true, summary: 'late' }))));
    // No heartbeat during the test: the run's process looks as a killed one does to the others.
    const options: StartOptions = { maintenanceClock: time.clock, maintenanceTasks: [stuck.task], schedulerTiming: { tickMs: 3_600_000, heartbeatMs: 3_600_000 } };
    const first = await replica(url, options);
    const schedule = await createSchedule(first.api, { name: 'stuck', task: 'test.stuck', cron: '0 6 * * *', enabled: false });
    const started = json<{ id: string }>(await first.api.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/run`, headers: bearer(first.api.tokens.admin) }));
    const second = await replica(url, options);
    await waitFor(async () => stuck.calls.length === 1, 'the task to start');
    expect((await runsOf(second.api, schedule.id))[0]).toMatchObject({ id: started.id, status: 'running' });
    await second.server.maintenance.schedules.sweep();
    expect((await runsOf(second.api, schedule.id))[0]).toMatchObject({ status: 'running' });
    // Three minutes without a heartbeat: its process is taken for dead.
    time.set('2027-05-03T05:03:00Z');
    await second.server.maintenance.schedules.sweep();
    const swept = (await runsOf(second.api, schedule.id))[0]!;
    expect(swept.status).toBe('failed');
    expect(swept.summary).toContain('Interrupted: the NEXUS running it stopped');
    release();
    // The task that finally returns finds its run already ended: the sweep's verdict stands.
    await first.server.close();
    expect((await runsOf(second.api, schedule.id))[0]).toMatchObject({ status: 'failed' });
    expect(stuck.calls).toHaveLength(1);
  });

  it('a run under way when NEXUS stops is recorded as cancelled', async () => {
    const { url, drop } = await createPostgresDatabase();
    cleanup.push(drop);
    const time = settableClock('2027-05-03T05:00:00Z');
    const started: string[] = [];
    // Ends only when told to stop, as a long backup would.
    const waitsForStop: BuiltInTask = {
      key: 'test.patient',
      title: 'Patient',
      description: 'Waits until NEXUS stops.',
      run: (context) =>
        new Promise((_resolve, reject) => {
          started.push(context.actor);
          context.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
        }),
    };
    const options: StartOptions = { maintenanceClock: time.clock, maintenanceTasks: [waitsForStop], schedulerTiming: { tickMs: 3_600_000 } };
    const first = await replica(url, options);
    const schedule = await createSchedule(first.api, { name: 'patient', task: 'test.patient', cron: '0 6 * * *', enabled: false });
    await first.api.inject({ method: 'POST', url: `/api/v1/schedules/${schedule.id}/run`, headers: bearer(first.api.tokens.admin) });
    await waitFor(async () => started.length === 1, 'the task to start');
    await first.server.close();
    const second = await replica(url, options);
    expect((await runsOf(second.api, schedule.id))[0]).toMatchObject({ status: 'cancelled', summary: 'Cancelled: NEXUS stopped during the run' });
  });
});
