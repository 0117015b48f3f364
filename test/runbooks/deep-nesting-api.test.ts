import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LintReport } from '../../src/runbooks/lint/index.js';
import { MAX_NESTING } from '../../src/runbooks/parser/index.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';

/** Deeply nested Markdown over HTTP: a fast 400 (import) or parse-error finding (lint), never a 500 or a blocked server. */

const TOO_DEEP = `Markdown nested deeper than ${MAX_NESTING} levels of block quotes and list items: flatten it`;

describe('deeply nested runbooks over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { start: { builtinRunbooksDir: null } });
    // Imports parse in a worker thread: start it first, as a serving NEXUS does after listen.
    await t.server.analysis.parse('# Warm\n');
  });
  afterAll(async () => t?.close());

  const post = (url: string, source: string) =>
    t.inject({ method: 'POST', url, headers: bearer(t.tokens.operator), payload: { source } });

  it('POST /api/v1/runbooks answers 8,000 nested quotes and 4,000 nested list items with a fast 400 naming the line', async () => {
    for (const source of ['# T\n' + '> '.repeat(8000) + 'x', '# T\n' + '- '.repeat(4000) + 'x']) {
      const started = performance.now();
      const res = await post('/api/v1/runbooks', source);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(res.statusCode).toBe(400);
      expect(json(res)).toEqual({
        error: { code: 'invalid_input', message: `The runbook cannot be imported: line 2: ${TOO_DEEP}`, details: { line: 2 } },
      });
    }
  });

  it('POST /api/v1/runbooks/lint reports it as a parse-error finding on its line', async () => {
    const res = await post('/api/v1/runbooks/lint', '# T\n' + '- '.repeat(2000) + 'x');
    expect(res.statusCode).toBe(200);
    expect(json<LintReport>(res).findings).toEqual([{ rule: 'parse-error', severity: 'error', line: 2, message: TOO_DEEP, hint: expect.any(String) }]);
  });

  it('still imports a runbook nested ten levels deep', async () => {
    const nested = Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');
    const res = await post('/api/v1/runbooks', `# Ten levels\n\n### P\n\n1. **Look**\n\n${nested}\n\n${'> '.repeat(10)}quoted\n`);
    expect(res.statusCode).toBe(201);
  });
});
