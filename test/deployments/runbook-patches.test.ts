import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IstioRouter } from '../../src/deployments/kubernetes.js';
import { loadKubeConfig } from '../../src/platform/kubernetes.js';
import { BUILTIN_RUNBOOKS_DIR } from '../../src/runbooks/library/service.js';
import { createLogger } from '../../src/platform/logger.js';
import { FakeKubeApi } from './fake-kube.js';

type Route = { destination: Record<string, unknown>; weight?: number } & Record<string, unknown>;
type Patch = { spec: { http: Array<{ route: Route[] }> } };

/** Every `kubectl patch virtualservice` line of the built-in runbook, with its -p body. */
async function virtualServicePatches(): Promise<Array<{ line: string; body: Patch }>> {
  const text = await fs.readFile(path.join(BUILTIN_RUNBOOKS_DIR, 'nexus-platform.md'), 'utf8');
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^kubectl patch (virtualservice|vs)\b/.test(line))
    .map((line) => {
      const body = /\s-p '([^']*)'/.exec(line)?.[1];
      if (body === undefined) throw new Error(`no -p '…' body in: ${line}`);
      return { line, body: JSON.parse(body) as Patch };
    });
}

describe("the built-in runbook's VirtualService patches", () => {
  let api: FakeKubeApi;
  beforeAll(async () => {
    api = await FakeKubeApi.start();
  });
  afterAll(async () => api?.close());

  it('are merge patches (a custom resource refuses strategic merge) with each weight beside its destination, summing to 100', async () => {
    const patches = await virtualServicePatches();
    // Blue-green: switch and switch back; canary: 10, 25, 50, 100.
    expect(patches).toHaveLength(6);
    for (const { line, body } of patches) {
      expect(line, line).toMatch(/ --type merge /);
      const routes = body.spec.http.flatMap((h) => h.route);
      expect(routes.length, line).toBeGreaterThan(0);
      for (const route of routes) {
        expect(Object.keys(route).sort(), line).toEqual(route.weight === undefined ? ['destination'] : ['destination', 'weight']);
        expect(Object.keys(route.destination).sort(), line).toEqual(['host', 'subset']);
      }
      const weights = routes.map((r) => r.weight);
      if (routes.length > 1) expect(weights.reduce((a = 0, b = 0) => a + b, 0), line).toBe(100);
    }
  });

  it("say what NEXUS's Istio router sends for the same split", async () => {
    const router = new IstioRouter(
      {
        routers: ['istio'],
        kubeconfig: api.kubeconfigPath,
        namespace: 'nexus-platform',
        virtualService: 'nexus-platform',
        httpRoute: undefined,
        deploymentName: '{service}-{upstream}',
        conflictRetries: 0,
        readyTimeoutSeconds: 1,
      },
      loadKubeConfig(api.kubeconfigPath),
      createLogger('silent'),
    );
    const path = '/apis/networking.istio.io/v1beta1/namespaces/nexus-platform/virtualservices/nexus-platform';
    for (const { line, body } of (await virtualServicePatches()).filter((p) => p.body.spec.http[0]!.route.some((r) => r.weight !== undefined))) {
      api.reset();
      api.put(path, { metadata: { name: 'nexus-platform' }, spec: { http: [{ route: [{ destination: { host: 'nexus-backend', subset: 'nothing-yet' } }] }] } });
      const routes = body.spec.http[0]!.route;
      await router.apply(
        'nexus-backend',
        routes.map((r) => ({ version: String(r.destination.subset), upstream: String(r.destination.subset), weight: r.weight ?? 100 })),
      );
      const sent = api.patches(path)[0]!.body as Patch;
      expect(sent.spec, line).toEqual(body.spec);
    }
  });
});
