import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { Incident } from '../../src/incidents/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { openIncident } from '../incidents/support.js';

const BIN = path.resolve('bin/nexus');
let t: TestApp;

function nexus(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1' }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  t = await createTestApp('pglite', { start: { listen: true } });
});
afterAll(async () => t?.close());

describe('nexus incident', () => {
  it('list, ack, note, resolve, show and postmortem, with --json', async () => {
    const incident = await openIncident(t, { severity: 'P3', title: 'Slow checkout' });
    const list = await nexus(['incident', 'list', '--severity', 'P3', '--json'], t.tokens.viewer);
    expect(list).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect((JSON.parse(list.stdout) as { items: Incident[] }).items.map((i) => i.id)).toEqual([incident.id]);
    const table = await nexus(['incident', 'list'], t.tokens.viewer);
    expect(table.stdout).toContain(`${incident.id}  P3   triggered  Slow checkout`);

    const ack = await nexus(['incident', 'ack', incident.id], t.tokens.responder);
    expect(ack).toMatchObject({ code: EXIT.ok, stdout: `Incident ${incident.id} is acknowledged\n` });
    expect((await nexus(['incident', 'note', incident.id, 'cache cold', '--json'], t.tokens.responder)).code).toBe(EXIT.ok);
    const resolved = await nexus(['incident', 'resolve', incident.id, '--json'], t.tokens.responder);
    expect((JSON.parse(resolved.stdout) as Incident).state).toBe('resolved');

    const again = await nexus(['incident', 'ack', incident.id], t.tokens.responder);
    expect(again.code).toBe(EXIT.conflict);
    expect(again.stderr).toContain('Cannot acknowledge an incident that is resolved');

    const show = await nexus(['incident', 'show', incident.id, '--json'], t.tokens.viewer);
    const shown = JSON.parse(show.stdout) as Incident & { timeline: Array<{ kind: string; summary: string }> };
    expect(shown.timeline.map((e) => e.kind)).toEqual(['state', 'state', 'note', 'state']);
    expect(shown.timeline[2]!.summary).toBe('cache cold');

    const pm = await nexus(['incident', 'postmortem', incident.id], t.tokens.viewer);
    expect(pm.code).toBe(EXIT.ok);
    expect(pm.stdout.split('\n')[0]).toBe('# Post-mortem: Slow checkout');
    expect(pm.stdout).toContain('## Follow-ups');
    expect((await nexus(['incident', 'ack', incident.id], t.tokens.viewer)).code).toBe(EXIT.unauthorized);
    expect((await nexus(['incident', 'show', 'not-an-id'], t.tokens.viewer)).code).toBe(EXIT.usage);
  });
});
