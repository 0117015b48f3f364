import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRole } from '../auth/roles.js';
import { installErrorHandling } from '../http/errors.js';
import { createLogger } from '../logger.js';
import { createEventBus, EVENTS_GAP_TYPE, type DomainEvent, type EventBus } from './index.js';
import { eventRoutes } from './routes.js';

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

/** A minimal EventSource-style reader over node:http, so the test sees exactly the bytes a browser would. */
class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  raw = '';
  ended = false;
  private pending = '';
  private fields: { id?: string; event?: string; data: string[] } = { data: [] };

  private constructor(
    readonly response: http.IncomingMessage,
    private readonly request: http.ClientRequest,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.feed(chunk));
    response.on('end', () => (this.ended = true));
    response.on('close', () => (this.ended = true));
  }

  static connect(url: string, headers: Record<string, string>): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
      request.on('response', (response) => resolve(new SseClient(response, request)));
      request.on('error', reject);
    });
  }

  private feed(chunk: string) {
    this.raw += chunk;
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  private line(line: string) {
    if (line === '') {
      if (this.fields.data.length > 0) {
        this.messages.push({ id: this.fields.id, event: this.fields.event ?? 'message', data: this.fields.data.join('\n') });
      }
      this.fields = { data: [] };
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1).trim());
      return;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') this.fields.data.push(value);
    else if (name === 'id') this.fields.id = value;
    else if (name === 'event') this.fields.event = value;
  }

  events(type?: string): SseMessage[] {
    return this.messages.filter((message) => type === undefined || message.event === type);
  }

  waitFor(type: string): Promise<void> {
    return waitUntil(() => this.messages.some((message) => message.event === type), `SSE event "${type}"`);
  }

  close() {
    this.request.destroy();
  }
}

/** The real bus, counting live subscriptions so the test can see the route let go of them. */
function countingBus(bus: EventBus) {
  const extra = new Set<(event: DomainEvent) => void>();
  let active = 0;
  const wrapped: EventBus = {
    ...bus,
    subscribe(handler) {
      const unsubscribe = bus.subscribe(handler);
      extra.add(handler);
      active++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        active--;
        extra.delete(handler);
        unsubscribe();
      };
    },
  };
  return {
    bus: wrapped,
    active: () => active,
    /** What the bus does when Redis lost messages; it never arrives through publish(). */
    announceGap: (id: string) => {
      const gap: DomainEvent = { id, type: EVENTS_GAP_TYPE, at: new Date().toISOString(), minRole: 'viewer', data: {} };
      for (const handler of extra) handler(gap);
    },
  };
}

/** Stand-in for the real auth plugin (not written yet): the role comes from a test header. */
function installTestAuth(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', 'test-request-1');
    const access = request.routeOptions.config?.access;
    if (!access || access === 'public') return;
    const role = request.headers['x-test-role'];
    if (!isRole(role)) return reply.code(401).send({ error: { code: 'unauthenticated', message: 'no role' } });
    request.principal = { userId: `u-${role}`, username: role, role, via: 'session' };
  });
}

let bus: EventBus;
let counting: ReturnType<typeof countingBus>;
let app: FastifyInstance;
let base: string;
const clients: SseClient[] = [];

async function startApp(options: { auth?: boolean; maxBufferedBytes?: number; maxStreamsPerUser?: number; maxStreams?: number } = {}) {
  app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandling(app);
  if (options.auth !== false) installTestAuth(app);
  const { maxBufferedBytes, maxStreamsPerUser, maxStreams } = options;
  await app.register(eventRoutes, { bus: counting.bus, heartbeatMs: 40, maxBufferedBytes, maxStreamsPerUser, maxStreams });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function connect(role: string, query = '', headers: Record<string, string> = {}) {
  const client = await SseClient.connect(`${base}/api/v1/events${query}`, { 'x-test-role': role, ...headers });
  clients.push(client);
  if (client.response.statusCode === 200) await waitUntil(() => client.comments.includes('connected'), 'connected');
  return client;
}

beforeEach(() => {
  bus = createEventBus({ logger: createLogger('silent') });
  counting = countingBus(bus);
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.close();
  await app.close();
  await bus.close();
});

describe('GET /api/v1/events', () => {
  it('streams events as id/event/data lines after the retry hint and a connected comment', async () => {
    await startApp();
    const client = await connect('viewer');
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['cache-control']).toBe('no-cache');
    expect(client.response.headers['x-accel-buffering']).toBe('no');
    expect(client.response.headers['x-request-id']).toBe('test-request-1');
    expect(client.raw.startsWith('retry: 3000\n: connected\n\n')).toBe(true);

    const event = bus.publish('incident.created', { id: 'inc-7', title: 'line one\nline two' });
    await client.waitFor('incident.created');
    expect(client.events('incident.created')).toEqual([
      {
        id: event.id,
        event: 'incident.created',
        data: JSON.stringify({ id: event.id, type: 'incident.created', at: event.at, data: event.data }),
      },
    ]);
  });

  it("sends a viewer only the events its role may see, and an admin all of them", async () => {
    await startApp();
    const viewer = await connect('viewer');
    const admin = await connect('admin');
    bus.publish('user.created', { username: 'eve' }, { minRole: 'admin' });
    bus.publish('run.step.output', { line: 'ok' }, { minRole: 'responder' });
    bus.publish('incident.created', { id: 'inc-1' });
    await viewer.waitFor('incident.created');
    await admin.waitFor('incident.created');
    expect(viewer.messages.map((m) => m.event)).toEqual(['incident.created']);
    expect(admin.messages.map((m) => m.event)).toEqual(['user.created', 'run.step.output', 'incident.created']);
  });

  it('filters by the comma-separated type prefixes in ?types=', async () => {
    await startApp();
    const client = await connect('admin', '?types=user.,%20audit.');
    for (const type of ['incident.created', 'user.created', 'users.x', 'audit.recorded', 'token.created', 'audit.done']) {
      bus.publish(type, null);
    }
    await client.waitFor('audit.done');
    expect(client.messages.map((m) => m.event)).toEqual(['user.created', 'audit.recorded', 'audit.done']);
  });

  it('sends heartbeat comments while nothing happens', async () => {
    await startApp();
    const client = await connect('viewer');
    await waitUntil(() => client.comments.filter((c) => c === 'heartbeat').length >= 2, 'two heartbeats');
  });

  it('replays what the client missed after Last-Event-ID, filtered like live events, then goes live', async () => {
    await startApp();
    const first = bus.publish('incident.created', { n: 1 });
    bus.publish('incident.acknowledged', { n: 2 });
    bus.publish('user.created', { n: 3 }, { minRole: 'admin' });
    bus.publish('incident.resolved', { n: 4 });
    const client = await connect('viewer', '', { 'last-event-id': first.id });
    bus.publish('incident.closed', { n: 5 });
    await client.waitFor('incident.closed');
    expect(client.messages.map((m) => m.event)).toEqual(['incident.acknowledged', 'incident.resolved', 'incident.closed']);
  });

  it('sends event: reset when Last-Event-ID is unknown, so the client refetches', async () => {
    await startApp();
    bus.publish('incident.created', null);
    const client = await connect('viewer', '', { 'last-event-id': '00zzzzzzz-0000-000000000000' });
    await client.waitFor('reset');
    expect(JSON.parse(client.events('reset')[0]!.data)).toEqual({ reason: 'unknown-last-event-id' });
    expect(client.events('incident.created')).toEqual([]);
  });

  it('turns a gap announced by the bus into event: reset on every stream, whatever its type filter', async () => {
    await startApp();
    const filtered = await connect('viewer', '?types=deployment.');
    counting.announceGap('00zzzzzzz-0001-000000000000');
    await filtered.waitFor('reset');
    expect(filtered.events('reset')[0]!.id).toBe('00zzzzzzz-0001-000000000000');
  });

  it('drops the subscription and heartbeat timer of a client that disconnects', async () => {
    await startApp();
    const started = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    const heartbeatTimers = () => started.mock.calls.flatMap((call, n) => (call[1] === 40 ? [started.mock.results[n]!.value] : []));
    const leaving = await connect('viewer');
    const staying = await connect('viewer');
    const [leavingTimer, stayingTimer] = heartbeatTimers();
    expect(heartbeatTimers()).toHaveLength(2);
    expect(counting.active()).toBe(2);

    leaving.close();
    await waitUntil(() => counting.active() === 1, 'the subscription of the leaving client to go');
    const clearedTimers = cleared.mock.calls.map((call) => call[0]);
    expect(clearedTimers).toContain(leavingTimer);
    expect(clearedTimers).not.toContain(stayingTimer);
    bus.publish('incident.created', null);
    await staying.waitFor('incident.created');
  });

  it('lets app.close() finish while a client is still connected, ending its stream', async () => {
    await startApp();
    const client = await connect('viewer');
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('hung'), 5000)));
    expect(await Promise.race([app.close().then(() => 'closed'), hung])).toBe('closed');
    clearTimeout(timer);
    await waitUntil(() => client.ended, 'the client to see the stream end');
    expect(counting.active()).toBe(0);
  });

  it('cuts off a client that stops reading instead of buffering for it without bound', async () => {
    await startApp({ maxBufferedBytes: 256 * 1024 });
    const stalled = await connect('viewer');
    stalled.response.pause();
    const chunk = 'x'.repeat(64 * 1024);
    for (let n = 0; n < 2000 && counting.active() > 0; n++) {
      bus.publish('run.step.output', { chunk });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(counting.active()).toBe(0);
  });

  it('never opens a stream for a request that reached it without a principal', async () => {
    await startApp({ auth: false });
    const response = await fetch(`${base}/api/v1/events`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).not.toMatch(/event-stream/);
    expect(counting.active()).toBe(0);
  });

  // Issue 14, defect 5: one viewer token opened 20,000 streams and the server stopped answering.
  it("refuses one user's stream beyond the per-user cap with a 429, and gives the slot back when one closes", async () => {
    await startApp({ maxStreamsPerUser: 3 });
    const streams = [await connect('viewer'), await connect('viewer'), await connect('viewer')];
    const refused = await connect('viewer');
    expect(refused.response.statusCode).toBe(429);
    await waitUntil(() => refused.ended, 'the refused response to end');
    expect(JSON.parse(refused.raw)).toEqual({
      error: {
        code: 'limit_reached',
        message: 'You already have 3 live-event streams open; the limit is 3 per user: close one first',
        details: { limit: 3 },
      },
    });
    expect(counting.active()).toBe(3);
    // Another user is not held back by this one's streams.
    expect((await connect('admin')).response.statusCode).toBe(200);

    streams[0]!.close();
    await waitUntil(() => counting.active() === 3, "the closed stream's subscription to go");
    const again = await connect('viewer');
    expect(again.response.statusCode).toBe(200);
  });

  it('refuses a stream beyond the global cap with a 429, whoever asks', async () => {
    await startApp({ maxStreamsPerUser: 10, maxStreams: 2 });
    await connect('viewer');
    await connect('responder');
    const refused = await connect('admin');
    expect(refused.response.statusCode).toBe(429);
    await waitUntil(() => refused.ended, 'the refused response to end');
    expect(JSON.parse(refused.raw).error.message).toBe('The server has 2 live-event streams open, its limit: try again later');
    expect(counting.active()).toBe(2);
  });

  it('answers 401 through the auth hook without a role and never subscribes', async () => {
    await startApp();
    const client = await connect('nobody');
    expect(client.response.statusCode).toBe(401);
    expect(counting.active()).toBe(0);
  });
});
