import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/output.js';
import type { IncidentDetail } from '../../src/incidents/index.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { type CliResult, cliEnv, runNexus } from '../support/cli.js';
import { openIncident } from '../incidents/support.js';
import { act, SERVICE, startVersion, TestNginx, until, type ServiceVersion } from '../deployments/support.js';

/** Held at 25 % until promoted, so the incident opens while the canary is in progress. */
const HELD_STEPS = [{ kind: 'setWeight', weight: 25 }, { kind: 'pause' }, { kind: 'setWeight', weight: 100 }];

let t: TestApp;
let nginx: TestNginx;
let v1: ServiceVersion;
let v2: ServiceVersion;

function nexus(args: string[], token: string): Promise<CliResult> {
  return runNexus(args, cliEnv(t, token), 20_000);
}

beforeAll(async () => {
  v1 = await startVersion('v1');
  v2 = await startVersion('v2');
  nginx = await TestNginx.start(v1);
  t = await createTestApp('pglite', { start: { listen: true }, env: { ...nginx.env, NEXUS_DEPLOY_TICK_MS: '100' } });
});
afterAll(async () => {
  await t?.close();
  await nginx?.stop();
  await v1?.close();
  await v2?.close();
});

describe('nexus incident show with the service changes around the incident', () => {
  it('prints the deployment in progress with how to stop it, and --json carries the same changes as the API', async () => {
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: bearer(t.tokens.operator),
      payload: { service: SERVICE, version: 'v2', upstream: v2.address, stable: { version: 'v1', upstream: v1.address }, steps: HELD_STEPS },
    });
    expect(created.statusCode, created.body).toBe(201);
    const deploymentId = json<{ id: string }>(created).id;
    await until(t, deploymentId, (d) => d.state === 'paused' && d.canaryWeight === 25);
    const incident = await openIncident(t, { severity: 'P2', title: 'Checkout 5xx', service: SERVICE });
    const unrelated = await openIncident(t, { severity: 'P3', title: 'Disk filling', service: 'billing' });

    const shown = await nexus(['incident', 'show', incident.id], t.tokens.viewer);
    expect(shown).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(shown.stdout).toContain(
      `  change [deploying] web v2 reached 25 % canary less than a minute before this incident opened (stable v1; deployment ${deploymentId})\n` +
        `    stop it: nexus deploy abort ${deploymentId} (or rollback)\n`,
    );

    const asJson = await nexus(['incident', 'show', incident.id, '--json'], t.tokens.viewer);
    const parsed = JSON.parse(asJson.stdout) as IncidentDetail;
    const api = json<IncidentDetail>(await t.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}`, headers: bearer(t.tokens.viewer) }));
    expect(parsed.changes).toEqual(api.changes);
    expect(parsed.changes).toEqual([expect.objectContaining({ deploymentId, version: 'v2', stableVersion: 'v1', state: 'paused', weight: 25, inProgress: true })]);

    // Another service's incident has no changes: no change line.
    const other = await nexus(['incident', 'show', unrelated.id], t.tokens.viewer);
    expect(other.stdout).not.toContain('change ');
    expect((JSON.parse((await nexus(['incident', 'show', unrelated.id, '--json'], t.tokens.viewer)).stdout) as IncidentDetail).changes).toEqual([]);

    // Once aborted: the state instead of "deploying", and nothing left to stop.
    await act(t, deploymentId, 'abort');
    await until(t, deploymentId, (d) => d.state === 'aborted');
    await t.server.incidents.changes.idle();
    const after = await nexus(['incident', 'show', incident.id], t.tokens.viewer);
    expect(after.stdout).toMatch(new RegExp(`  change \\[aborted\\] web v2 aborted at 0 % canary .* \\(stable v1; deployment ${deploymentId}\\)\\n`));
    expect(after.stdout).not.toContain('stop it:');
  });
});
