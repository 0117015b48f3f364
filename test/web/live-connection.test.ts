import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSseParser, openLiveConnection, type ConnectionState, type LiveConnection, type ServerEvent, type SseMessage } from '../../web/src/live/sse.js';
import { bearer, createTestApp, login, type TestApp } from '../support/app.js';
import { startCuttableProxy, type CuttableProxy } from '../support/proxy.js';

/** Polls a condition with a deadline; the deadline only bounds a failure, it never decides a pass. */
async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the event-stream parser', () => {
  const parse = (chunks: string[]) => {
    const messages: SseMessage[] = [];
    const parser = createSseParser((message) => messages.push(message));
    for (const chunk of chunks) parser.push(chunk);
    return messages;
  };
  const stream = 'retry: 3000\n: connected\n\nid: 1\nevent: incident.created\ndata: {"a":1}\n\n: heartbeat\n\nevent: reset\ndata: {"reason":"x"}\n\n';
  const expected = [
    { id: '1', event: 'incident.created', data: '{"a":1}' },
    { id: undefined, event: 'reset', data: '{"reason":"x"}' },
  ];

  it('reads what the NEXUS server writes, however the bytes are split', () => {
    expect(parse([stream])).toEqual(expected);
    expect(parse([...stream])).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut++) expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(expected);
  });

  it('follows the format: CRLF and CR line ends, multi-line data, default event name, a leading BOM, no space after the colon', () => {
    expect(parse(['\uFEFFdata: one\r\ndata:two\r', '\n\r\nid:7\revent:x\rdata\r\r'])).toEqual([
      { id: undefined, event: 'message', data: 'one\ntwo' },
      { id: '7', event: 'x', data: '' },
    ]);
  });

  it('dispatches nothing for a block without data, and nothing for an unfinished block', () => {
    expect(parse(['event: lonely\n\n', 'data: not yet finished\n'])).toEqual([]);
  });
});

describe('the console live connection, against a real NEXUS', () => {
  let t: TestApp;
  let proxy: CuttableProxy;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp('pglite', { start: { listen: true } });
    const target = new URL(t.server.url);
    proxy = await startCuttableProxy(target.hostname, Number(target.port));
    url = `http://127.0.0.1:${proxy.port}/api/v1/events`;
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  function connect(token: string) {
    const events: ServerEvent[] = [];
    const states: ConnectionState[] = [];
    let resets = 0;
    let unauthorized = 0;
    const connection: LiveConnection = openLiveConnection({
      url,
      getToken: () => token,
      onEvent: (event) => events.push(event),
      onReset: () => resets++,
      onStateChange: (state) => states.push(state),
      onUnauthorized: () => unauthorized++,
      retryDelaysMs: [50, 100],
    });
    return {
      connection,
      events,
      states,
      resets: () => resets,
      unauthorized: () => unauthorized,
      typesSeen: () => events.map((event) => event.type),
    };
  }

  it('hears events as the server publishes them', async () => {
    const live = connect(t.tokens.viewer);
    try {
      await waitUntil(() => live.connection.state === 'connected', 'the stream to open');
      const published = t.server.bus.publish('incident.created', { id: 'inc-1', title: 'Database down' });
      await waitUntil(() => live.events.length > 0, 'the event');
      expect(live.events).toEqual([{ id: published.id, type: 'incident.created', at: published.at, data: { id: 'inc-1', title: 'Database down' } }]);
      expect(live.states).toEqual(['connected']);
    } finally {
      live.connection.close();
    }
  });

  it('reports a lost connection, reconnects by itself, and gets what it missed exactly once', async () => {
    const live = connect(t.tokens.viewer);
    try {
      await waitUntil(() => live.connection.state === 'connected', 'the stream to open');
      t.server.bus.publish('web.test.before', { n: 1 });
      await waitUntil(() => live.typesSeen().includes('web.test.before'), 'the first event');

      await proxy.cut();
      await waitUntil(() => live.connection.state === 'reconnecting', 'the loss to be noticed');
      t.server.bus.publish('web.test.during', { n: 2 });
      await proxy.restore();
      await waitUntil(() => live.typesSeen().includes('web.test.during'), 'the missed event, replayed');
      t.server.bus.publish('web.test.after', { n: 3 });
      await waitUntil(() => live.typesSeen().includes('web.test.after'), 'the next live event');

      expect(live.typesSeen()).toEqual(['web.test.before', 'web.test.during', 'web.test.after']);
      expect(live.states).toEqual(['connected', 'reconnecting', 'connected']);
      expect(live.resets()).toBe(0);
    } finally {
      live.connection.close();
    }
  });

  it('is told to refetch everything when it missed more than the server keeps', async () => {
    const live = connect(t.tokens.viewer);
    try {
      await waitUntil(() => live.connection.state === 'connected', 'the stream to open');
      t.server.bus.publish('web.test.seen', null);
      await waitUntil(() => live.typesSeen().includes('web.test.seen'), 'an event to resume from');
      await proxy.cut();
      await waitUntil(() => live.connection.state === 'reconnecting', 'the loss to be noticed');
      // The bus keeps the last 1000 events for resuming; push the one we saw out of it.
      for (let n = 0; n < 1100; n++) t.server.bus.publish('web.test.flood', n);
      await proxy.restore();
      await waitUntil(() => live.resets() === 1, 'a reset');
      expect(live.connection.state).toBe('connected');
      expect(live.typesSeen().filter((type) => type === 'web.test.flood')).toEqual([]);
    } finally {
      live.connection.close();
    }
  });

  it('stops and reports the session over when the server refuses the token', async () => {
    const live = connect('not-a-valid-token');
    await waitUntil(() => live.unauthorized() === 1, 'the refusal');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.unauthorized()).toBe(1);
    expect(live.states).toEqual([]);
  });

  it('signs out someone whose account is disabled while they watch', async () => {
    const created = await t.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.tokens.admin),
      payload: { username: 'watcher', password: 'watcher-password-123', role: 'viewer' },
    });
    const watcherId = (created.json() as { id: string }).id;
    const live = connect(await login(t.inject, 'watcher', 'watcher-password-123'));
    await waitUntil(() => live.connection.state === 'connected', 'the stream to open');
    const disabled = await t.inject({ method: 'PATCH', url: `/api/v1/users/${watcherId}`, headers: bearer(t.tokens.admin), payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    await waitUntil(() => live.unauthorized() === 1, 'the refusal after the stream was ended');
    expect(live.states).toEqual(['connected', 'reconnecting']);
  });

  it('goes quiet when closed', async () => {
    const closed = connect(t.tokens.viewer);
    await waitUntil(() => closed.connection.state === 'connected', 'the stream to open');
    closed.connection.close();
    const witness = connect(t.tokens.viewer);
    try {
      await waitUntil(() => witness.connection.state === 'connected', 'a second stream to open');
      t.server.bus.publish('web.test.after-close', null);
      // The server writes to every stream in turn; once the witness has the event, an open first stream would too.
      await waitUntil(() => witness.typesSeen().includes('web.test.after-close'), 'the event on the open stream');
      expect(closed.typesSeen()).toEqual([]);
      expect(closed.states).toEqual(['connected']);
    } finally {
      witness.connection.close();
    }
  });
});
