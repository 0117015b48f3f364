import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/index.js';
import type { Run } from '../../src/runbooks/runs/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { addRunbook, runbookMarkdown, runStep } from '../runs/support.js';
import { call, openIncident } from './support.js';

describe.each(ENGINES)('secret parameters of a run started from an incident on %s', (engine) => {
  let t: TestApp;
  let incident: Incident;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const rb = await addRunbook(t, runbookMarkdown('Rotate', [{ text: 'test "$API_KEY" = "$EXPECTED" && echo key-matched in <region>' }]));
    incident = await openIncident(t, { severity: 'P2', title: 'Key leaked', runbook: { slug: rb.slug, procedureId: rb.parsed.procedures[0]!.id } });
  });
  afterAll(async () => t?.close());

  it('seals a parameter marked secret as POST /api/v1/runs does: never stored, shown or audited, yet the command gets it', async () => {
    const secret = `key-${randomBytes(12).toString('hex')}`;
    const res = await call<Run>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/runs`, {
      parameters: { API_KEY: secret, EXPECTED: secret, REGION: 'eu-1' },
      secretParameters: ['API_KEY', 'EXPECTED'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ incidentId: incident.id, parameters: { API_KEY: '[secret]', EXPECTED: '[secret]', REGION: 'eu-1' } });

    const stored = await t.server.db.query(`SELECT r.parameters::text AS p, (SELECT string_agg(sealed, ',') FROM run_secrets WHERE run_id = r.id) AS s FROM runs r WHERE id = $1`, [
      res.body.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const audit = await t.server.db.query<{ details: { secretParameters?: string[] } }>(`SELECT details FROM audit_log WHERE action = 'incident.run_create' AND target = $1`, [incident.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details.secretParameters).toEqual(['API_KEY', 'EXPECTED']);
    expect(JSON.stringify(audit)).not.toContain(secret);

    const step = await runStep(t, res.body, res.body.steps[0]!.commandId);
    expect(step).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(step.outputExcerpt).toContain('key-matched in eu-1');
  });

  it('refuses to mark secret a parameter the run was not given, as POST /api/v1/runs does', async () => {
    const res = await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/runs`, {
      parameters: { API_KEY: 'a', EXPECTED: 'a', REGION: 'eu-1' },
      secretParameters: ['NOT_A_PARAMETER'],
    });
    expect(res.status).toBe(400);
  });
});
