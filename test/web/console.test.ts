import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceRouteDeclarations, type RegisteredRoute } from '../../src/platform/auth/access.js';
import { consoleRoutes } from '../../src/platform/http/console.js';
import { installErrorHandling } from '../../src/platform/http/errors.js';

/**
 * The console routes on a bare Fastify app with NEXUS's route declarations
 * and error handling, over a stand-in `web/dist`: what a browser gets for
 * pages, assets, deep links and API typos.
 */

const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';
const ENTRY_JS = `console.log(${JSON.stringify('nexus '.repeat(200))});\n`;

async function writeFakeBuild(dir: string): Promise<void> {
  await fs.mkdir(path.join(dir, 'assets'), { recursive: true });
  await fs.mkdir(path.join(dir, '.vite'), { recursive: true });
  await fs.writeFile(path.join(dir, 'index.html'), INDEX_HTML);
  await fs.writeFile(path.join(dir, 'color-scheme.js'), 'void 0;\n');
  await fs.writeFile(path.join(dir, '.vite', 'manifest.json'), '{"secret":"build internals"}');
  await fs.writeFile(path.join(dir, 'assets', 'index-Ab12Cd34.js'), ENTRY_JS);
  await fs.writeFile(path.join(dir, 'assets', 'index-Ab12Cd34.js.gz'), zlib.gzipSync(ENTRY_JS));
  await fs.writeFile(path.join(dir, 'assets', 'index-Ab12Cd34.js.br'), zlib.brotliCompressSync(ENTRY_JS));
}

async function consoleApp(distDir: string): Promise<{ app: FastifyInstance; routes: RegisteredRoute[] }> {
  const app = Fastify();
  const routes: RegisteredRoute[] = [];
  enforceRouteDeclarations(app, routes);
  installErrorHandling(app);
  await app.register(consoleRoutes, { distDir });
  await app.ready();
  return { app, routes };
}

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-console-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('the built console', () => {
  let app: FastifyInstance;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    const dist = path.join(tmp, 'built');
    await writeFakeBuild(dist);
    ({ app, routes } = await consoleApp(dist));
  });
  afterAll(async () => app?.close());

  it('is one public GET route, kept out of the OpenAPI document', () => {
    expect(routes.map((r) => `${r.method} ${r.url} ${r.access}`)).toEqual(['GET /* public', 'HEAD /* public']);
    expect((routes[0]!.schema as { hide?: boolean }).hide).toBe(true);
  });

  it('answers / with index.html, revalidated on every load, with security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toEqual(expect.any(String));
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');

    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': res.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('answers deep links with index.html so the console router can render them after a reload', async () => {
    for (const url of ['/incidents/5b0f3f7e-8f43-4d4c-9d0b-1f1f7c9b8a11', '/runbooks/nexus-platform', '/admin/tokens?x=1', '/no/such/page']) {
      const res = await app.inject({ method: 'GET', url });
      expect(`${url} ${res.statusCode} ${res.body}`).toBe(`${url} 200 ${INDEX_HTML}`);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and serves them precompressed when the browser accepts it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(ENTRY_JS);
    expect(plain.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.vary).toBe('accept-encoding');

    const br = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(ENTRY_JS);

    const gzip = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.rawPayload).toString()).toBe(ENTRY_JS);
  });

  it('serves other files from the build, revalidated, but never hidden ones', async () => {
    const script = await app.inject({ method: 'GET', url: '/color-scheme.js' });
    expect(script.body).toBe('void 0;\n');
    expect(script.headers['cache-control']).toBe('no-cache');
    const manifest = await app.inject({ method: 'GET', url: '/.vite/manifest.json' });
    expect(manifest.body).toBe(INDEX_HTML);
  });

  it('answers a missing asset with a 404 in the API error shape, not with HTML', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-Gone0000.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /assets/index-Gone0000.js' } });
  });

  it('leaves unknown API, health and metrics paths to the API: a JSON 404', async () => {
    for (const url of ['/api', '/api/v1/no-such-thing', '/api/v2/incidents', '/health/deep', '/metrics/x']) {
      const res = await app.inject({ method: 'GET', url });
      expect(`${url} ${res.statusCode} ${res.headers['content-type']}`).toBe(`${url} 404 application/json; charset=utf-8`);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('never serves a file outside the build', async () => {
    for (const url of [
      '/../package.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e/index.html',
      '/assets/..%5c..%5cindex.html',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode === 404 || res.body === INDEX_HTML, `${url} -> ${res.statusCode} ${res.body.slice(0, 80)}`).toBe(true);
      expect(res.body).not.toContain('"name"');
    }
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/incidents/x' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });
});

describe('before the console is built', () => {
  it('says how to build it (503), and serves it once built, without a restart', async () => {
    const dist = path.join(tmp, 'later');
    const { app } = await consoleApp(dist);
    try {
      const before = await app.inject({ method: 'GET', url: '/' });
      expect(before.statusCode).toBe(503);
      expect(before.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(before.body).toContain('npm run web:build');
      expect(before.body).toContain('npm run dev');
      const api = await app.inject({ method: 'GET', url: '/api/v1/nothing' });
      expect(api.statusCode).toBe(404);

      await writeFakeBuild(dist);
      const after = await app.inject({ method: 'GET', url: '/' });
      expect(after.statusCode).toBe(200);
      expect(after.body).toBe(INDEX_HTML);
    } finally {
      await app.close();
    }
  });
});
