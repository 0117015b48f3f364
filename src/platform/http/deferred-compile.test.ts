import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deferCompiles } from './deferred-compile.js';
import { installValidation } from './validation.js';

const apps: Array<ReturnType<typeof Fastify>> = [];
function newApp() {
  const app = Fastify();
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('route schemas compile when first needed, not while the app starts', () => {
  it('a deferred schema is built at its first use, and only once', async () => {
    const app = newApp();
    let built = 0;
    const compiled = deferCompiles(app).defer(() => ++built);
    await app.ready();
    expect(built).toBe(0);
    expect(compiled()).toBe(1);
    expect(compiled()).toBe(1);
    expect(built).toBe(1);
  });

  it('once the server listens, every schema still pending is built without a request', async () => {
    const app = newApp();
    const compiles = deferCompiles(app);
    const built: string[] = [];
    for (const name of ['a', 'b', 'c']) compiles.defer(() => built.push(name));
    await app.listen({ host: '127.0.0.1', port: 0 });
    await vi.waitFor(() => expect(built).toEqual(['a', 'b', 'c']));
  });

  it('routes answer as with compilers built at start: invalid input refused, undeclared fields left out', async () => {
    const app = newApp();
    installValidation(app);
    app.post(
      '/items/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
          body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
          response: { 200: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } },
        },
      },
      async (request) => ({ ...(request.body as object), id: (request.params as { id: number }).id, secret: 'not in the schema' }),
    );
    await app.ready();

    const ok = await app.inject({ method: 'POST', url: '/items/7', payload: { name: 'disk' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('{"id":7,"name":"disk"}');
    const badBody = await app.inject({ method: 'POST', url: '/items/7', payload: { name: 1, extra: true } });
    expect(badBody.statusCode).toBe(400);
    const badParam = await app.inject({ method: 'POST', url: '/items/seven', payload: { name: 'disk' } });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json()).toMatchObject({ message: 'params/id must be integer' });
  });
});
