import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_URL } from '../../../test/support/env.js';
import { createLogger } from '../logger.js';
import { createEventBus, EVENTS_GAP_TYPE, type DomainEvent, type EventBus } from './index.js';
import { startCuttableProxy } from '../../../test/support/proxy.js';

/** Polls a condition with a deadline; the deadline only bounds a failure, it never decides a pass. */
async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, warnings: () => lines.filter((line) => line.level === 40), lines };
}

function collect(bus: EventBus) {
  const events: DomainEvent[] = [];
  bus.subscribe((event) => events.push(event));
  return {
    events,
    ofType: (type: string) => events.filter((event) => event.type === type),
    waitFor: (type: string, what = `an event of type ${type}`) =>
      waitUntil(() => events.some((event) => event.type === type), what),
  };
}

const buses: EventBus[] = [];
function track(bus: EventBus): EventBus {
  buses.push(bus);
  return bus;
}

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

describe('event bus in one process', () => {
  const logger = createLogger('silent');

  it('delivers each event to every subscriber exactly once, in publish order, before publish returns', () => {
    const bus = track(createEventBus({ logger }));
    const first = collect(bus);
    const second = collect(bus);
    const published = [bus.publish('incident.created', { n: 1 }), bus.publish('incident.acknowledged', { n: 2 })];
    expect(first.events).toEqual(published);
    expect(second.events).toEqual(published);
    expect(bus.health()).toEqual({ status: 'disabled', detail: expect.any(String) });
  });

  it('gives local subscribers the same JSON shape other processes get, defaulting minRole to viewer', () => {
    const bus = track(createEventBus({ logger }));
    const { events } = collect(bus);
    const at = new Date('2024-05-01T10:00:00.000Z');
    const returned = bus.publish('run.step.started', { at, nested: { ok: true } });
    expect(events[0]).toEqual(returned);
    expect(returned).toMatchObject({ type: 'run.step.started', minRole: 'viewer', data: { at: '2024-05-01T10:00:00.000Z' } });
    expect(Date.parse(returned.at)).not.toBeNaN();
  });

  it('stops delivering after unsubscribe, and a failing subscriber does not stop the others', () => {
    const bus = track(createEventBus({ logger }));
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((event) => seen.push(`a:${event.type}`));
    bus.subscribe(() => {
      throw new Error('subscriber bug');
    });
    bus.subscribe((event) => seen.push(`c:${event.type}`));
    expect(() => bus.publish('one', null)).not.toThrow();
    unsubscribe();
    unsubscribe();
    bus.publish('two', null);
    expect(seen).toEqual(['a:one', 'c:one', 'c:two']);
  });

  it('delivers an event published from inside a handler after the current one, so order holds for everyone', () => {
    const bus = track(createEventBus({ logger }));
    bus.subscribe((event) => {
      if (event.type === 'first') bus.publish('second', null);
    });
    const { events } = collect(bus);
    bus.publish('first', null);
    expect(events.map((event) => event.type)).toEqual(['first', 'second']);
    expect(events[0]!.id < events[1]!.id).toBe(true);
  });

  it('gives every event a unique id that sorts in publish order', () => {
    const bus = track(createEventBus({ logger }));
    const ids = Array.from({ length: 5000 }, (_, n) => bus.publish('tick', n).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('refuses, without throwing, events it could not deliver faithfully', () => {
    const { logger: capture, lines } = capturingLogger();
    const bus = track(createEventBus({ logger: capture }));
    const { events } = collect(bus);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => bus.publish('bad\ntype', {})).not.toThrow();
    expect(() => bus.publish('ok.type', circular)).not.toThrow();
    expect(() => bus.publish(EVENTS_GAP_TYPE, {})).not.toThrow();
    expect(() => bus.publish('ok.type', 1n)).not.toThrow();
    expect(events).toEqual([]);
    expect(lines.filter((line) => line.msg === 'event not published')).toHaveLength(4);
  });

  it('since() returns the tail after a known id, [] at the newest, and null for unknown or evicted ids', () => {
    const bus = track(createEventBus({ logger, bufferSize: 5 }));
    const ids = Array.from({ length: 8 }, (_, n) => bus.publish('tick', n).id);
    expect(bus.since(ids[4]!)!.map((event) => event.data)).toEqual([5, 6, 7]);
    expect(bus.since(ids[3]!)!.map((event) => event.data)).toEqual([4, 5, 6, 7]);
    expect(bus.since(ids[7]!)).toEqual([]);
    expect(bus.since(ids[2]!)).toBeNull();
    expect(bus.since('nonsense')).toBeNull();
  });
});

describe('event bus across processes (Redis)', () => {
  const logger = createLogger('silent');
  const channel = () => `nexus:test:events:${randomUUID()}`;
  const upBoth = (a: EventBus, b: EventBus) =>
    waitUntil(() => a.health().status === 'up' && b.health().status === 'up', 'both buses to reach Redis');

  it('delivers an event to the other process once and to its own process once', async () => {
    const shared = channel();
    const a = track(createEventBus({ logger, redisUrl: REDIS_URL, channel: shared }));
    const b = track(createEventBus({ logger, redisUrl: REDIS_URL, channel: shared }));
    await upBoth(a, b);
    const onA = collect(a);
    const onB = collect(b);

    const event = a.publish('incident.created', { id: 'inc-1', when: new Date(0) }, { minRole: 'responder' });
    await onB.waitFor('incident.created');
    // Barriers: one publisher's messages arrive in order, so once these arrive any
    // duplicate of the first event (or A's own echo of it) would already have come.
    b.publish('barrier.b', null);
    await onA.waitFor('barrier.b');
    a.publish('barrier.a', null);
    await onB.waitFor('barrier.a');

    expect(onA.events.map((e) => e.type)).toEqual(['incident.created', 'barrier.b', 'barrier.a']);
    expect(onB.events.map((e) => e.type)).toEqual(['incident.created', 'barrier.b', 'barrier.a']);
    expect(onB.events[0]).toEqual(event);
    expect(onB.events[0]).toEqual({
      id: event.id,
      type: 'incident.created',
      at: event.at,
      minRole: 'responder',
      data: { id: 'inc-1', when: '1970-01-01T00:00:00.000Z' },
    });
    // B can resume a client from an event that A published.
    expect(b.since(event.id)!.map((e) => e.type)).toEqual(['barrier.b', 'barrier.a']);
  });

  it('ignores malformed messages on the channel and keeps working', async () => {
    const shared = channel();
    const { logger: capture, warnings } = capturingLogger();
    const b = track(createEventBus({ logger: capture, redisUrl: REDIS_URL, channel: shared }));
    const a = track(createEventBus({ logger, redisUrl: REDIS_URL, channel: shared }));
    await upBoth(a, b);
    const onB = collect(b);
    const valid = {
      v: 1,
      origin: 'someoneelse1',
      event: { id: '00lx1abcd-0000-0123456789ab', type: 'forged.ok', at: '2024-01-01T00:00:00Z', minRole: 'viewer', data: 1 },
    };
    // Each variant gets its own id, so accepting one by mistake cannot hide behind de-duplication.
    let variant = 0;
    const withEvent = (patch: Record<string, unknown>) =>
      JSON.stringify({ ...valid, event: { ...valid.event, id: `00lx1abcd-${String(++variant).padStart(4, '0')}-0123456789ab`, ...patch } });
    const malformed = [
      'not json',
      'null',
      '42',
      '{"v":1}',
      JSON.stringify({ ...valid, v: 2 }),
      JSON.stringify({ ...valid, origin: 7 }),
      withEvent({ id: undefined }),
      withEvent({ id: 'x\nevent: admin' }),
      withEvent({ type: 'user.created\ndata: forged' }),
      withEvent({ type: EVENTS_GAP_TYPE }),
      withEvent({ minRole: 'superuser' }),
      withEvent({ at: 'yesterday' }),
      '{"v":1,"origin":"x","event":{"__proto__":{"polluted":true}}}',
    ];
    const raw = new Redis(REDIS_URL);
    try {
      for (const message of malformed) await raw.publish(shared, message);
      await raw.publish(shared, JSON.stringify(valid));
    } finally {
      raw.disconnect();
    }
    a.publish('after.garbage', { ok: true });
    await onB.waitFor('after.garbage');

    expect(onB.events).toEqual([valid.event, expect.objectContaining({ type: 'after.garbage', data: { ok: true } })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(b.health().status).toBe('up');
    // Rate-limited: a flood of junk cannot flood the log.
    expect(warnings().filter((w) => w.msg.includes('malformed'))).toHaveLength(1);
  });
});

/** A cuttable TCP hop in front of Redis, like a Redis restart, with the URL to reach it. */
async function cuttableRedis(target: URL) {
  const proxy = await startCuttableProxy(target.hostname, Number(target.port || 6379));
  return { ...proxy, url: () => `redis://127.0.0.1:${proxy.port}` };
}

describe('event bus when Redis goes away and comes back', () => {
  it('keeps local delivery, reports down, warns once, then resubscribes by itself and announces the gap', async () => {
    const shared = `nexus:test:events:${randomUUID()}`;
    const proxy = await cuttableRedis(new URL(REDIS_URL));
    const { logger: captureB, warnings } = capturingLogger();
    try {
      const a = track(createEventBus({ logger: createLogger('silent'), redisUrl: REDIS_URL, channel: shared }));
      const b = track(createEventBus({ logger: captureB, redisUrl: proxy.url(), channel: shared }));
      await waitUntil(() => a.health().status === 'up' && b.health().status === 'up', 'both buses up');
      const onA = collect(a);
      const onB = collect(b);
      a.publish('before.cut', null);
      await onB.waitFor('before.cut');

      await proxy.cut();
      await waitUntil(() => b.health().status === 'down', "B's health to report down");
      expect(b.health().detail).toMatch(/Redis/);
      for (let n = 0; n < 50; n++) b.publish('during.cut.local', n);
      expect(onB.ofType('during.cut.local')).toHaveLength(50);
      a.publish('during.cut.remote', null);
      expect(warnings().length).toBeGreaterThanOrEqual(1);
      expect(warnings().length).toBeLessThanOrEqual(2);

      await proxy.restore();
      await waitUntil(() => b.health().status === 'up', "B's health to report up again", 20_000);
      // B lost its subscription, so it tells its own subscribers; it dropped publishes, so it tells A.
      await onB.waitFor(EVENTS_GAP_TYPE);
      await onA.waitFor(EVENTS_GAP_TYPE);

      a.publish('after.restore.from.a', null);
      b.publish('after.restore.from.b', null);
      await onB.waitFor('after.restore.from.a');
      await onA.waitFor('after.restore.from.b');
      expect(onB.ofType('after.restore.from.a')).toHaveLength(1);
      expect(onB.ofType('during.cut.remote')).toEqual([]);
      expect(onA.ofType('during.cut.local')).toEqual([]);
      expect(warnings().length).toBeLessThanOrEqual(2);
    } finally {
      await proxy.close();
    }
  });

  it('closes promptly even while Redis is unreachable', async () => {
    const proxy = await cuttableRedis(new URL(REDIS_URL));
    const bus = createEventBus({ logger: createLogger('silent'), redisUrl: proxy.url(), channel: `t:${randomUUID()}` });
    await waitUntil(() => bus.health().status === 'up', 'bus up');
    await proxy.cut();
    await waitUntil(() => bus.health().status === 'down', 'bus down');
    const started = Date.now();
    await bus.close();
    // ioredis would otherwise keep reconnecting for ever; "prompt" means not waiting on it.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(() => bus.publish('after.close', null)).not.toThrow();
  });
});
