import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPostgresDatabase } from '../support/db.js';
import { TestPrometheus } from '../support/prometheus.js';
import { openEvents } from '../support/sse.js';
import { addRunbook, api, getRun, runbookMarkdown, runStep, startRun } from './support.js';

describe('runbook steps against real services, streamed over real SSE', () => {
  let t: TestApp;
  let prom: TestPrometheus | undefined;
  let target: { url: string; drop: () => Promise<void> };
  const role = `nexus_rb_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    [t, prom, target] = await Promise.all([createTestApp('pglite', { start: { listen: true } }), TestPrometheus.start({ scrapeSelf: true }).then(async (p) => (await p.waitForSample('up'), p)), createPostgresDatabase()]);
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.end();
  });
  afterAll(async () => {
    await prom?.stop();
    await target?.drop();
    const admin = new pg.Client({ connectionString: target.url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    await t?.close();
  });

  it('runs psql with a secret connection string: the answer is there, the URL and password are not', async () => {
    const url = new URL(target.url);
    url.username = role;
    url.password = password;
    const book = await addRunbook(
      t,
      runbookMarkdown('Database check', [
        { text: `psql "$DATABASE_URL" -Atc "SELECT 'answer=' || 6*7, current_user" && echo "connected with $DATABASE_URL"` },
        { text: `printf '%s\\n' "$DATABASE_URL" | sed -E 's#.*://[^:]+:([^@]+)@.*#password \\1#'` },
      ]),
    );
    const ids = commandsOf(book.parsed.procedures[0]!).map((c) => c.command.id);
    const sse = await openEvents(t, 'run.');
    const run = await startRun(t, book.slug, book.parsed.procedures[0]!.id, {
      parameters: { DATABASE_URL: url.toString() },
      secretParameters: ['DATABASE_URL'],
    });
    const psql = await runStep(t, run, ids[0]!);
    expect(psql).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(psql.outputExcerpt).toBe(`answer=42|${role}\nconnected with [redacted]\n`);
    expect((await runStep(t, run, ids[1]!)).outputExcerpt).toBe('password [redacted]\n');
    await sse.waitFor((e) => e.event === 'run.step' && e.data.commandId === ids[1] && e.data.state === 'succeeded');
    await sse.close();

    const streamed = sse.events.filter((e) => e.event === 'run.output' && e.data.runId === run.id).map((e) => e.data.chunk).join('');
    expect(streamed).toContain('answer=42');
    const everything = [sse.raw(), JSON.stringify(await getRun(t, run.id)), JSON.stringify(await t.server.db.query('SELECT * FROM run_steps'))];
    for (const text of everything) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(url.toString());
    }
  });

  it('asks a real Prometheus for `up` with curl', async () => {
    const book = await addRunbook(
      t,
      runbookMarkdown('Metrics check', [{ text: 'curl -fsS "<prometheus-url>/api/v1/query?query=up"', annotation: 'expect="\\"status\\":\\"success\\""' }]),
    );
    const run = await startRun(t, book.slug, book.parsed.procedures[0]!.id, { parameters: { PROMETHEUS_URL: prom!.url } });
    const step = await runStep(t, run, commandsOf(book.parsed.procedures[0]!)[0]!.command.id);
    expect(step).toMatchObject({ state: 'succeeded', exitCode: 0 });
    const body = JSON.parse(step.outputExcerpt) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    expect(body.status).toBe('success');
    expect(body.data.result[0]!.metric).toMatchObject({ __name__: 'up', job: 'prometheus' });
    expect(body.data.result[0]!.value[1]).toBe('1');
  });

  it('streams output to an SSE client while the command is still printing', async () => {
    const book = await addRunbook(t, runbookMarkdown('Ticker', [{ text: 'for i in 1 2 3 4 5; do echo "tick $i $(date +%s%3N)"; sleep 0.25; done' }]));
    const commandId = commandsOf(book.parsed.procedures[0]!)[0]!.command.id;
    const run = await startRun(t, book.slug, book.parsed.procedures[0]!.id);
    const sse = await openEvents(t, 'run.');
    const requestedAt = Date.now();
    await runStep(t, run, commandId);
    await sse.waitFor((e) => e.event === 'run.step' && e.data.runId === run.id && e.data.state === 'succeeded');
    await sse.close();
    const mine = sse.events.filter((e) => e.data.runId === run.id);
    const ticks = mine.filter((e) => e.event === 'run.output');
    expect(ticks.map((e) => e.data.chunk!.split(' ').slice(0, 2).join(' '))).toEqual(['tick 1', 'tick 2', 'tick 3', 'tick 4', 'tick 5']);
    // Streamed, not delivered at the end: the first line reached the client before the
    // command had even printed its last one (latency figures are bench/runbooks' job).
    const printedAt = (e: (typeof ticks)[number]) => Number(e.data.chunk!.trim().split(' ')[2]);
    expect(ticks[0]!.receivedAt).toBeLessThan(printedAt(ticks[4]!));
    const finished = mine.find((e) => e.event === 'run.step' && e.data.state === 'succeeded')!;
    expect(finished.receivedAt - ticks[0]!.receivedAt).toBeGreaterThan(900);
    expect(ticks[0]!.receivedAt).toBeGreaterThanOrEqual(requestedAt);
    expect(mine.map((e) => e.event)).toEqual(expect.arrayContaining(['run.step', 'run.output', 'run.finished']));
  });

  it('answers bad step names and unknown runs with a 4xx', async () => {
    const book = await addRunbook(t, runbookMarkdown('Small', [{ text: 'true' }]));
    const run = await startRun(t, book.slug, book.parsed.procedures[0]!.id);
    expect((await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/no-such-step/run`)).status).toBe(404);
    expect((await api(t, 'viewer', 'GET', `/api/v1/runs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await api(t, 'responder', 'POST', '/api/v1/runs', { runbook: book.slug, procedure: 'nope' })).status).toBe(404);
  });
});
