import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { TEST_JWT_KEY, bearer, createTestApp, json, testConfig, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { FakeKubeApi } from '../deployments/fake-kube.js';
import { meStatus, ringRows, rotate, type RotationView } from './secrets-support.js';
import { api } from '../runs/support.js';

const SECRET_PATH = '/api/v1/namespaces/nexus-platform/secrets/nexus-secrets';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const CHANNEL_URL = 'https://hooks.example.com/kube/channel-url-sealed-before-rotation';

function secretData(fake: FakeKubeApi): Record<string, string> {
  return (fake.get(SECRET_PATH) as unknown as { data: Record<string, string> }).data;
}

describe.each(ENGINES)('rotation in Kubernetes mode on %s (recording fake API server)', (engine) => {
  let fake: FakeKubeApi;
  let t: TestApp;
  const restarted: RunningServer[] = [];

  beforeAll(async () => {
    fake = await FakeKubeApi.start();
    fake.put(SECRET_PATH, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'nexus-secrets', namespace: 'nexus-platform' },
      data: { JWT_SECRET_KEY: b64(TEST_JWT_KEY), DATABASE_PASSWORD: b64('database-password-kept') },
    });
    t = await createTestApp(engine, { env: { NEXUS_K8S_SECRET: 'nexus-secrets', NEXUS_KUBECONFIG: fake.kubeconfigPath } });
    const channel = await api(t, 'admin', 'POST', '/api/v1/channels', { name: 'kube-hook', kind: 'webhook', url: CHANNEL_URL });
    expect(channel.status).toBe(201);
  });
  afterAll(async () => {
    for (const server of restarted) await server.close();
    await t?.close();
    await fake?.close();
  });

  it.each([
    ['a 409 (someone else changed the Secret)', (path: string) => fake.conflictOnce.add(path), 409, /changed while NEXUS was writing it/],
    ['a 422 (the API server finds the patch invalid)', (path: string) => fake.invalidOnce.add(path), 502, /refused writing secrets\/nexus-secrets in nexus-platform \(422/],
    ['a 403 (RBAC: no patch on Secrets)', (path: string) => fake.forbiddenOnce.add(path), 502, /refused writing .* \(403: .*cannot patch resource "secrets"/],
  ])('%s leaves the key ring, the Secret and every session as they were', async (_name, arm, status, message) => {
    const ring = await ringRows(t);
    const data = secretData(fake);
    arm(SECRET_PATH);
    const refused = await rotate(t, t.tokens.admin, { revokePrevious: true });
    expect(refused.status).toBe(status);
    expect(refused.body.error?.message).toMatch(message);
    expect(refused.body.error?.message).toMatch(/nothing was rotated/);
    expect(refused.raw).not.toContain(TEST_JWT_KEY);
    expect(await ringRows(t)).toBe(ring);
    expect(secretData(fake)).toEqual(data);
    expect(await meStatus(t, t.tokens.admin)).toBe(200);
    const history = await t.inject({ method: 'GET', url: '/api/v1/secrets/rotations', headers: bearer(t.tokens.admin) });
    expect(json<{ items: unknown[] }>(history).items).toEqual([]);
  });

  it('writes JWT_SECRET_KEY (new) and JWT_SECRET_KEY_PREVIOUS (old) as a merge patch of data, keeping the Secret\'s other keys', async () => {
    fake.requests.length = 0;
    const readVersion = fake.get(SECRET_PATH)!.metadata.resourceVersion;
    const rotated = await rotate(t, t.tokens.admin, { graceSeconds: 600 });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject<Partial<RotationView>>({ kubernetesSecret: true, mode: 'grace' });
    expect(fake.lines()).toEqual([`GET ${SECRET_PATH}`, `PATCH ${SECRET_PATH}`]);
    const patch = fake.patches(SECRET_PATH)[0]!;
    expect(patch.headers['content-type']).toBe('application/merge-patch+json');
    const body = patch.body as { metadata: { resourceVersion: string }; data: Record<string, string> };
    expect(body.metadata.resourceVersion).toBe(readVersion);
    expect(Object.keys(body.data).sort()).toEqual(['JWT_SECRET_KEY', 'JWT_SECRET_KEY_PREVIOUS']);
    const data = secretData(fake);
    expect(unb64(data.JWT_SECRET_KEY!)).not.toBe(TEST_JWT_KEY);
    expect(unb64(data.JWT_SECRET_KEY!).length).toBeGreaterThanOrEqual(64);
    expect(unb64(data.JWT_SECRET_KEY_PREVIOUS!)).toBe(TEST_JWT_KEY);
    expect(unb64(data.DATABASE_PASSWORD!)).toBe('database-password-kept');
    // The next root is in the Secret, never in NEXUS's answer.
    expect(rotated.raw).not.toContain(unb64(data.JWT_SECRET_KEY!));
    // No restart needed: this replica signs with the new key now, and old sessions have their grace.
    expect(await meStatus(t, t.tokens.admin)).toBe(200);
  });

  it.runIf(engine === 'postgres')('pods restarted from the Secret read the ring: sessions and sealed secrets survive two rotations, the first root gone', async () => {
    const start = async (env: Record<string, string | undefined>) => {
      const config = await testConfig({ DATABASE_URL: t.config.databaseUrl, NEXUS_K8S_SECRET: 'nexus-secrets', NEXUS_KUBECONFIG: fake.kubeconfigPath, ...env });
      const server = await startServer(config, { listen: false, logger: createLogger('silent'), eventsChannel: `nexus:test:${randomBytes(6).toString('hex')}`, builtinRunbooksDir: null });
      restarted.push(server);
      return { inject: server.app.inject.bind(server.app), server };
    };
    const fromSecret = () => ({ JWT_SECRET_KEY: unb64(secretData(fake).JWT_SECRET_KEY!), JWT_SECRET_KEY_PREVIOUS: unb64(secretData(fake).JWT_SECRET_KEY_PREVIOUS!) });
    const adminAfterFirst = (await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-password-for-tests' } })).json<{ token: string }>().token;

    const firstRotation = fromSecret();
    const second = await start(firstRotation);
    expect(await meStatus(second, adminAfterFirst)).toBe(200);
    expect(await second.server.notify.channelSecretValues()).toContain(CHANNEL_URL);

    // A second rotation, from the replica that has not restarted yet (still on the first root): the Secret keeps
    // what it held as previous (the root the restarted pod runs with), not this replica's.
    const rotated = await rotate(t, adminAfterFirst, { revokePrevious: true });
    expect(rotated.status).toBe(200);
    const { JWT_SECRET_KEY: third, JWT_SECRET_KEY_PREVIOUS: previous } = fromSecret();
    expect(previous).toBe(firstRotation.JWT_SECRET_KEY);
    const fresh = (await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-password-for-tests' } })).json<{ token: string }>().token;
    // The restarted pod still reads the ring (and so the new key) under its root.
    expect(await meStatus(second, fresh)).toBe(200);
    expect(await meStatus(second, adminAfterFirst)).toBe(401);
    // A pod started from the Secret now, with only the newest root: the first root is no longer needed anywhere.
    const thirdPod = await start({ JWT_SECRET_KEY: third, JWT_SECRET_KEY_PREVIOUS: undefined });
    expect(await thirdPod.server.notify.channelSecretValues()).toContain(CHANNEL_URL);
    expect(await meStatus(thirdPod, adminAfterFirst)).toBe(401);
    expect(await meStatus(thirdPod, fresh)).toBe(200);
    const own = (await thirdPod.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-password-for-tests' } })).json<{ token: string }>().token;
    expect(await meStatus(t, own)).toBe(200);
  });
});
