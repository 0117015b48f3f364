import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayApiRouter, IstioRouter } from '../../src/deployments/kubernetes.js';
import { loadKubeConfig } from '../../src/platform/kubernetes.js';
import { BACKENDS_ANNOTATION, RouterError } from '../../src/deployments/index.js';
import type { KubernetesConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { bearer, createTestApp, json, type TestApp } from '../support/app.js';
import { ENGINES } from '../support/db.js';
import { FAKE_TOKEN, FakeKubeApi } from './fake-kube.js';
import { act, startVersion, until } from './support.js';

/** The seed's names: namespace and VirtualService `nexus-platform`, route host `nexus-backend`. */
const NS = 'nexus-platform';
const SERVICE = 'nexus-backend';
const VS_PATH = `/apis/networking.istio.io/v1beta1/namespaces/${NS}/virtualservices/nexus-platform`;
const ROUTE_PATH = `/apis/gateway.networking.k8s.io/v1/namespaces/${NS}/httproutes/${SERVICE}`;
const deploymentPath = (name: string) => `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;
const IMAGE = 'nexus-platform/backend:canary-1.4.2';

/** Another team's route in the same VirtualService: a merge patch replaces `http` whole, so NEXUS must send it back intact. */
const OTHER_HTTP = { match: [{ uri: { prefix: '/grafana' } }], route: [{ destination: { host: 'grafana', port: { number: 3000 } } }], timeout: '5s' };

function virtualService(routes: Array<{ subset: string; weight?: number }>) {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'nexus-platform', namespace: NS },
    spec: {
      hosts: ['nexus.example.com'],
      http: [OTHER_HTTP, { retries: { attempts: 2 }, route: routes.map((r) => ({ destination: { host: SERVICE, subset: r.subset }, ...(r.weight === undefined ? {} : { weight: r.weight }) })) }],
    },
  };
}

function httpRoute(refs: Array<{ name: string; weight?: number }>) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: SERVICE, namespace: NS },
    spec: {
      parentRefs: [{ name: 'nexus-gateway' }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/grafana' } }], backendRefs: [{ name: 'grafana', port: 3000 }] },
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: refs.map((r) => ({ name: r.name, port: 8080, ...(r.weight === undefined ? {} : { weight: r.weight }) })) },
      ],
    },
  };
}

function k8sDeployment(name: string, containers: Array<{ name: string; image: string }>, replicas?: number) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS }, spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers } } } };
}

describe('Kubernetes routers against a recording fake API server', () => {
  let api: FakeKubeApi;
  let config: KubernetesConfig;
  const logger = createLogger('silent');
  const istio = () => new IstioRouter(config, loadKubeConfig(config.kubeconfig), logger);
  const gateway = () => new GatewayApiRouter(config, loadKubeConfig(config.kubeconfig), logger);

  beforeAll(async () => {
    api = await FakeKubeApi.start();
    config = {
      routers: ['istio', 'gateway-api'],
      kubeconfig: api.kubeconfigPath,
      namespace: NS,
      virtualService: 'nexus-platform',
      httpRoute: undefined,
      deploymentName: '{service}-{upstream}',
      conflictRetries: 3,
      readyTimeoutSeconds: 1,
    };
  });
  afterAll(async () => api?.close());
  beforeEach(() => api.reset());

  it('istio: sets the canary image, then merge-patches the VirtualService with weights beside destinations, keeping other routes', async () => {
    api.put(VS_PATH, virtualService([{ subset: 'stable' }]));
    api.put(deploymentPath('nexus-backend-canary'), k8sDeployment('nexus-backend-canary', [{ name: SERVICE, image: 'nexus-platform/backend:1.4.1' }]));
    const router = istio();
    expect(await router.current(SERVICE)).toEqual([{ version: '', upstream: 'stable', weight: 100 }]);
    const readVersion = api.get(VS_PATH)!.metadata.resourceVersion;

    const result = await router.apply(SERVICE, [
      { version: 'v1.4.1', upstream: 'stable', weight: 90 },
      { version: 'v1.4.2', upstream: 'canary', weight: 10, image: IMAGE },
    ]);
    expect(result).toEqual({ changed: true });

    // The image first, then its rollout reported done (pods of the new version before traffic to them), then the traffic.
    expect(api.lines()).toEqual([
      `GET ${VS_PATH}`,
      `GET ${VS_PATH}`,
      `GET ${deploymentPath('nexus-backend-canary')}`,
      `PATCH ${deploymentPath('nexus-backend-canary')}`,
      `GET ${deploymentPath('nexus-backend-canary')}`,
      `PATCH ${VS_PATH}`,
    ]);
    const [imagePatch, trafficPatch] = api.patches();
    expect(imagePatch!.headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(imagePatch!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(imagePatch!.body).toEqual({ spec: { template: { spec: { containers: [{ name: SERVICE, image: IMAGE }] } } } });

    expect(trafficPatch!.headers['content-type']).toBe('application/merge-patch+json');
    expect(trafficPatch!.body).toEqual({
      metadata: {
        resourceVersion: readVersion,
        annotations: {
          [BACKENDS_ANNOTATION]: JSON.stringify([
            { version: 'v1.4.1', upstream: 'stable', weight: 90 },
            { version: 'v1.4.2', upstream: 'canary', weight: 10 },
          ]),
        },
      },
      spec: {
        http: [
          OTHER_HTTP,
          {
            retries: { attempts: 2 },
            route: [
              { destination: { host: SERVICE, subset: 'stable' }, weight: 90 },
              { destination: { host: SERVICE, subset: 'canary' }, weight: 10 },
            ],
          },
        ],
      },
    });
    expect(api.get(deploymentPath('nexus-backend-canary'))!.spec).toEqual({ template: { spec: { containers: [{ name: SERVICE, image: IMAGE }] } } });

    // current() reads the live object; the same split again sends nothing.
    expect(await router.current(SERVICE)).toEqual([
      { version: 'v1.4.1', upstream: 'stable', weight: 90 },
      { version: 'v1.4.2', upstream: 'canary', weight: 10 },
    ]);
    api.requests.length = 0;
    expect(await router.apply(SERVICE, [{ version: 'v1.4.1', upstream: 'stable', weight: 90 }, { version: 'v1.4.2', upstream: 'canary', weight: 10, image: IMAGE }])).toEqual({ changed: false });
    expect(api.patches()).toEqual([]);

    // A hand edit of the weights is what current() reports, and the next apply corrects it.
    const live = api.get(VS_PATH)!;
    for (const route of (live.spec as { http: Array<{ route: Array<{ weight: number }> }> }).http[1]!.route) route.weight = 50;
    api.put(VS_PATH, live);
    expect((await router.current(SERVICE))?.map((b) => b.weight)).toEqual([50, 50]);
  });

  it('blue-green: the colour dropped from the route is scaled to 0 after the switch; a switch back scales it up and waits for ready pods first', async () => {
    const [blue, green] = [deploymentPath('nexus-backend-blue'), deploymentPath('nexus-backend-green')];
    api.put(VS_PATH, virtualService([{ subset: 'blue', weight: 0 }, { subset: 'green', weight: 100 }]));
    api.put(blue, k8sDeployment('nexus-backend-blue', [{ name: SERVICE, image: 'backend:1' }], 3));
    api.put(green, k8sDeployment('nexus-backend-green', [{ name: SERVICE, image: 'backend:2' }], 2));
    const router = istio();

    // Scale-down: traffic first, then the old colour's replicas (noted on it) to 0.
    expect(await router.apply(SERVICE, [{ version: 'v2', upstream: 'green', weight: 100 }])).toEqual({ changed: true });
    expect(api.lines()).toEqual([`GET ${VS_PATH}`, `PATCH ${VS_PATH}`, `GET ${blue}`, `PATCH ${blue}`]);
    const scaleDown = api.patches(blue)[0]!;
    expect(scaleDown.headers['content-type']).toBe('application/merge-patch+json');
    expect(scaleDown.body).toEqual({ metadata: { annotations: { 'nexus.deployments/replicas': '3' } }, spec: { replicas: 0 } });
    expect(api.get(blue)!.spec).toMatchObject({ replicas: 0 });

    // Rollback: blue back to its 3 replicas, polled until its pods are ready (two reads behind here), then traffic, then green down.
    api.requests.length = 0;
    api.lagReads.set(blue, 3);
    expect(await router.apply(SERVICE, [{ version: 'v1', upstream: 'blue', weight: 100 }])).toEqual({ changed: true });
    expect(api.lines()).toEqual([
      `GET ${VS_PATH}`,
      `GET ${blue}`,
      `PATCH ${blue}`,
      `GET ${blue}`,
      `GET ${blue}`,
      `GET ${blue}`,
      `PATCH ${VS_PATH}`,
      `GET ${green}`,
      `PATCH ${green}`,
    ]);
    expect(api.patches(blue)[0]!.headers['content-type']).toBe('application/merge-patch+json');
    expect(api.patches(blue)[0]!.body).toEqual({ metadata: { annotations: { 'nexus.deployments/replicas': null } }, spec: { replicas: 3 } });
    expect(api.get(blue)!.metadata).not.toHaveProperty(['annotations', 'nexus.deployments/replicas']);
    expect(api.patches(green)[0]!.body).toEqual({ metadata: { annotations: { 'nexus.deployments/replicas': '2' } }, spec: { replicas: 0 } });
    expect(await router.current(SERVICE)).toEqual([{ version: 'v1', upstream: 'blue', weight: 100 }]);

    // Pods that never get ready: bounded wait, a clear error, the route and blue untouched.
    api.requests.length = 0;
    api.neverReady.add(green);
    const before = api.get(VS_PATH);
    await expect(router.apply(SERVICE, [{ version: 'v2', upstream: 'green', weight: 100 }])).rejects.toThrow(
      /deployments\/nexus-backend-green in nexus-platform was not ready after 1 s \(.*\); traffic was not moved/,
    );
    expect(api.get(VS_PATH)).toEqual(before);
    expect(api.patches().map((p) => p.path)).toEqual([green]);
    expect(api.get(blue)!.spec).toMatchObject({ replicas: 3 });
  });

  it('a restart between the route patch and the scale-down: the next apply finds the route right and still scales the dropped colour to 0, once', async () => {
    const [blue, green] = [deploymentPath('nexus-backend-blue'), deploymentPath('nexus-backend-green')];
    api.put(VS_PATH, virtualService([{ subset: 'blue', weight: 100 }, { subset: 'green', weight: 0 }]));
    api.put(blue, k8sDeployment('nexus-backend-blue', [{ name: SERVICE, image: 'backend:1' }], 3));
    api.put(green, k8sDeployment('nexus-backend-green', [{ name: SERVICE, image: 'backend:2' }], 2));
    const switched = [{ version: 'v2', upstream: 'green', weight: 100 }];

    // The route patch lands, the scale-down does not (the API server refuses it here, as a NEXUS that died
    // right after the route patch would never have sent it): blue keeps its 3 pods.
    api.invalidOnce.add(blue);
    await expect(istio().apply(SERVICE, switched)).rejects.toThrow(/scaling down to 0 on deployments\/nexus-backend-blue/);
    expect(await istio().current(SERVICE)).toEqual(switched);
    expect(api.get(VS_PATH)!.metadata).toMatchObject({ annotations: { 'nexus.deployments/retired': JSON.stringify(['blue']) } });
    expect(api.get(blue)!.spec).toMatchObject({ replicas: 3 });

    // A fresh router (the restarted NEXUS), the same wanted state: no route patch, the scale-down that was missing.
    api.requests.length = 0;
    expect(await istio().apply(SERVICE, switched)).toEqual({ changed: false });
    expect(api.lines()).toEqual([`GET ${VS_PATH}`, `GET ${blue}`, `PATCH ${blue}`]);
    expect(api.patches(blue)[0]!.body).toEqual({ metadata: { annotations: { 'nexus.deployments/replicas': '3' } }, spec: { replicas: 0 } });

    // Everything right: read, nothing sent.
    api.requests.length = 0;
    expect(await istio().apply(SERVICE, switched)).toEqual({ changed: false });
    expect(api.patches()).toEqual([]);

    // A switch back brings blue in again and takes it off the retired list; green is retired and scaled down.
    api.requests.length = 0;
    await istio().apply(SERVICE, [{ version: 'v1', upstream: 'blue', weight: 100 }]);
    expect(api.patches().map((p) => p.path)).toEqual([blue, VS_PATH, green]);
    expect(api.get(VS_PATH)!.metadata).toMatchObject({ annotations: { 'nexus.deployments/retired': JSON.stringify(['green']) } });
    expect(api.get(blue)!.spec).toMatchObject({ replicas: 3 });
    expect(api.get(green)!.spec).toMatchObject({ replicas: 0 });
  });

  it('a kubeconfig that cannot be loaded stops the start with the setting named', () => {
    expect(() => loadKubeConfig('/nonexistent/kubeconfig')).toThrow(/^NEXUS_KUBECONFIG: cannot load \/nonexistent\/kubeconfig/);
  });

  it('istio: a 409 (someone changed the VirtualService since it was read) is read again and retried with the new resourceVersion', async () => {
    api.put(VS_PATH, virtualService([{ subset: 'stable', weight: 100 }]));
    api.conflictOnce.add(VS_PATH);
    const router = istio();
    await router.apply(SERVICE, [{ version: 'v1', upstream: 'stable', weight: 75 }, { version: 'v2', upstream: 'canary', weight: 25 }]);
    // The canary's Deployment is looked for (none here: routed without checking pods), then the 409 and the retry.
    expect(api.lines()).toEqual([`GET ${VS_PATH}`, `GET ${deploymentPath('nexus-backend-canary')}`, `PATCH ${VS_PATH}`, `GET ${VS_PATH}`, `PATCH ${VS_PATH}`]);
    const [first, second] = api.patches() as Array<{ body: { metadata: { resourceVersion: string } } }>;
    expect(second!.body.metadata.resourceVersion).not.toBe(first!.body.metadata.resourceVersion);
    expect((await router.current(SERVICE))?.map((b) => [b.upstream, b.weight])).toEqual([['stable', 75], ['canary', 25]]);

    // Bounded: an object that changes under every attempt ends in a clear error, not a loop.
    const always = new IstioRouter({ ...config, conflictRetries: 0 }, loadKubeConfig(config.kubeconfig), logger);
    api.conflictOnce.add(VS_PATH);
    await expect(always.apply(SERVICE, [{ version: 'v1', upstream: 'stable', weight: 50 }, { version: 'v2', upstream: 'canary', weight: 50 }])).rejects.toThrow(/kept changing.*409/);
  });

  it('istio: a 422 fails with the API server message, leaves the VirtualService as it was, and never shows the token', async () => {
    api.put(VS_PATH, virtualService([{ subset: 'stable', weight: 100 }]));
    const before = api.get(VS_PATH);
    api.invalidOnce.add(VS_PATH);
    const error = await istio()
      .apply(SERVICE, [{ version: 'v1', upstream: 'stable', weight: 90 }, { version: 'v2', upstream: 'canary', weight: 10 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RouterError);
    expect((error as Error).message).toMatch(/answered 422: .*is invalid/);
    expect((error as Error).message).not.toContain(FAKE_TOKEN);
    expect(api.get(VS_PATH)).toEqual(before);
  });

  it('a strategic-merge patch would add a container: an ambiguous Deployment is refused and nothing is patched', async () => {
    api.put(VS_PATH, virtualService([{ subset: 'stable', weight: 100 }]));
    api.put(deploymentPath('nexus-backend-canary'), k8sDeployment('nexus-backend-canary', [{ name: 'app', image: 'a:1' }, { name: 'sidecar', image: 'b:1' }]));
    await expect(
      istio().apply(SERVICE, [{ version: 'v1', upstream: 'stable', weight: 90 }, { version: 'v2', upstream: 'canary', weight: 10, image: IMAGE }]),
    ).rejects.toThrow(/no container named nexus-backend/);
    expect(api.patches()).toEqual([]);
  });

  it('gateway-api: weights on the HTTPRoute backendRefs of the rule that routes the service, other rules untouched', async () => {
    api.put(ROUTE_PATH, httpRoute([{ name: 'nexus-backend-stable' }]));
    const router = gateway();
    const wanted = [
      { version: 'v1', upstream: 'nexus-backend-stable:8080', weight: 90 },
      { version: 'v2', upstream: 'nexus-backend-canary:8080', weight: 10 },
    ];
    // Which rules are the service's is known from the backends NEXUS routes: before its first change, none.
    expect(await router.current(SERVICE)).toBeNull();
    await router.apply(SERVICE, wanted);
    const [patch] = api.patches(ROUTE_PATH);
    expect(patch!.method).toBe('PATCH');
    expect(patch!.headers['content-type']).toBe('application/merge-patch+json');
    const sent = patch!.body as { spec: { rules: unknown[] } };
    expect(sent.spec.rules).toEqual([
      { matches: [{ path: { type: 'PathPrefix', value: '/grafana' } }], backendRefs: [{ name: 'grafana', port: 3000 }] },
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { name: 'nexus-backend-stable', port: 8080, weight: 90 },
          { name: 'nexus-backend-canary', port: 8080, weight: 10 },
        ],
      },
    ]);
    expect(await router.current(SERVICE)).toEqual(wanted);
    // The 422 path is the same for HTTPRoutes.
    api.invalidOnce.add(ROUTE_PATH);
    await expect(router.apply(SERVICE, [wanted[1]!].map((b) => ({ ...b, weight: 100 })))).rejects.toThrow(/answered 422/);
    expect(await router.current(SERVICE)).toEqual(wanted);
  });
});

describe.each(ENGINES)('canary through the controller with the Kubernetes routers on %s', (engine) => {
  let t: TestApp;
  let api: FakeKubeApi;

  beforeAll(async () => {
    api = await FakeKubeApi.start();
    t = await createTestApp(engine, {
      env: {
        NEXUS_K8S_ROUTERS: 'istio,gateway-api',
        NEXUS_KUBECONFIG: api.kubeconfigPath,
        NEXUS_K8S_NAMESPACE: NS,
        NEXUS_ISTIO_VIRTUAL_SERVICE: 'nexus-platform',
        NEXUS_DEPLOY_TICK_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });
  beforeEach(() => api.reset());

  const steps = [{ kind: 'setWeight', weight: 10 }, { kind: 'pause' }, { kind: 'setWeight', weight: 50 }, { kind: 'pause' }];
  const start = async (payload: Record<string, unknown>) => {
    const res = await t.inject({ method: 'POST', url: '/api/v1/deployments', headers: bearer(t.tokens.operator), payload });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string }>(res).id;
  };
  const istioWeights = () =>
    api.patches(VS_PATH).map((p) =>
      (p.body as { spec: { http: Array<{ route?: Array<{ destination: { subset: string }; weight: number }> }> } }).spec.http[1]!.route!.map((r) => `${r.destination.subset} ${r.weight}`).join(', '),
    );

  const STABLE_PATH = deploymentPath('nexus-backend-stable');
  const CANARY_PATH = deploymentPath('nexus-backend-canary');
  const OLD_IMAGE = 'nexus-platform/backend:1.4.1';
  const putCanary = () => {
    api.put(VS_PATH, virtualService([{ subset: 'stable' }]));
    api.put(CANARY_PATH, k8sDeployment('nexus-backend-canary', [{ name: SERVICE, image: OLD_IMAGE }]));
    api.put(STABLE_PATH, k8sDeployment('nexus-backend-stable', [{ name: SERVICE, image: OLD_IMAGE }], 4));
  };
  const imageOn = (objectPath: string) => (api.get(objectPath)!.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image;
  /** The requests that change something, and the reads of Deployments between them (the ready waits). */
  const changes = () => api.lines().filter((l) => l.startsWith('PATCH') || l.startsWith('GET /apis/apps/'));

  it('istio: 10 → 50 → promoted, then the stable Deployment gets the new image and all traffic and the canary goes to 0; a rollback puts the recorded image back on stable', async () => {
    putCanary();
    const id = await start({ service: SERVICE, version: 'v1.4.2', upstream: 'canary', image: IMAGE, router: 'istio', stable: { version: 'v1.4.1', upstream: 'stable' }, steps });
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 10);
    await act(t, id, 'promote');
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 50);
    expect(imageOn(CANARY_PATH)).toBe(IMAGE);
    api.requests.length = 0;
    await act(t, id, 'promote');
    const done = await until(t, id, (d) => d.state === 'succeeded');
    expect(done).toMatchObject({ canaryWeight: 100, stableImage: OLD_IMAGE, stableHandover: 'promoted' });
    // The canary to 100 % first (stable idle, still up), then the image on stable and its rollout waited for,
    // then all traffic to stable, then the canary scaled to 0 with its replica noted.
    expect(changes()).toEqual([
      `GET ${CANARY_PATH}`,
      `PATCH ${VS_PATH}`,
      `GET ${STABLE_PATH}`,
      `PATCH ${STABLE_PATH}`,
      `GET ${STABLE_PATH}`,
      `PATCH ${VS_PATH}`,
      `GET ${CANARY_PATH}`,
      `PATCH ${CANARY_PATH}`,
    ]);
    expect(istioWeights()).toEqual(['stable 0, canary 100', 'stable 100']);
    expect(api.patches(STABLE_PATH)[0]!.body).toEqual({ spec: { template: { spec: { containers: [{ name: SERVICE, image: IMAGE }] } } } });
    expect(api.patches(CANARY_PATH)[0]!.body).toEqual({ metadata: { annotations: { 'nexus.deployments/replicas': '1' } }, spec: { replicas: 0 } });
    expect(imageOn(STABLE_PATH)).toBe(IMAGE);
    expect(api.get(STABLE_PATH)!.spec).toMatchObject({ replicas: 4 });
    expect(done.timeline.map((e) => e.kind)).toContain('handover');

    // The next deployment of the service starts from stable, which serves v1.4.2 now.
    const next = await t.inject({ method: 'POST', url: '/api/v1/deployments', headers: bearer(t.tokens.operator), payload: { service: SERVICE, version: 'v1.4.2', upstream: 'canary', router: 'istio' } });
    expect(json<{ error: { message: string } }>(next).error.message).toMatch(/v1\.4\.2 is already the stable version/);

    // Rollback after success: the recorded image goes back on stable (waited for, two reads behind here); traffic stays on stable.
    api.requests.length = 0;
    api.lagReads.set(STABLE_PATH, 2);
    await act(t, id, 'rollback');
    const rolledBack = await until(t, id, (d) => d.state === 'rolled_back');
    expect(rolledBack.canaryWeight).toBe(0);
    expect(changes()).toEqual([`GET ${STABLE_PATH}`, `PATCH ${STABLE_PATH}`, `GET ${STABLE_PATH}`, `GET ${STABLE_PATH}`, `PATCH ${VS_PATH}`, `GET ${CANARY_PATH}`]);
    expect(api.patches(STABLE_PATH)[0]!.body).toEqual({ spec: { template: { spec: { containers: [{ name: SERVICE, image: OLD_IMAGE }] } } } });
    // The route keeps its weights; only the version NEXUS notes on it changes.
    expect(istioWeights()).toEqual(['stable 100']);
    expect(api.get(CANARY_PATH)!.spec).toMatchObject({ replicas: 0 });
    expect(api.patches().every((p) => p.headers.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
  });

  it('a canary whose stable image cannot be read is refused with a 503 naming the problem, and nothing is changed', async () => {
    putCanary();
    api.failReadOnce.add(STABLE_PATH);
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: bearer(t.tokens.operator),
      payload: { service: SERVICE, version: 'v4.0.0', upstream: 'canary', image: IMAGE, router: 'istio', stable: { version: 'v1.4.1', upstream: 'stable' } },
    });
    expect(res.statusCode).toBe(503);
    const message = json<{ error: { message: string } }>(res).error.message;
    expect(message).toMatch(/cannot read the stable Deployment's image before starting: .*answered 500: etcdserver: request timed out/);
    expect(message).not.toContain(FAKE_TOKEN);
    expect(api.patches()).toEqual([]);
    const list = json<{ items: Array<{ version: string }> }>(await t.inject({ method: 'GET', url: `/api/v1/deployments?service=${SERVICE}`, headers: bearer(t.tokens.viewer) }));
    expect(list.items.map((d) => d.version)).not.toContain('v4.0.0');
  });

  it('a restart between any two sub-steps of the hand-over sends only what is still missing, and nothing twice', async () => {
    const router = new IstioRouter(t.config.deployments.kubernetes!, loadKubeConfig(t.config.deployments.kubernetes!.kubeconfig), createLogger('silent'));
    const db = t.server.db;
    // Where a NEXUS died (after writing the intent "promoting"), what it had already done, and what the restarted one must send.
    const crashes: Array<{ after: string; done: (version: string) => Promise<void>; expected: string[] }> = [
      { after: 'the intent', done: async () => {}, expected: [`GET ${STABLE_PATH}`, `PATCH ${STABLE_PATH}`, `GET ${STABLE_PATH}`, `PATCH ${VS_PATH}`, `GET ${CANARY_PATH}`, `PATCH ${CANARY_PATH}`] },
      {
        after: 'the image on stable',
        done: async () => api.put(STABLE_PATH, { ...k8sDeployment('nexus-backend-stable', [{ name: SERVICE, image: IMAGE }], 4) }),
        expected: [`GET ${STABLE_PATH}`, `PATCH ${VS_PATH}`, `GET ${CANARY_PATH}`, `PATCH ${CANARY_PATH}`],
      },
      {
        after: 'the route to stable',
        done: async (version) => {
          // The router's own hand-over apply, stopped before the canary's scale-down (the API refuses it once).
          api.invalidOnce.add(CANARY_PATH);
          await expect(router.apply(SERVICE, [{ version, upstream: 'stable', weight: 100, image: IMAGE }])).rejects.toThrow(/scaling down to 0/);
        },
        expected: [`GET ${STABLE_PATH}`, `GET ${CANARY_PATH}`, `PATCH ${CANARY_PATH}`],
      },
      {
        after: 'the canary scale-down (before the commit)',
        done: async (version) => void (await router.apply(SERVICE, [{ version, upstream: 'stable', weight: 100, image: IMAGE }])),
        expected: [`GET ${STABLE_PATH}`, `GET ${CANARY_PATH}`],
      },
    ];
    for (const [n, crash] of crashes.entries()) {
      api.reset();
      putCanary();
      const version = `v2.0.${n}`;
      const id = await start({ service: SERVICE, version, upstream: 'canary', image: IMAGE, router: 'istio', stable: { version: 'v1.4.1', upstream: 'stable' }, steps: [{ kind: 'setWeight', weight: 50 }, { kind: 'pause' }] });
      await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 50);
      // What the crashed NEXUS left: the canary at 100 % (before the intent), the intent written, the step finished;
      // written while paused, so the controller is not looking.
      await router.apply(SERVICE, [{ version: 'v1.4.1', upstream: 'stable', weight: 0 }, { version, upstream: 'canary', weight: 100, image: IMAGE }]);
      await db.query(`UPDATE deployment_steps SET state = 'skipped' WHERE deployment_id = $1 AND index = 1`, [id]);
      await db.query(`UPDATE deployments SET current_step = 2, canary_weight = 100, intent_weight = 100, stable_handover = 'promoting', revision = revision + 1 WHERE id = $1`, [id]);
      await crash.done(version);
      api.requests.length = 0;

      await db.query(`UPDATE deployments SET state = 'progressing', reason = NULL, next_at = now(), revision = revision + 1 WHERE id = $1`, [id]);
      t.server.deployments.loop.kick();
      const done = await until(t, id, (d) => d.state === 'succeeded');
      expect(changes(), `restart after ${crash.after}`).toEqual(crash.expected);
      expect(done).toMatchObject({ stableHandover: 'promoted', canaryWeight: 100, pendingWeight: null });
      expect(imageOn(STABLE_PATH)).toBe(IMAGE);
      expect(api.get(CANARY_PATH)!.spec).toMatchObject({ replicas: 0 });
      expect((await router.current(SERVICE))?.map((b) => [b.upstream, b.weight])).toEqual([['stable', 100]]);
    }
  });

  it('a restart between any two sub-steps of a rollback after the hand-over resumes without a second change', async () => {
    const router = new IstioRouter(t.config.deployments.kubernetes!, loadKubeConfig(t.config.deployments.kubernetes!.kubeconfig), createLogger('silent'));
    const db = t.server.db;
    api.reset();
    putCanary();
    const id = await start({ service: SERVICE, version: 'v3.0.0', upstream: 'canary', image: IMAGE, router: 'istio', stable: { version: 'v1.4.1', upstream: 'stable' }, steps: [{ kind: 'setWeight', weight: 100 }] });
    await until(t, id, (d) => d.state === 'succeeded' && d.stableHandover === 'promoted');
    const back = [{ version: 'v1.4.1', upstream: 'stable', weight: 100, image: OLD_IMAGE }];
    // The intent (rolling back to 0 %) written, then the old image set on stable and waited for, then the crash.
    await db.query(`UPDATE deployments SET state = 'paused', intent_weight = 0, outcome = 'rolled_back', revision = revision + 1 WHERE id = $1`, [id]);
    await router.prepare(SERVICE, back[0]!);
    expect(imageOn(STABLE_PATH)).toBe(OLD_IMAGE);
    api.requests.length = 0;
    await db.query(`UPDATE deployments SET state = 'rolling_back', finished_at = NULL, next_at = now(), revision = revision + 1 WHERE id = $1`, [id]);
    t.server.deployments.loop.kick();
    await until(t, id, (d) => d.state === 'rolled_back');
    // The image is not sent again: only the route's note of the version, and the retired canary looked at.
    expect(changes()).toEqual([`GET ${STABLE_PATH}`, `PATCH ${VS_PATH}`, `GET ${CANARY_PATH}`]);
    expect(await router.current(SERVICE)).toEqual([{ version: 'v1.4.1', upstream: 'stable', weight: 100 }]);
  });

  it('istio: a 422 fails the deployment with the API server message and leaves all traffic on stable', async () => {
    api.put(VS_PATH, virtualService([{ subset: 'stable', weight: 100 }]));
    api.invalidOnce.add(VS_PATH);
    const id = await start({ service: SERVICE, version: 'v1.4.3', upstream: 'canary', router: 'istio', stable: { version: 'v1.4.1', upstream: 'stable' }, steps });
    const failed = await until(t, id, (d) => d.state === 'failed');
    expect(failed.reason).toMatch(/422: .*is invalid/);
    expect(failed.reason).not.toContain(FAKE_TOKEN);
    expect(failed.canaryWeight).toBe(0);
    expect(failed.incidentId).not.toBeNull();
    // The refused 10 % patch, then the abort's: the refusal is not retried into a canary.
    expect(istioWeights()).toEqual(['stable 90, canary 10', 'stable 100']);
    const route = (api.get(VS_PATH)!.spec as { http: Array<{ route: Array<{ destination: { subset: string }; weight: number }> }> }).http[1]!.route;
    expect(route.map((r) => [r.destination.subset, r.weight])).toEqual([['stable', 100]]);
  });

  it('gateway-api: 10 → 50 → promoted through the HTTPRoute backendRefs', async () => {
    api.put(ROUTE_PATH, httpRoute([{ name: 'nexus-backend-stable' }]));
    const id = await start({
      service: SERVICE,
      version: 'v2',
      upstream: 'nexus-backend-canary:8080',
      router: 'gateway-api',
      stable: { version: 'v1', upstream: 'nexus-backend-stable:8080' },
      steps,
    });
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 10);
    await act(t, id, 'promote');
    await until(t, id, (d) => d.state === 'paused' && d.canaryWeight === 50);
    await act(t, id, 'promote');
    await until(t, id, (d) => d.state === 'succeeded');
    const weights = api
      .patches(ROUTE_PATH)
      .map((p) => (p.body as { spec: { rules: Array<{ backendRefs: Array<{ name: string; weight: number }> }> } }).spec.rules[1]!.backendRefs.map((r) => `${r.name} ${r.weight}`).join(', '));
    expect(weights).toEqual(['nexus-backend-stable 90, nexus-backend-canary 10', 'nexus-backend-stable 50, nexus-backend-canary 50', 'nexus-backend-canary 100']);
  });

  const blueGreen = (extra: Record<string, unknown> = {}) => ({
    service: SERVICE,
    version: 'v2',
    upstream: 'green',
    image: IMAGE,
    router: 'istio',
    strategy: 'blue-green',
    stable: { version: 'v1', upstream: 'blue' },
    ...extra,
  });
  const putColours = () => {
    api.put(VS_PATH, virtualService([{ subset: 'blue', weight: 100 }]));
    api.put(deploymentPath('nexus-backend-blue'), k8sDeployment('nexus-backend-blue', [{ name: SERVICE, image: 'nexus-platform/backend:1.4.1' }], 3));
    api.put(deploymentPath('nexus-backend-green'), k8sDeployment('nexus-backend-green', [{ name: SERVICE, image: 'nexus-platform/backend:1.4.1' }], 3));
  };
  const healthStep = (d: { steps: Array<{ kind: string; state: string; message: string | null }> }) => d.steps.find((s) => s.kind === 'healthCheck')!;

  it('blue-green without a health URL: the new colour is brought up and waited for before the switch, and the step says HTTP checks were skipped', async () => {
    putColours();
    const id = await start(blueGreen({ blueGreen: { scaleDownDelaySeconds: 1 } }));
    const done = await until(t, id, (d) => d.state === 'succeeded');
    expect(healthStep(done)).toMatchObject({ state: 'succeeded', message: 'health: Deployment nexus-backend-green ready 3/3; no health URL given, HTTP checks skipped' });
    expect(done.timeline.map((e) => e.summary)).toContain('Step 0 (healthCheck) succeeded: health: Deployment nexus-backend-green ready 3/3; no health URL given, HTTP checks skipped');
    // The image went on green (and green was ready) before any traffic moved; blue went to 0 after the delay.
    const green = deploymentPath('nexus-backend-green');
    const patches = api.patches().map((p) => p.path);
    expect(patches).toEqual([green, VS_PATH, VS_PATH, deploymentPath('nexus-backend-blue')]);
    expect(api.get(green)!.spec).toMatchObject({ template: { spec: { containers: [{ name: SERVICE, image: IMAGE }] } } });
    expect(istioWeights()).toEqual(['blue 0, green 100', 'green 100']);
  });

  it('blue-green with a health URL: /health and /api/health asked there; a colour that does not answer fails the deployment and blue keeps the traffic', async () => {
    const v2 = await startVersion('v2');
    try {
      putColours();
      const id = await start(blueGreen({ blueGreen: { scaleDownDelaySeconds: 1, healthUrl: `http://${v2.address}/` } }));
      const done = await until(t, id, (d) => d.state === 'succeeded');
      expect(healthStep(done).message).toBe(`health: Deployment nexus-backend-green ready 3/3; http://${v2.address} /health and /api/health answered 2xx`);
    } finally {
      await v2.close();
    }

    api.reset();
    putColours();
    const id = await start(blueGreen({ version: 'v3', blueGreen: { healthUrl: 'http://127.0.0.1:1', healthTimeoutSeconds: 1 } }));
    const failed = await until(t, id, (d) => d.state === 'failed');
    expect(failed.reason).toMatch(/^health check of v3 failed for 1 s: \/health: /);
    // The abort's "all on blue" only adds NEXUS's annotation to a route that already had it: green never got traffic.
    expect(istioWeights()).toEqual(['blue 100']);
    expect(api.get(VS_PATH)!.spec).toEqual(virtualService([{ subset: 'blue', weight: 100 }]).spec);
  });

  it('refuses a health URL that is not http(s), carries credentials or a query, with a 400 naming the field', async () => {
    for (const healthUrl of ['ftp://green.svc:21', 'http://admin:secret@green.svc:8000', 'http://green.svc:8000/?token=x', 'http://', 'http://green svc']) {
      const res = await t.inject({ method: 'POST', url: '/api/v1/deployments', headers: bearer(t.tokens.operator), payload: blueGreen({ blueGreen: { healthUrl } }) });
      expect(res.statusCode, healthUrl).toBe(400);
      const message = json<{ error: { message: string } }>(res).error.message;
      expect(message, healthUrl).toMatch(/healthUrl/);
      expect(message).not.toContain('secret');
    }
    expect(api.patches()).toEqual([]);
  });

  it('refuses an upstream the router cannot route to, with a 400 naming it', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: bearer(t.tokens.operator),
      payload: { service: SERVICE, version: 'v9', upstream: '10.0.0.1:80', router: 'istio', stable: { version: 'v1', upstream: 'stable' } },
    });
    expect(res.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(res).error.message).toMatch(/subset/);
    const gw = await t.inject({
      method: 'POST',
      url: '/api/v1/deployments',
      headers: bearer(t.tokens.operator),
      payload: { service: SERVICE, version: 'v9', upstream: 'canary', router: 'gateway-api', stable: { version: 'v1', upstream: 'nexus-backend-stable:8080' } },
    });
    expect(gw.statusCode).toBe(400);
    expect(json<{ error: { message: string } }>(gw).error.message).toMatch(/name:port/);
  });
});
