import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/index.js';
import { EXIT } from '../../src/cli/output.js';
import type { Incident } from '../../src/incidents/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { get } from './support.js';

const BIN = path.resolve('bin/nexus');
let t: TestApp;

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
const nexus = (args: string[], token: string) => run(BIN, args, { NEXUS_URL: t.server.url, NEXUS_TOKEN: token });

describe('the shipped Prometheus and Alertmanager files', () => {
  it('promtool accepts deploy/prometheus/rules.yml with every seed symptom alert', async () => {
    const res = await run('promtool', ['check', 'rules', 'deploy/prometheus/rules.yml']);
    expect(res.stdout + res.stderr).toContain('SUCCESS: 7 rules found');
    expect(res.code).toBe(0);
  });

  it('amtool accepts deploy/prometheus/alertmanager.yml', async () => {
    const res = await run('amtool', ['check-config', 'deploy/prometheus/alertmanager.yml']);
    expect(res.code).toBe(0);
  });
});

describe('nexus alert', () => {
  beforeAll(async () => {
    t = await createTestApp('pglite', { start: { listen: true } });
  });
  afterAll(async () => t?.close());

  it('send opens an incident through routing, --resolved resolves it, list shows the alert', async () => {
    const sent = await nexus(['alert', 'send', '--label', 'alertname=NexusHighErrorRate', '--label', 'job=cli', '--annotation', 'summary=errors at 7%', '--json'], t.tokens.responder);
    expect(sent).toMatchObject({ code: EXIT.ok, stderr: '' });
    const outcome = JSON.parse(sent.stdout) as { received: number; firing: number; incidents: string[] };
    expect(outcome).toMatchObject({ received: 1, firing: 1 });
    const incident = await get<Incident>(t, `/api/v1/incidents/${outcome.incidents[0]}`);
    expect(incident).toMatchObject({ severity: 'P2', runbook: { procedureId: 'p2-high-error-rate' } });

    const resolved = await nexus(['alert', 'send', '--label', 'job=cli', '--label', 'alertname=NexusHighErrorRate', '--resolved'], t.tokens.responder);
    expect(resolved).toMatchObject({ code: EXIT.ok, stdout: `Sent resolved alert\nResolved incident ${incident.id}: ${incident.title}\n` });
    expect((await get<Incident>(t, `/api/v1/incidents/${incident.id}`)).state).toBe('resolved');

    const list = await nexus(['alert', 'list', '--json'], t.tokens.viewer);
    const items = (JSON.parse(list.stdout) as { items: Alert[] }).items;
    expect(items.map((a) => [a.labels.alertname, a.status, a.count, a.annotations.summary])).toEqual([['NexusHighErrorRate', 'resolved', 2, undefined]]);
    const table = await nexus(['alert', 'list'], t.tokens.viewer);
    expect(table.stdout).toMatch(/P2\s+resolved\s+NexusHighErrorRate\s+2/);
  });

  it('refuses bad input with a usage error and a viewer with an auth error', async () => {
    expect((await nexus(['alert', 'send'], t.tokens.responder)).code).toBe(EXIT.usage);
    expect((await nexus(['alert', 'send', '--label', 'no-equals'], t.tokens.responder)).code).toBe(EXIT.usage);
    expect((await nexus(['alert', 'send', '--label', 'alertname=X'], t.tokens.viewer)).code).toBe(EXIT.unauthorized);
  });
});
