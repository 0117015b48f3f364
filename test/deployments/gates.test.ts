import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bearer, json } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { act, getDeployment, measureSplit, SERVICE, until, useDeploymentStage } from './support.js';

/** A confirm-promotion webhook that refuses its first `refusals` calls, then accepts; it keeps what it was sent. */
async function startGateReceiver(refusals: number): Promise<{ url: (path: string) => string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      bodies.push({ method: req.method, path: req.url, body: JSON.parse(text) as unknown });
      res.writeHead(bodies.length <= refusals ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(ENGINES)('deployment gates on %s', (engine) => {
  const stage = useDeploymentStage(engine);

  const create = (steps: unknown[]) =>
    stage.t.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: bearer(stage.t.tokens.operator),
      payload: { service: SERVICE, version: 'v2', upstream: stage.v2.address, stable: { version: 'v1', upstream: stage.v1.address }, steps },
    });

  it('holds at a gate while its webhook refuses, goes on when it accepts, and never shows the URL’s secret', async () => {
    const receiver = await startGateReceiver(2);
    try {
      const secretPath = '/hooks/s3cr3t-token?key=hunter2';
      const res = await create([{ kind: 'setWeight', weight: 10 }, { kind: 'gate', url: receiver.url(secretPath), intervalSeconds: 1 }, { kind: 'setWeight', weight: 100 }]);
      expect(res.statusCode).toBe(201);
      const { id } = json<{ id: string }>(res);
      const done = await until(stage.t, id, (d) => d.state === 'succeeded');

      // Refused twice (held at 10 %), accepted the third time.
      expect(receiver.bodies).toHaveLength(3);
      for (const call of receiver.bodies) {
        expect(call).toMatchObject({ method: 'POST', path: secretPath, body: { deployment: { id, service: SERVICE, version: 'v2', stableVersion: 'v1', canaryWeight: 10 }, step: { index: 1, kind: 'gate' } } });
      }
      expect(done.steps[1]).toMatchObject({ kind: 'gate', state: 'succeeded' });
      const gateEvents = done.timeline.filter((e) => e.kind === 'gate').map((e) => e.data.state);
      expect(gateEvents).toEqual(['asking', 'held']);
      expect(done.timeline.find((e) => e.data.state === 'held')?.summary).toMatch(/answered 503/);
      // Traffic never went past 10 % while the gate held.
      expect(done.timeline.filter((e) => e.kind === 'traffic').map((e) => e.data.weight)).toEqual([10, 100, 100]);
      const shown = JSON.stringify(await getDeployment(stage.t, id));
      expect(shown).not.toContain('s3cr3t');
      expect(shown).not.toContain('hunter2');
    } finally {
      await receiver.close();
    }
  });

  it('promote lets a deployment past a gate that keeps refusing, and the promotion is audited and on the timeline', async () => {
    const receiver = await startGateReceiver(Number.POSITIVE_INFINITY);
    try {
      const res = await create([{ kind: 'setWeight', weight: 25 }, { kind: 'gate', url: receiver.url('/never'), intervalSeconds: 1 }]);
      expect(res.statusCode).toBe(201);
      const { id } = json<{ id: string }>(res);
      await until(stage.t, id, (d) => d.timeline.some((e) => e.kind === 'gate' && e.data.state === 'held'));
      await act(stage.t, id, 'promote');
      const done = await until(stage.t, id, (d) => d.state === 'succeeded');
      expect(done.steps[1]).toMatchObject({ kind: 'gate', state: 'skipped', message: 'promoted by operator-user' });
      expect(done.timeline.some((e) => e.kind === 'promoted' && e.actor === 'operator-user')).toBe(true);
      const audit = json<{ items: Array<{ action: string; target: string | null }> }>(
        await stage.t.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: bearer(stage.t.tokens.admin) }),
      ).items;
      expect(audit.some((e) => e.action === 'deployment.promote' && e.target === id)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a gate without an http(s) URL with a 400 naming the step', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'http://exa mple.com/']) {
      const res = await create([{ kind: 'gate', url }]);
      expect(res.statusCode, url).toBe(400);
      expect(json<{ error: { message: string } }>(res).error.message).toMatch(/steps/);
    }
  });

  it('blue-green: its gates hold the switch while they refuse, then it waits for a person (auto-promotion off); all traffic stays on the old colour until the promote', async () => {
    await backToV1();
    const receiver = await startGateReceiver(1);
    try {
      const res = await stage.t.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: bearer(stage.t.tokens.operator),
        payload: {
          service: SERVICE,
          version: 'v2',
          upstream: stage.v2.address,
          stable: { version: 'v1', upstream: stage.v1.address },
          strategy: 'blue-green',
          blueGreen: { scaleDownDelaySeconds: 1, gates: [{ url: receiver.url('/hooks/bg-s3cr3t'), intervalSeconds: 1 }], autoPromotion: false },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const { id } = json<{ id: string }>(res);
      const waiting = await until(stage.t, id, (d) => d.state === 'paused' && d.currentStep === 2);
      expect(waiting.steps.map((s) => [s.kind, s.state])).toEqual([
        ['healthCheck', 'succeeded'],
        ['gate', 'succeeded'],
        ['pause', 'running'],
        ['setWeight', 'pending'],
        ['pause', 'pending'],
        ['scaleDown', 'pending'],
      ]);
      // Refused once, then confirmed; asked with the new colour at 0 %.
      expect(receiver.bodies).toHaveLength(2);
      expect(receiver.bodies[1]).toMatchObject({ method: 'POST', path: '/hooks/bg-s3cr3t', body: { deployment: { id, version: 'v2', canaryWeight: 0 }, step: { index: 1, kind: 'gate' } } });
      expect(waiting.canaryWeight).toBe(0);
      expect(waiting.timeline.filter((e) => e.kind === 'traffic')).toEqual([]);
      expect(await measureSplit(stage.nginx.url, 100)).toEqual({ v1: 100 });
      expect(JSON.stringify(waiting)).not.toContain('s3cr3t');
      // Resume is not how a promotion pause ends.
      const resumed = await stage.t.inject({ method: 'POST', url: `/api/v1/deployments/${id}/resume`, headers: bearer(stage.t.tokens.operator), payload: {} });
      expect(resumed.statusCode).toBe(409);

      await act(stage.t, id, 'promote');
      const done = await until(stage.t, id, (d) => d.state === 'succeeded');
      expect(done.steps[2]).toMatchObject({ kind: 'pause', state: 'skipped', message: 'promoted by operator-user' });
      expect(done.timeline.filter((e) => e.kind === 'traffic').map((e) => e.data.weight)).toEqual([100, 100]);
      expect(await measureSplit(stage.nginx.url, 100)).toEqual({ v2: 100 });
    } finally {
      await receiver.close();
    }
    await backToV1();
  });

  /** The tests before leave v2 promoted: roll the newest deployment back so all traffic is on stage.v1. */
  const backToV1 = async () => {
    const [last] = json<{ items: Array<{ id: string; state: string }> }>(
      await stage.t.inject({ method: 'GET', url: `/api/v1/deployments?service=${SERVICE}`, headers: bearer(stage.t.tokens.viewer) }),
    ).items;
    if (last?.state !== 'succeeded') return;
    await act(stage.t, last.id, 'rollback');
    await until(stage.t, last.id, (d) => d.state === 'rolled_back');
  };

  it('blue-green: a gate without an http(s) URL is refused with a 400 naming it', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x']) {
      const res = await stage.t.inject({
        method: 'POST',
        url: '/api/v1/deployments',
        headers: bearer(stage.t.tokens.operator),
        payload: { service: SERVICE, version: 'v2', upstream: stage.v2.address, stable: { version: 'v1', upstream: stage.v1.address }, strategy: 'blue-green', blueGreen: { gates: [{ url }] } },
      });
      expect(res.statusCode, url).toBe(400);
      expect(json<{ error: { message: string } }>(res).error.message).toMatch(/blueGreen\/gates\/0\/url/);
    }
  });
});
