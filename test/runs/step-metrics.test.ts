import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';
import { addRunbook, api, runbookMarkdown, runStep, startRun } from './support.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp('pglite');
});
afterAll(async () => t?.close());

async function scrape(): Promise<string> {
  const res = await t.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** The value of one series, e.g. `nexus_runbook_step_runs_total{status="failed"}`; the default `subset` label is ignored. */
function value(text: string, name: string, status: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`status="${status}"`));
  if (!line) throw new Error(`no ${name}{status="${status}"} in /metrics`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('nexus_runbook_step_runs_total and nexus_runbook_step_duration_seconds', () => {
  it('start at zero for every status', async () => {
    const text = await scrape();
    for (const status of ['succeeded', 'failed', 'timed-out', 'cancelled', 'lost']) {
      expect(value(text, 'nexus_runbook_step_runs_total', status)).toBe(0);
    }
  });

  it('count a step that succeeded and one that failed, with their durations; a cancel before start is not a run', async () => {
    const book = await addRunbook(t, runbookMarkdown('Metrics', [{ text: 'echo fine' }, { text: 'sleep 0.2; exit 3' }, { text: 'echo never' }]));
    const procedure = book.parsed.procedures[0]!;
    const [ok, bad, never] = commandsOf(procedure).map((c) => c.command.id);
    const run = await startRun(t, book.slug, procedure.id);
    expect((await runStep(t, run, ok!)).state).toBe('succeeded');
    const failed = await runStep(t, run, bad!);
    expect(failed).toMatchObject({ state: 'failed', exitCode: 3 });
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${never!}/cancel`)).status).toBe(200);

    const text = await scrape();
    expect(value(text, 'nexus_runbook_step_runs_total', 'succeeded')).toBe(1);
    expect(value(text, 'nexus_runbook_step_runs_total', 'failed')).toBe(1);
    expect(value(text, 'nexus_runbook_step_runs_total', 'cancelled')).toBe(0);
    expect(value(text, 'nexus_runbook_step_duration_seconds_count', 'succeeded')).toBe(1);
    expect(value(text, 'nexus_runbook_step_duration_seconds_count', 'failed')).toBe(1);
    // The failing command slept 0.2 s: its duration is at least that.
    expect(value(text, 'nexus_runbook_step_duration_seconds_sum', 'failed')).toBeGreaterThanOrEqual(0.2);
    expect(text).toMatch(/nexus_runbook_step_duration_seconds_bucket\{le="0\.1",[^}]*status="failed"[^}]*\} 0\n/);
  });

  it('are served with the rest of /metrics (the METRICS_TOKEN rule applies to them too)', async () => {
    const res = await t.inject({ method: 'GET', url: '/metrics', headers: bearer(t.tokens.admin) });
    expect(res.body).toContain('# TYPE nexus_runbook_step_runs_total counter');
    expect(res.body).toContain('# TYPE nexus_runbook_step_duration_seconds histogram');
  });
});
