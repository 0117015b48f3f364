import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApiClient, errorMessage, unwrap } from '../../web/src/api/client.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/app.js';

/** The console's API client against a real NEXUS: data, errors in the server's words, and the end of a session. */
describe('the console API client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { start: { listen: true } });
  });
  afterAll(async () => t?.close());

  function client(token: string | null) {
    let unauthorized = 0;
    const api = createApiClient({ baseUrl: t.server.url, getToken: () => token, onUnauthorized: () => unauthorized++ });
    return { api, unauthorized: () => unauthorized };
  }

  async function failure(pending: Promise<unknown>): Promise<ApiError> {
    const error = await pending.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }

  it('sends the session token and returns the typed body', async () => {
    const { api } = client(t.tokens.operator);
    const me = await unwrap(api.GET('/api/v1/me'));
    expect(me.user.username).toBe('operator-user');
    expect(me.role).toBe('operator');
  });

  it('signs in without a token, and a wrong password is an error in words that ends no session', async () => {
    const { api, unauthorized } = client(null);
    const ok = await unwrap(api.POST('/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } }));
    expect(ok.user.role).toBe('admin');
    const error = await failure(unwrap(api.POST('/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-password' } })));
    expect([error.status, error.code, error.message]).toEqual([401, 'unauthenticated', 'Unknown username or wrong password']);
    expect(unauthorized()).toBe(0);
  });

  it('turns the server error body into an ApiError with its code, message and details', async () => {
    const { api } = client(t.tokens.viewer);
    const id = '5b0f3f7e-8f43-4d4c-9d0b-1f1f7c9b8a11';
    const missing = await failure(unwrap(api.GET('/api/v1/incidents/{id}', { params: { path: { id } } })));
    expect([missing.status, missing.code, missing.message]).toEqual([404, 'not_found', `incident "${id}" does not exist`]);
    expect(missing.isClientError).toBe(true);
    expect(missing.requestId).toEqual(expect.any(String));

    const forbidden = await failure(unwrap(api.GET('/api/v1/audit')));
    expect([forbidden.status, forbidden.code]).toEqual([403, 'forbidden']);
    expect(errorMessage(forbidden)).toBe('This needs the admin role or higher; you are viewer');
    expect(forbidden.details).toEqual({ required: 'admin', actual: 'viewer' });

    const invalid = await failure(unwrap(api.GET('/api/v1/incidents', { params: { query: { limit: 0 } } })));
    expect([invalid.status, invalid.code]).toEqual([400, 'validation_failed']);
    expect(invalid.message).toMatch(/^Invalid request: querystring\/limit /);
  });

  it('reports a refused token once per refusal, so the console can end the session', async () => {
    const { api, unauthorized } = client('expired-or-revoked');
    const error = await failure(unwrap(api.GET('/api/v1/me')));
    expect([error.status, error.message]).toEqual([401, 'Token is invalid, expired or revoked']);
    expect(unauthorized()).toBe(1);
  });

  it('says the server cannot be reached when nothing answers', async () => {
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 'x', onUnauthorized: () => {} });
    const error = await failure(unwrap(api.GET('/api/v1/me')));
    expect([error.status, error.code]).toEqual([0, 'network']);
    expect(errorMessage(error)).toBe('Could not reach the NEXUS server. Check the network connection and try again.');
  });

  it('words an answer that is not NEXUS’s error shape (a proxy in between) by its status', async () => {
    const proxy = http.createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const api = createApiClient({ baseUrl: `http://127.0.0.1:${port}`, getToken: () => null, onUnauthorized: () => {} });
      const error = await failure(unwrap(api.GET('/api/v1/me')));
      expect([error.status, error.code, error.message]).toEqual([502, 'http_502', 'The server answered 502 Bad Gateway']);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
