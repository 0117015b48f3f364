import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import type { RunStep } from '../../src/runbooks/runs/schema.js';
import { keysFromSecrets, SecretSealer } from '../../src/platform/secrets.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { addRunbook, alive, api, getRun, markedProcesses, runbookMarkdown, runStep, startRun, stepEvent, until } from './support.js';

/** Commands ids of the runbook's only procedure, in order. */
async function runbookWith(t: TestApp, commands: Array<{ text: string; annotation?: string }>, checks: string[] = []) {
  const book = await addRunbook(t, runbookMarkdown('Drill', commands, checks));
  const procedure = book.parsed.procedures[0]!;
  return { slug: book.slug, procedure: procedure.id, ids: commandsOf(procedure).map((c) => c.command.id), procedureObj: procedure };
}

const tmpFile = (name: string) => path.join(os.tmpdir(), `nexus-runs-${name}-${randomBytes(4).toString('hex')}`);

describe.each(ENGINES)('runbook runs on %s', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(engine, { env: { NEXUS_STEP_OUTPUT_LIMIT_BYTES: '4096' } });
  });
  afterAll(async () => t?.close());

  it('asks for every missing parameter by name and never stores a secret value', async () => {
    const book = await runbookWith(t, [{ text: 'echo <pod-name> in $NAMESPACE' }, { text: 'psql "$DATABASE_URL" -c "SELECT 1"' }]);
    const missing = await api<{ error: { message: string; details: { missing: string[] } } }>(t, 'responder', 'POST', '/api/v1/runs', {
      runbook: book.slug,
      procedure: book.procedure,
      parameters: { NAMESPACE: 'prod' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.missing).toEqual(['POD_NAME', 'DATABASE_URL']);
    expect(missing.body.error.message).toContain('missing parameters: POD_NAME, DATABASE_URL');

    const unknown = await api(t, 'responder', 'POST', '/api/v1/runs', {
      runbook: book.slug,
      procedure: book.procedure,
      parameters: { NAMESPACE: 'prod', POD_NAME: 'p', DATABASE_URL: 'x', TYPO: '1' },
    });
    expect(unknown.status).toBe(400);

    const secret = `postgres://u:${randomBytes(8).toString('hex')}@db/x`;
    const run = await startRun(t, book.slug, book.procedure, {
      parameters: { NAMESPACE: 'prod', POD_NAME: 'api-1', DATABASE_URL: secret },
      secretParameters: ['DATABASE_URL'],
    });
    expect(run).toMatchObject({ version: 1, status: 'waiting', parameters: { NAMESPACE: 'prod', POD_NAME: 'api-1', DATABASE_URL: '[secret]' } });
    expect(run.steps.map((s) => s.state)).toEqual(['pending', 'pending']);
    const stored = await t.server.db.query(`SELECT r.parameters::text AS p, (SELECT string_agg(sealed, ',') FROM run_secrets WHERE run_id = r.id) AS s FROM runs r WHERE id = $1`, [run.id]);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const audit = await t.server.db.query<{ details: unknown }>(`SELECT details FROM audit_log WHERE action = 'run.create' AND target = $1`, [run.id]);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('a secret no key can open any more is asked for again, by name, before the step runs', async () => {
    const book = await runbookWith(t, [{ text: 'test "$API_KEY" = right-value-123 && echo matched' }]);
    const run = await startRun(t, book.slug, book.procedure, { parameters: { API_KEY: 'right-value-123' }, secretParameters: ['API_KEY'] });
    // As after a server key change: sealed under a key this server does not have.
    const foreign = new SecretSealer(keysFromSecrets('another-server-key-that-is-long-enough-1234'), 'run-secrets v1').seal([run.id, 'API_KEY'], 'right-value-123');
    await t.server.db.query('UPDATE run_secrets SET sealed = $1 WHERE run_id = $2', [foreign, run.id]);
    const refused = await api<{ error: { message: string } }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/run`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`API_KEY can no longer be read`);
    expect(refused.body.error.message).toContain(`POST /api/v1/runs/${run.id}/secrets`);
    const supplied = await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/secrets`, { secrets: { API_KEY: 'right-value-123' } });
    expect(supplied).toEqual({ status: 200, body: { supplied: ['API_KEY'] } });
    const step = await runStep(t, run, book.ids[0]!);
    expect(step).toMatchObject({ state: 'succeeded', outputExcerpt: 'matched\n' });
    const notSecret = await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/secrets`, { secrets: { OTHER: 'x' } });
    expect(notSecret.status).toBe(400);
  });

  it('pins the runbook version it started with, also after a re-import', async () => {
    const slug = `pinned-${randomBytes(3).toString('hex')}`;
    const v1 = await addRunbook(t, runbookMarkdown('Pinned', [{ text: 'echo one' }]), slug);
    const procedure = v1.parsed.procedures[0]!.id;
    const first = await startRun(t, slug, procedure);
    const v2 = await addRunbook(t, runbookMarkdown('Pinned', [{ text: 'echo two' }, { text: 'echo three' }]), slug);
    expect(v2.version).toBe(2);
    const latest = await startRun(t, slug, procedure);
    const old = await startRun(t, slug, procedure, { version: 1 });
    expect([first.version, latest.version, old.version]).toEqual([1, 2, 1]);
    expect((await getRun(t, first.id)).steps.map((s) => s.command)).toEqual(['echo one']);
    expect(latest.steps.map((s) => s.command)).toEqual(['echo two', 'echo three']);
    expect(first.runbook).toEqual({ id: v1.id, slug, title: 'Pinned runbook' });
    const missing = await api(t, 'responder', 'POST', '/api/v1/runs', { runbook: slug, procedure, version: 9 });
    expect(missing.status).toBe(404);
  });

  it('runs a read command for a responder: output, exit code and duration, stored and streamed', async () => {
    const book = await runbookWith(t, [{ text: 'redis-cli -h 127.0.0.1 -p 6379 PING', annotation: 'expect="PONG"' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const chunks: string[] = [];
    const off = t.server.bus.subscribe((e) => {
      if (e.type === 'run.output' && (e.data as { runId: string }).runId === run.id) chunks.push((e.data as { chunk: string }).chunk);
    });
    const step = await runStep(t, run, book.ids[0]!);
    off();
    expect(step).toMatchObject({ state: 'succeeded', exitCode: 0, risk: 'read', attempt: 1, outputExcerpt: 'PONG\n', outputBytes: 5 });
    expect(step.durationMs).toBeGreaterThanOrEqual(0);
    expect(chunks.join('')).toBe('PONG\n');
    await until('the run to succeed', async () => ((await getRun(t, run.id)).status === 'succeeded' ? true : undefined));
  });

  it('passes parameter values as data: $(…) and ; in a value are printed, never run', async () => {
    const marker = tmpFile('pwned');
    const book = await runbookWith(t, [{ text: 'echo <value>' }]);
    const value = `$(touch ${marker}); touch ${marker}; \`touch ${marker}\``;
    const run = await startRun(t, book.slug, book.procedure, { parameters: { VALUE: value } });
    const step = await runStep(t, run, book.ids[0]!);
    expect(step.state).toBe('succeeded');
    expect(step.outputExcerpt).toBe(`${value}\n`);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('feeds a variable captured by one command to a later one, and keeps secret-looking ones sealed', async () => {
    const book = await runbookWith(t, [
      { text: 'BLUE_IP=$(echo 10.0.0.7) && API_TOKEN=$(echo tok-abcdef-123456)' },
      { text: 'echo "blue=$BLUE_IP token=$API_TOKEN"' },
    ]);
    const run = await startRun(t, book.slug, book.procedure);
    expect((await runStep(t, run, book.ids[0]!)).state).toBe('succeeded');
    const second = await runStep(t, run, book.ids[1]!);
    expect(second.outputExcerpt).toBe('blue=10.0.0.7 token=[redacted]\n');
    expect((await getRun(t, run.id)).variables).toEqual({ BLUE_IP: '10.0.0.7', API_TOKEN: '[secret]' });
  });

  it('times out a command at its annotation: timed-out, and its processes are gone', async () => {
    const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
    const book = await runbookWith(t, [{ text: `(exec -a ${marker} sleep 30) & echo started; wait`, annotation: 'timeout=1s' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const step = await runStep(t, run, book.ids[0]!);
    expect(step).toMatchObject({ state: 'timed-out', exitCode: null, timeoutSeconds: 1, outputExcerpt: 'started\n' });
    expect(step.error).toContain('1 s timeout');
    expect(step.durationMs).toBeLessThan(4000);
    expect(markedProcesses(marker)).toEqual([]);
  });

  it('stops a follow-style command at its timeout, with what it printed, as a success', async () => {
    const book = await runbookWith(t, [{ text: 'tail -n 1 -f /etc/hostname', annotation: 'timeout=1s' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const step = await runStep(t, run, book.ids[0]!);
    expect(step.state).toBe('succeeded');
    expect(step.outputExcerpt).toBe(`${fs.readFileSync('/etc/hostname', 'utf8').trim()}\n\n[nexus] stopped at its 1 s timeout, as a follow-style command does\n`);
  });

  it('cancels a running command by killing its whole process group', async () => {
    const marker = `nexus-marker-${randomBytes(6).toString('hex')}`;
    const book = await runbookWith(t, [{ text: `(exec -a ${marker} sleep 300) & (sleep 300 & (exec -a ${marker} sleep 300) & wait) & echo started; wait` }]);
    const run = await startRun(t, book.slug, book.procedure);
    const commandId = book.ids[0]!;
    const finished = stepEvent(t, run.id, commandId);
    await api(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${commandId}/run`);
    const pids = await until('two marked processes', () => {
      const found = markedProcesses(marker);
      return found.length === 2 ? found : undefined;
    });
    expect(pids.every(alive)).toBe(true);
    const cancel = await api<{ steps: RunStep[] }>(t, 'responder', 'POST', `/api/v1/runs/${run.id}/steps/${commandId}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.steps[0]).toMatchObject({ state: 'running', cancelRequested: true });
    const event = await finished;
    expect(event.state).toBe('cancelled');
    expect(pids.filter(alive)).toEqual([]);
    // The run's status follows the step's event; a cancelled command fails the run.
    await until('the run to fail', async () => ((await getRun(t, run.id)).status === 'failed' ? true : undefined));
  });

  it('bounds stored output, keeping head and tail around a marker, and counts every byte', async () => {
    const book = await runbookWith(t, [{ text: 'seq 1 20000' }]);
    const run = await startRun(t, book.slug, book.procedure);
    const step = await runStep(t, run, book.ids[0]!);
    const total = Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join('');
    expect(step).toMatchObject({ state: 'succeeded', outputBytes: total.length, outputTruncated: true });
    const out = await api<{ output: string; bytes: number; truncated: boolean }>(t, 'viewer', 'GET', `/api/v1/runs/${run.id}/steps/${book.ids[0]}/output`);
    expect(out.body.bytes).toBe(total.length);
    expect(out.body.output.startsWith(total.slice(0, 2048))).toBe(true);
    expect(out.body.output.endsWith(total.slice(-2048))).toBe(true);
    expect(out.body.output).toContain(`\n… [${total.length - 4096} bytes truncated] …\n`);
  });
});
