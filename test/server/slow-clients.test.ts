import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Issue 14, defect 5: 21,000 unauthenticated `POST /api/v1/auth/login` with a
 * Content-Length of 100,000 and one byte every 5 s took every descriptor, and
 * `/health` stopped answering. Now the server cuts such a client off (408) once
 * NEXUS_HTTP_REQUEST_TIMEOUT_SECONDS have passed, and caps connections.
 */

interface SlowClient {
  socket: net.Socket;
  received: string;
  closed: Promise<void>;
}

/** A raw connection that sends `head`, then one byte every 5 s, as the attack did. */
function slowClient(port: number, head: string): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const client: SlowClient = { socket, received: '', closed: new Promise((done) => socket.once('close', () => done())) };
    const drip = setInterval(() => socket.writable && socket.write('a'), 5000);
    socket.once('close', () => clearInterval(drip));
    socket.on('data', (chunk) => (client.received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(head);
      resolve(client);
    });
    socket.once('error', reject);
  });
}

/** A raw connection that sends nothing at all. */
function silentClient(port: number): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const client: SlowClient = { socket, received: '', closed: new Promise((done) => socket.once('close', () => done())) };
    socket.on('data', (chunk) => (client.received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.once('connect', () => resolve(client));
    socket.once('error', reject);
  });
}

const slowBody = (port: number) =>
  slowClient(port, `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`);
const slowHeaders = (port: number) => slowClient(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `);

async function health(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/health`);
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

describe('slow clients', () => {
  let t: TestApp;
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    t = await createTestApp('pglite', {
      env: {
        NEXUS_HTTP_REQUEST_TIMEOUT_SECONDS: '2',
        NEXUS_HTTP_HEADERS_TIMEOUT_SECONDS: '1',
        NEXUS_HTTP_TIMEOUT_CHECK_MS: '250',
        NEXUS_HTTP_MAX_CONNECTIONS: '64',
        NEXUS_EVENTS_MAX_STREAMS_PER_USER: '5',
      },
      start: { listen: true, builtinRunbooksDir: null },
    });
  });
  afterAll(async () => {
    for (const client of clients) client.socket.destroy();
    await t?.close();
  });

  const port = () => Number(new URL(t.server.url).port);

  it('cuts off slow-body and slow-header clients with a 408, and /health answers while they are open', async () => {
    const bodies = await Promise.all(Array.from({ length: 40 }, () => slowBody(port())));
    const headers = await Promise.all(Array.from({ length: 10 }, () => slowHeaders(port())));
    clients.push(...bodies, ...headers);

    const during = await health(t.server.url);
    console.log(`/health with ${bodies.length + headers.length} slow clients open: ${during.status} in ${during.ms.toFixed(1)} ms`);
    expect(during.status).toBe(200);
    expect(clients.every((c) => !c.socket.destroyed)).toBe(true);

    // Event-based: every one is closed by the server (the test's own timeout is the bound).
    await Promise.all([...bodies, ...headers].map((c) => c.closed));
    for (const client of [...bodies, ...headers]) expect(client.received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect((await health(t.server.url)).status).toBe(200);
  });

  it('closes connections beyond NEXUS_HTTP_MAX_CONNECTIONS on arrival, and serves again once the slow ones are cut off', async () => {
    const held = await Promise.all(Array.from({ length: 64 }, () => slowHeaders(port())));
    clients.push(...held);
    const extra = await slowHeaders(port());
    clients.push(extra);
    await extra.closed;
    expect(extra.received).toBe('');

    await Promise.all(held.map((c) => c.closed));
    expect((await health(t.server.url)).status).toBe(200);
  });

  it('cuts off clients that connect and never send a byte, so they cannot hold every slot', async () => {
    // Silent sockets: the cheapest way to fill NEXUS_HTTP_MAX_CONNECTIONS; the header timeout runs from the connection.
    const silent = await Promise.all(Array.from({ length: 32 }, () => silentClient(port())));
    clients.push(...silent);
    await Promise.all(silent.map((c) => c.closed));
    for (const client of silent) expect(client.received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect((await health(t.server.url)).status).toBe(200);
  });

  // The second variant: one viewer token opened 20,000 GET /api/v1/events streams.
  it("refuses one viewer token's stream beyond NEXUS_EVENTS_MAX_STREAMS_PER_USER with a 429, and /health answers", async () => {
    const controllers: AbortController[] = [];
    const open = async () => {
      const controller = new AbortController();
      controllers.push(controller);
      return fetch(`${t.server.url}/api/v1/events`, { headers: { authorization: `Bearer ${t.tokens.viewer}` }, signal: controller.signal });
    };
    try {
      for (let n = 0; n < 5; n++) expect((await open()).status).toBe(200);
      const refused = await open();
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
        'You already have 5 live-event streams open; the limit is 5 per user: close one first',
      );
      expect((await health(t.server.url)).status).toBe(200);

      // A closed stream gives its slot back (the server sees the disconnect, then counts one fewer).
      controllers[0]!.abort();
      let again = await open();
      while (again.status === 429) {
        await again.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 50));
        again = await open();
      }
      expect(again.status).toBe(200);
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });
});
