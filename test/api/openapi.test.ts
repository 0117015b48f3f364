import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ name: string; in: string }> }>>;
}

describe('the OpenAPI document at /api/docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('documents every API route, generated from the route schemas', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApi;
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const apiRoutes = t.server.routes
      // The console's catch-all (GET /*) serves files, not an API: hidden from the document on purpose.
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs') && r.url !== '/metrics' && r.url !== '/*')
      .map((r) => `${r.method} ${r.url}`);
    expect(documented.sort()).toEqual(apiRoutes.sort());
    expect(doc.paths['/api/v1/users']!.post!.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/audit']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['actor', 'action', 'since', 'until', 'limit', 'cursor']),
    );
  });

  it('serves the interactive documentation page', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger');
  });
});
