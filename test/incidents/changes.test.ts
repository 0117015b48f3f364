import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IncidentDetail, TimelineEvent } from '../../src/incidents/index.js';
import { bearer, json } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { act, SERVICE, until, useDeploymentStage } from '../deployments/support.js';

/** Each weight held until promoted, so an incident can open while the canary sits at 25 %. */
const HELD_STEPS = [{ kind: 'setWeight', weight: 25 }, { kind: 'pause' }, { kind: 'setWeight', weight: 50 }, { kind: 'pause' }, { kind: 'setWeight', weight: 100 }];
const MINUTE = 60_000;

describe.each(ENGINES)('change events on incidents on %s', (engine) => {
  const stage = useDeploymentStage(engine);

  const openIncident = async (service: string | undefined, title = 'Checkout 5xx rate above 5 %') => {
    const res = await stage.t.inject({ method: 'POST', url: '/api/v1/incidents', headers: bearer(stage.t.tokens.responder), payload: { title, severity: 'P2', service } });
    expect(res.statusCode, res.body).toBe(201);
    await stage.t.server.incidents.changes.idle();
    return json<{ id: string }>(res).id;
  };
  const detail = async (id: string) => json<IncidentDetail>(await stage.t.inject({ method: 'GET', url: `/api/v1/incidents/${id}`, headers: bearer(stage.t.tokens.viewer) }));
  const changeEvents = async (id: string) => {
    await stage.t.server.incidents.changes.idle();
    const res = await stage.t.inject({ method: 'GET', url: `/api/v1/incidents/${id}/timeline?limit=200`, headers: bearer(stage.t.tokens.viewer) });
    return json<{ items: TimelineEvent[] }>(res).items.filter((e) => e.kind === 'change.deployment');
  };

  it('an incident opened during a canary shows it on its timeline and in its view; later steps follow; the abort ends it', async () => {
    const created = await stage.t.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: bearer(stage.t.tokens.operator),
      payload: { service: SERVICE, version: 'v2', upstream: stage.v2.address, stable: { version: 'v1', upstream: stage.v1.address }, steps: HELD_STEPS },
    });
    expect(created.statusCode, created.body).toBe(201);
    const deploymentId = json<{ id: string }>(created).id;
    await until(stage.t, deploymentId, (d) => d.state === 'paused' && d.canaryWeight === 25);

    const incidentId = await openIncident(SERVICE);
    const opened = await changeEvents(incidentId);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.summary).toMatch(/^web v2 reached 25 % canary less than a minute before this incident opened \(paused\)$/);
    expect(opened[0]!.data).toMatchObject({ deploymentId, version: 'v2', weight: 25, inProgress: true });

    const view = await detail(incidentId);
    expect(view.changes).toEqual([expect.objectContaining({ deploymentId, version: 'v2', stableVersion: 'v1', strategy: 'canary', state: 'paused', weight: 25, inProgress: true, finishedAt: null })]);

    // A person promotes during the incident: the steps land on its timeline.
    await act(stage.t, deploymentId, 'promote');
    await until(stage.t, deploymentId, (d) => d.state === 'paused' && d.canaryWeight === 50);
    const during = (await changeEvents(incidentId)).slice(1);
    expect(during.map((e) => e.summary)).toEqual(expect.arrayContaining([expect.stringMatching(/^web v2: Step 1 \(pause\) promoted by /), expect.stringMatching(/^web v2: Traffic: .*50 %/)]));

    // The one-click abort is the deployments API the console calls.
    await act(stage.t, deploymentId, 'abort');
    await until(stage.t, deploymentId, (d) => d.state === 'aborted');
    await stage.t.server.incidents.changes.idle();
    const after = await detail(incidentId);
    expect(after.changes).toEqual([expect.objectContaining({ deploymentId, state: 'aborted', weight: 0, inProgress: false })]);
    expect((await changeEvents(incidentId)).at(-1)!.data).toMatchObject({ state: 'aborted', inProgress: false });

    // Heard twice (another replica, a replay): nothing more on the timeline, nothing changed.
    const count = (await changeEvents(incidentId)).length;
    const again = (await stage.t.inject({ method: 'GET', url: `/api/v1/deployments/${deploymentId}`, headers: bearer(stage.t.tokens.viewer) })).json() as { timeline: Array<{ kind: string }> };
    const last = again.timeline.at(-1)!;
    stage.t.server.bus.publish(`deployment.${last.kind}`, { deploymentId, service: SERVICE, version: 'v2', stableVersion: 'v1', state: 'aborted', canaryWeight: 0, event: last });
    expect(await changeEvents(incidentId)).toHaveLength(count);
    expect((await detail(incidentId)).changes[0]).toMatchObject({ state: 'aborted', inProgress: false });
  });

  it('counts a deployment finished within 30 minutes before the incident, not one finished earlier, nor another service’s', async () => {
    const service = `svc-${randomUUID().slice(0, 8)}`;
    const finished = (version: string, minutesAgo: number, seq: number, svc = service) => {
      const at = new Date(Date.now() - minutesAgo * MINUTE).toISOString();
      stage.t.server.bus.publish('deployment.succeeded', {
        deploymentId: randomUUID(),
        service: svc,
        version,
        stableVersion: 'v0',
        state: 'succeeded',
        canaryWeight: 100,
        event: { seq, at, kind: 'succeeded', actor: 'deployments-controller', summary: `${version} promoted: 100 % of ${svc}`, data: {} },
      });
    };
    finished('v-old', 31, 1);
    finished('v-recent', 12, 2);
    finished('v-elsewhere', 5, 3, `other-${service}`);
    await stage.t.server.incidents.changes.idle();

    const incidentId = await openIncident(service);
    const events = await changeEvents(incidentId);
    expect(events.map((e) => e.summary)).toEqual([`${service} v-recent succeeded (100 % on it) 12 min before this incident opened`]);
    expect((await detail(incidentId)).changes.map((c) => c.version)).toEqual(['v-recent']);
  });

  it('ignores malformed deployment events instead of failing, and an incident without a service has no changes', async () => {
    stage.t.server.bus.publish('deployment.step', { deploymentId: 42, service: null });
    stage.t.server.bus.publish('deployment.step', null);
    const incidentId = await openIncident(undefined, 'Something without a service');
    expect((await detail(incidentId)).changes).toEqual([]);
  });
});
