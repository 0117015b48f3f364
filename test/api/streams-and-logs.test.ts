import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { ADMIN_PASSWORD, bearer, createTestApp, json, type TestApp } from '../support/app.js';

/** Reads an SSE response until it ends; resolves with everything received. */
async function readUntilEnd(res: Response, timeoutMs: number): Promise<{ text: string; ended: boolean }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now()))),
    ]);
    if (chunk === null) break;
    if (chunk.done) return { text, ended: true };
    text += chunk.value;
  }
  await reader.cancel();
  return { text, ended: false };
}

describe('live streams and logs keep secrets and rights in step', () => {
  let t: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await createTestApp('pglite', { start: { listen: true, logger: createLogger('info', sink) } });
  });
  afterAll(async () => t?.close());

  const newToken = async (role: 'viewer' | 'operator', from = t.tokens.operator) =>
    json<{ token: string; info: { id: string } }>(
      await t.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(from), payload: { name: `sse-${role}`, role } }),
    );

  it('an SSE stream opened with ?access_token= works, and the token never reaches the log', async () => {
    const { token } = await newToken('viewer');
    const controller = new AbortController();
    const res = await fetch(`${t.server.url}/api/v1/events?access_token=${token}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    controller.abort();
    await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    const log = lines.join('');
    expect(log).toContain('/api/v1/events?access_token=[redacted]');
    expect(log).not.toContain(token);
    expect(log).not.toContain(ADMIN_PASSWORD);
    expect(log).not.toContain(t.tokens.admin);
  });

  it('revoking the token a stream was opened with ends the stream', async () => {
    const { token, info } = await newToken('viewer');
    const res = await fetch(`${t.server.url}/api/v1/events`, { headers: bearer(token) });
    expect(res.status).toBe(200);
    const reading = readUntilEnd(res, 10_000);
    await t.inject({ method: 'DELETE', url: `/api/v1/tokens/${info.id}`, headers: bearer(t.tokens.operator) });
    expect((await reading).ended).toBe(true);
    const again = await fetch(`${t.server.url}/api/v1/events`, { headers: bearer(token) });
    expect(again.status).toBe(401);
  });

  it('disabling a user ends their open streams; other users\' streams go on', async () => {
    const created = json<{ id: string }>(
      await t.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(t.tokens.admin), payload: { username: 'streamer', password: 'streamer-password', role: 'viewer' } }),
    );
    const login = json<{ token: string }>(
      await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'streamer', password: 'streamer-password' } }),
    );
    const theirs = await fetch(`${t.server.url}/api/v1/events`, { headers: bearer(login.token) });
    const others = await fetch(`${t.server.url}/api/v1/events`, { headers: bearer(t.tokens.viewer) });
    const theirsRead = readUntilEnd(theirs, 10_000);
    const othersRead = readUntilEnd(others, 1500);
    await t.inject({ method: 'PATCH', url: `/api/v1/users/${created.id}`, headers: bearer(t.tokens.admin), payload: { disabled: true } });
    expect((await theirsRead).ended).toBe(true);
    expect((await othersRead).ended).toBe(false);
  });
});
