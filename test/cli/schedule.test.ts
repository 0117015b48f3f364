import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Schedule, ScheduleRun } from '../../src/maintenance/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { type CliResult, cliEnv, runNexus } from '../support/cli.js';
import { countingTask, createSchedule } from '../maintenance/support.js';

let t: TestApp;
const good = countingTask('test.cli');
const bad = countingTask('test.cli-fails', () => ({ ok: false, summary: 'nothing to back up' }));

function nexus(args: string[], token: string): Promise<CliResult> {
  return runNexus(args, cliEnv(t, token), 30_000);
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true, maintenanceTasks: [good.task, bad.task] } });
});
afterAll(async () => t?.close());

describe('nexus schedule', () => {
  it('lists, enables and disables by name or id prefix, as the roles allow', async () => {
    const created = await createSchedule(t, { name: 'cli nightly', task: 'test.cli', cron: '0 2 * * *', enabled: false });
    const listed = await nexus(['schedule', 'list', '--json'], t.tokens.viewer);
    expect(listed.code).toBe(EXIT.ok);
    const items = (JSON.parse(listed.stdout) as { items: Schedule[] }).items;
    expect(items.find((s) => s.id === created.id)).toMatchObject({ enabled: false, nextDueAt: null });
    // The seed's maintenance tasks and the built-in tasks' rhythms are there, all disabled.
    const seeded = items.filter((s) => s.seeded);
    expect(seeded.length).toBeGreaterThanOrEqual(3);
    expect(seeded.every((s) => !s.enabled)).toBe(true);

    const table = await nexus(['schedule', 'list'], t.tokens.viewer);
    expect(table.stdout).toMatch(/cli nightly\s+0 2 \* \* \* UTC\s+task test\.cli\s+disabled\s+-\s+-/);

    expect((await nexus(['schedule', 'enable', 'cli nightly'], t.tokens.operator)).code).toBe(EXIT.unauthorized);
    const enabled = await nexus(['schedule', 'enable', created.id.slice(0, 8)], t.tokens.admin);
    expect(enabled.code).toBe(EXIT.ok);
    expect(enabled.stdout).toMatch(/^Enabled cli nightly; next due \d{4}-\d\d-\d\dT02:00:00Z\n$/);
    expect((await nexus(['schedule', 'disable', 'cli nightly'], t.tokens.admin)).stdout).toBe('Disabled cli nightly\n');
    expect((await nexus(['schedule', 'disable', 'no such schedule'], t.tokens.admin)).code).toBe(EXIT.notFound);
  });

  it('runs one now and shows its progress until it ends; a failure exits 1', async () => {
    await createSchedule(t, { name: 'cli run', task: 'test.cli', cron: '0 3 * * *', enabled: false });
    expect((await nexus(['schedule', 'run', 'cli run'], t.tokens.viewer)).code).toBe(EXIT.unauthorized);
    const ran = await nexus(['schedule', 'run', 'cli run'], t.tokens.operator);
    expect(ran.code).toBe(EXIT.ok);
    expect(ran.stdout).toMatch(/^Run [0-9a-f-]{36} queued\n/);
    expect(ran.stdout).toContain('50% half way\n');
    expect(ran.stdout).toMatch(/ok: did the thing\n$/);
    expect(good.calls).toEqual(['operator-user']);

    await createSchedule(t, { name: 'cli fails', task: 'test.cli-fails', cron: '0 3 * * *', enabled: false });
    const failed = await nexus(['schedule', 'run', 'cli fails', '--json'], t.tokens.operator);
    expect(failed.code).toBe(EXIT.failure);
    expect(JSON.parse(failed.stdout) as ScheduleRun).toMatchObject({ status: 'failed', summary: 'nothing to back up', trigger: 'manual' });
  });
});
