import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandsOf } from '../../src/runbooks/model.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { addRunbook, api, runStep } from './support.js';

/*
 * Issue 14 point 1 through the API and the real local runner: a responder
 * runs an imported read command `[[ <count> -gt 5 ]] && echo high` with
 * COUNT='a[$(id > /tmp/x)]'. Before the fix, bash ran `id`.
 */

const marker = path.join(os.tmpdir(), `nexus-count-${randomBytes(6).toString('hex')}`);
const ATTACK = `a[$(id > ${marker})]`;

function markdown(frontMatter: string, command: string): string {
  return `${frontMatter}# Count runbook\n\n## Procedures\n\n### Check\n\n#### Steps\n\n1. **Compare**\n   \`\`\`bash\n   ${command}\n   \`\`\`\n`;
}

type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };

describe('parameters are data, always (API and local runner)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    fs.rmSync(marker, { force: true });
    await t?.close();
  });

  it('a free-text parameter in [[ -gt ]]: lint says error, and the run cannot be created (422); id never runs', async () => {
    const source = markdown('', '[[ <count> -gt 5 ]] && echo high');
    const lint = await api<{ findings: Array<{ rule: string; severity: string; message: string }> }>(t, 'viewer', 'POST', '/api/v1/runbooks/lint', { source });
    expect(lint.body.findings).toContainEqual(expect.objectContaining({ rule: 'param-evaluated-as-code', severity: 'error', message: expect.stringContaining('COUNT') }));

    const book = await addRunbook(t, source);
    const before = await t.server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM runs');
    const refused = await api<ErrorBody>(t, 'responder', 'POST', '/api/v1/runs', { runbook: book.slug, procedure: book.parsed.procedures[0]!.id, parameters: { COUNT: ATTACK } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('unsafe_command');
    expect(refused.body.error.message).toContain('parameter COUNT (text) is used in [[ … -gt … ]]');
    expect(refused.body.error.details.commands).toEqual([expect.objectContaining({ parameter: 'COUNT', context: '[[ … -gt … ]]' })]);
    expect(await t.server.db.query('SELECT count(*)::int AS n FROM runs')).toEqual(before);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('typed integer: the attack value is a 400 naming the parameter and the rule; a real count runs', async () => {
    const book = await addRunbook(t, markdown('---\nparameters:\n  - name: count\n    type: integer\n---\n\n', '[[ <count> -gt 5 ]] && echo high || echo low'));
    const procedure = book.parsed.procedures[0]!.id;
    const refused = await api<ErrorBody>(t, 'responder', 'POST', '/api/v1/runs', { runbook: book.slug, procedure, parameters: { COUNT: ATTACK } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('invalid value: COUNT must be an integer (-?[0-9]{1,18})');
    expect(refused.body.error.details.invalid).toEqual([{ name: 'COUNT', rule: 'COUNT must be an integer (-?[0-9]{1,18})' }]);

    const created = await api<Run>(t, 'responder', 'POST', '/api/v1/runs', { runbook: book.slug, procedure, parameters: { COUNT: '7' } });
    expect(created.status).toBe(201);
    const id = commandsOf(book.parsed.procedures[0]!)[0]!.command.id;
    expect(await runStep(t, created.body, id)).toMatchObject({ state: 'succeeded', outputExcerpt: 'high\n' });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('at request time, any value a command would evaluate as code must be an integer: an older run, and a captured variable', async () => {
    // A run created before parameter types existed: its stored value never went through the new checks.
    const typed = await addRunbook(t, markdown('---\nparameters:\n  - name: count\n    type: integer\n---\n\n', '[[ <count> -gt 5 ]] && echo high'));
    const old = await api<Run>(t, 'responder', 'POST', '/api/v1/runs', { runbook: typed.slug, procedure: typed.parsed.procedures[0]!.id, parameters: { COUNT: '1' } });
    await t.server.db.query(`UPDATE runs SET parameters = $1::jsonb WHERE id = $2`, [JSON.stringify({ COUNT: ATTACK }), old.body.id]);
    const id = commandsOf(typed.parsed.procedures[0]!)[0]!.command.id;
    const refused = await api<ErrorBody>(t, 'responder', 'POST', `/api/v1/runs/${old.body.id}/steps/${id}/run`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('the value of COUNT is not an integer, and the command uses it in [[ … -gt … ]]');

    // A value an earlier command captured (command output is not a typed parameter): refused when the step is requested.
    const captured = await addRunbook(t, markdown('', `N=$(printf '%s' 'a[$(id > ${marker})]')\n   (( N > 5 )) && echo high`));
    const [capture, compare] = commandsOf(captured.parsed.procedures[0]!).map((c) => c.command.id) as [string, string];
    const run = await api<Run>(t, 'responder', 'POST', '/api/v1/runs', { runbook: captured.slug, procedure: captured.parsed.procedures[0]!.id });
    expect(run.status).toBe(201);
    expect(await runStep(t, run.body, capture)).toMatchObject({ state: 'succeeded' });
    const second = await api<ErrorBody>(t, 'responder', 'POST', `/api/v1/runs/${run.body.id}/steps/${compare}/run`);
    expect(second.status).toBe(422);
    expect(second.body.error.message).toContain('the value of N is not an integer, and the command uses it in (( … ))');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('the same value as a plain argument is accepted and printed, not run', async () => {
    const book = await addRunbook(t, markdown('', 'echo count=<count>'));
    const created = await api<Run>(t, 'responder', 'POST', '/api/v1/runs', { runbook: book.slug, procedure: book.parsed.procedures[0]!.id, parameters: { COUNT: ATTACK } });
    expect(created.status).toBe(201);
    const id = commandsOf(book.parsed.procedures[0]!)[0]!.command.id;
    expect(await runStep(t, created.body, id)).toMatchObject({ state: 'succeeded', outputExcerpt: `count=${ATTACK}\n` });
    expect(fs.existsSync(marker)).toBe(false);
  });
});
