import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LintReport } from '../../src/runbooks/lint/index.js';
import { bearer, createTestApp, type TestApp } from '../support/app.js';

/**
 * Issue 14, defect 6: a viewer's 500 KB runbook to POST /api/v1/runbooks/lint
 * kept the event loop busy 23 s (`/health` answered after 18.9 s); import
 * behaved the same. Parsing and linting now run in a worker thread with a
 * time limit (NEXUS_RUNBOOK_ANALYSIS_TIMEOUT_SECONDS), so the server answers
 * meanwhile and the runbook gets a 422.
 */

/** 500 KB of unclosed code spans: the Markdown parser's time grows faster than the text (seconds of CPU here). */
const PATHOLOGICAL = `# Slow\n\n### Slow\n\n${'`a'.repeat(250_000)}\n`;
const SMALL = '# Small\n\n### Small\n\n1. **Look**\n\n   ```bash\n   uptime\n   ```\n';

describe('parsing and linting off the event loop', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { env: { NEXUS_RUNBOOK_ANALYSIS_TIMEOUT_SECONDS: '1' }, start: { listen: true, builtinRunbooksDir: null } });
  });
  afterAll(async () => t?.close());

  const post = (path: string, token: string, source: string) =>
    fetch(`${t.server.url}${path}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ source }) });

  /** Asks /health over and over until `work` settles; every answer's status and latency. */
  async function healthDuring<T>(work: Promise<T>): Promise<{ result: T; answers: Array<{ status: number; ms: number }> }> {
    let settled = false;
    const tracked = work.finally(() => (settled = true));
    const answers: Array<{ status: number; ms: number }> = [];
    while (!settled) {
      const started = performance.now();
      const res = await fetch(`${t.server.url}/health`);
      await res.arrayBuffer();
      answers.push({ status: res.status, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { result: await tracked, answers };
  }

  const summary = (answers: Array<{ ms: number }>) => {
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    return `${ms.length} answers, median ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms`;
  };

  it("a viewer's pathological lint gets a 422 naming the limit, and /health answers all the while", async () => {
    // A thread warm first, as on a serving NEXUS (server.ts warms it after listen).
    expect((await post('/api/v1/runbooks/lint', t.tokens.viewer, SMALL)).status).toBe(200);

    const { result: res, answers } = await healthDuring(post('/api/v1/runbooks/lint', t.tokens.viewer, PATHOLOGICAL));
    console.log(`/health during the pathological lint: ${summary(answers)}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: { code: 'runbook_too_complex', message: 'The runbook is too complex to lint in 1 s: split it into smaller runbooks', details: { limitSeconds: 1 } },
    });
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.status === 200)).toBe(true);
  });

  it("one viewer's flood of lints is refused past a few (429) instead of queueing everyone's lints behind it", async () => {
    const flood = Array.from({ length: 6 }, () => post('/api/v1/runbooks/lint', t.tokens.viewer, PATHOLOGICAL));
    const other = await post('/api/v1/runbooks/lint', t.tokens.responder, SMALL);
    expect(other.status).toBe(200);
    const answers = await Promise.all(flood);
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([422, 422, 429, 429, 429, 429]);
    const refused = (await answers.find((res) => res.status === 429)!.json()) as { error: { code: string; details: { limit: number } } };
    expect(refused.error).toMatchObject({ code: 'limit_reached', details: { limit: 2 } });
  });

  it("an operator's pathological import gets the same 422, stores nothing, and /health answers all the while", async () => {
    const { result: res, answers } = await healthDuring(post('/api/v1/runbooks', t.tokens.operator, PATHOLOGICAL));
    console.log(`/health during the pathological import: ${summary(answers)}`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('The runbook is too complex to parse in 1 s: split it into smaller runbooks');
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const list = await t.inject({ method: 'GET', url: '/api/v1/runbooks', headers: bearer(t.tokens.viewer) });
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
  });

  it('lints and imports ordinary runbooks after a thread was stopped, parse errors still on their line', async () => {
    const lint = await post('/api/v1/runbooks/lint', t.tokens.viewer, SMALL);
    expect(lint.status).toBe(200);
    expect(((await lint.json()) as LintReport).summary).toEqual({ errors: 0, warnings: 0, infos: 0 });
    const imported = await post('/api/v1/runbooks', t.tokens.operator, SMALL);
    expect(imported.status).toBe(201);
    const refused = await post('/api/v1/runbooks', t.tokens.operator, '# T\n\n### P\n\n1. **x**\n\n   <!-- nexus: timout=5s -->\n   ```bash\n   ls\n   ```\n');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { details: unknown } }).error.details).toEqual({ line: 7 });
  });
});
