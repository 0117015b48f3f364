import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, TimelineEvent } from '../../src/incidents/index.js';
import type { Run } from '../../src/runbooks/runs/schema.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { addRunbook, runbookMarkdown, runStep } from '../runs/support.js';
import { call, openIncident, timeline } from './support.js';

describe.each(ENGINES)('runs and post-mortems of an incident on %s', (engine) => {
  let t: TestApp;
  let incident: Incident;
  let run: Run;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const rb = await addRunbook(t, runbookMarkdown('Echo', [{ text: 'echo incident-output' }, { text: 'sh -c "exit 3"' }]));
    incident = await openIncident(t, { severity: 'P2', title: 'Checkout errors', runbook: { slug: rb.slug, procedureId: rb.parsed.procedures[0]!.id } });
  });
  afterAll(async () => t?.close());

  it('starts a run of the attached procedure linked to the incident; its steps land on the timeline with exit codes', async () => {
    const res = await call<Run>(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/runs`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    run = res.body;
    expect(run.incidentId).toBe(incident.id);
    expect(run.procedureId).toBe(incident.runbook!.procedureId);
    const [ok, bad] = run.steps;
    expect((await runStep(t, run, ok!.commandId)).exitCode).toBe(0);
    expect((await runStep(t, run, bad!.commandId)).exitCode).toBe(3);
    await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/notes`, { text: 'rolled back' });

    const events = await timeline(t, incident.id);
    expect(events.map((e) => e.kind)).toEqual(['state', 'run.created', 'run.step', 'run.step', 'note']);
    const steps = events.filter((e) => e.kind === 'run.step');
    expect(steps.map((e) => [e.data.command, e.data.state, e.data.exitCode, e.actor])).toEqual([
      ['echo incident-output', 'succeeded', 0, expect.stringMatching(/^runner:/)],
      ['sh -c "exit 3"', 'failed', 3, expect.stringMatching(/^runner:/)],
    ]);
    expect(steps[0]!.data.outputExcerpt).toContain('incident-output');
    expect(typeof steps[0]!.data.durationMs).toBe('number');
    // Ordered by seq, which never goes backwards.
    const seqs = events.map((e: TimelineEvent) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('hearing the same run event twice records it once (every replica hears every event)', async () => {
    const before = (await timeline(t, incident.id)).length;
    t.server.bus.publish('run.created', { runId: run.id, incidentId: incident.id, procedureTitle: 'Echo', actor: 'someone' });
    expect((await timeline(t, incident.id)).length).toBe(before);
  });

  it('drafts a post-mortem with the seed sections, the SLA figures and the commands with exit codes', async () => {
    await call(t, 'responder', 'POST', `/api/v1/incidents/${incident.id}/resolve`);
    const res = await call<{ version: number; generated: boolean; markdown: string }>(t, 'viewer', 'GET', `/api/v1/incidents/${incident.id}/postmortem`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 0, generated: true });
    const md = res.body.markdown;
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Post-mortem: Checkout errors',
      '## Summary',
      '## Impact window',
      '## SLA',
      '## Timeline',
      '## Commands run',
      '## Root cause',
      '## Resolution steps',
      '## Monitoring to update',
      '## Follow-ups',
    ]);
    expect(md).toMatch(/\| Time to acknowledge \| 30 min \| [\d.]+ min \| met \|/);
    expect(md).toMatch(/\| Time to resolve \| 120 min \| [\d.]+ min \| met \|/);
    expect(md).toMatch(/\| `echo incident-output` \| succeeded \| 0 \| \d+ ms \|/);
    expect(md).toMatch(/\| `sh -c "exit 3"` \| failed \| 3 \| \d+ ms \|/);
    expect(md).toContain('- [ ] Review alert thresholds');
    expect(md).toContain('- [ ] Schedule post-mortem');
    expect(md).toContain('rolled back');
  });

  it('edits are versioned; a stale base version is refused; the latest downloads as Markdown', async () => {
    const url = `/api/v1/incidents/${incident.id}/postmortem`;
    const v1 = await call<{ version: number }>(t, 'responder', 'PUT', url, { markdown: '# PM\n\nv1', baseVersion: 0 });
    expect(v1.status, JSON.stringify(v1.body)).toBe(200);
    expect(v1.body.version).toBe(1);
    const stale = await call<{ error: { code: string; message: string } }>(t, 'responder', 'PUT', url, { markdown: '# PM\n\nlost', baseVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('The post-mortem is at version 1, not 0: reload and edit again');
    const v2 = await call<{ version: number; editedBy: string }>(t, 'operator', 'PUT', url, { markdown: '# PM\n\nv2', baseVersion: 1 });
    expect(v2.body).toMatchObject({ version: 2, editedBy: 'operator-user' });
    const download = await t.inject({ method: 'GET', url: `${url}.md`, headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="postmortem-${incident.id}-v2.md"`);
    expect(download.body).toBe('# PM\n\nv2');
    expect((await call(t, 'viewer', 'PUT', url, { markdown: 'x', baseVersion: 2 })).status).toBe(403);
  });

  it('naming a procedure that does not exist is a 404, not a silent fallback', async () => {
    const none = await openIncident(t, { runbook: { slug: 'nexus-platform', procedureId: 'no-such-procedure' } }).catch((e: Error) => e);
    expect(String(none)).toContain('404');
  });
});
