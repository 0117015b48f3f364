import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import secureJson from 'secure-json-parse';
import { isRole, type Role } from '../auth/roles.js';
import type { Logger } from '../logger.js';
import { rateLimitedWarn } from '../rate-limited-warn.js';

export interface DomainEvent<T = unknown> {
  id: string;
  type: string;
  at: string;
  minRole: Role;
  data: T;
}

export interface EventBus {
  /** Fire-and-forget, never throws. Local subscribers see the event before this returns. */
  publish<T>(type: string, data: T, options?: { minRole?: Role }): DomainEvent<T>;
  /** Returns the unsubscribe function. */
  subscribe(handler: (event: DomainEvent) => void): () => void;
  /** Events after `lastEventId` still in this process's ring buffer (for SSE Last-Event-ID resume); null if that id is unknown/too old. */
  since(lastEventId: string): DomainEvent[] | null;
  health(): { status: 'up' | 'down' | 'disabled'; detail?: string };
  close(): Promise<void>;
}

export interface EventBusOptions {
  /** Unset: events stay in this process (embedded mode). */
  redisUrl?: string;
  /** Redis pub/sub channel; every replica of one installation must use the same one. */
  channel?: string;
  logger: Logger;
  /** How many recent events `since()` can replay. */
  bufferSize?: number;
}

export const DEFAULT_EVENTS_CHANNEL = 'nexus:events';
export const DEFAULT_BUFFER_SIZE = 1000;

/**
 * Delivered to local subscribers (never sent over Redis) when events from
 * other processes may have been lost, because Redis pub/sub does not replay
 * what a disconnected subscriber missed. The SSE route turns it into
 * `event: reset` so consoles refetch; other subscribers may ignore it.
 */
export const EVENTS_GAP_TYPE = 'events.gap';

/** Event types end up on SSE `event:` lines, so they must never contain line breaks. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/;
/** `<ms base36, 9>-<counter base36, 4>-<origin hex, 12>`: sorts by time, then by order within a process. */
const EVENT_ID_PATTERN = /^[0-9a-z]{9}-[0-9a-z]{4}-[0-9a-f]{12}$/;
/** Larger payloads belong in the database; an SSE client should not have to swallow them. */
export const MAX_EVENT_BYTES = 1024 * 1024;
const WARN_INTERVAL_MS = 30_000;

const COUNTER_LIMIT = 36 ** 4;

function createIdGenerator(origin: string): () => string {
  let lastMs = 0;
  let counter = 0;
  return () => {
    // Never step back with the wall clock: ids from one process must stay in publish order.
    const now = Math.max(Date.now(), lastMs);
    if (now === lastMs) counter++;
    else {
      lastMs = now;
      counter = 0;
    }
    if (counter >= COUNTER_LIMIT) {
      lastMs++;
      counter = 0;
    }
    return `${lastMs.toString(36).padStart(9, '0')}-${counter.toString(36).padStart(4, '0')}-${origin}`;
  };
}

/** Fixed-size history with O(1) lookup by id, so resume does not scan. */
class RingBuffer {
  private readonly slots: (DomainEvent | undefined)[];
  private readonly seqById = new Map<string, number>();
  private next = 0;

  constructor(private readonly size: number) {
    this.slots = new Array<DomainEvent | undefined>(size);
  }

  has(id: string): boolean {
    return this.seqById.has(id);
  }

  last(): DomainEvent | undefined {
    return this.next === 0 ? undefined : this.slots[(this.next - 1) % this.size];
  }

  push(event: DomainEvent): void {
    const slot = this.next % this.size;
    const evicted = this.slots[slot];
    if (evicted) this.seqById.delete(evicted.id);
    this.slots[slot] = event;
    this.seqById.set(event.id, this.next);
    this.next++;
  }

  after(id: string): DomainEvent[] | null {
    const seq = this.seqById.get(id);
    if (seq === undefined) return null;
    const tail: DomainEvent[] = [];
    for (let s = seq + 1; s < this.next; s++) tail.push(this.slots[s % this.size]!);
    return tail;
  }
}

/** What travels on the channel: an event, or a publisher's notice that it had to drop some. */
type WireMessage = { v: 1; origin: string; event: DomainEvent } | { v: 1; origin: string; gap: true };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEvent(value: unknown): DomainEvent | null {
  if (!isRecord(value)) return null;
  const { id, type, at, minRole, data } = value;
  if (typeof id !== 'string' || !EVENT_ID_PATTERN.test(id)) return null;
  if (typeof type !== 'string' || !EVENT_TYPE_PATTERN.test(type) || type === EVENTS_GAP_TYPE) return null;
  if (typeof at !== 'string' || at.length > 40 || Number.isNaN(Date.parse(at))) return null;
  // An unknown role would rank below viewer in hasRole() and leak the event to everyone.
  if (!isRole(minRole)) return null;
  return { id, type, at, minRole, data };
}

/** Anything on the channel may come from another version or another program: check it all. */
function parseWireMessage(raw: string): WireMessage | null {
  if (raw.length > MAX_EVENT_BYTES * 2) return null;
  let value: unknown;
  try {
    value = secureJson.safeParse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value) || value.v !== 1 || typeof value.origin !== 'string' || value.origin === '') return null;
  if (value.gap === true) return { v: 1, origin: value.origin, gap: true };
  const event = parseEvent(value.event);
  return event ? { v: 1, origin: value.origin, event } : null;
}

interface RedisLinkHandlers {
  onMessage(raw: string): void;
  /** Called after a resubscribe: messages published meanwhile are gone. */
  onResubscribed(): void;
}

interface RedisLink {
  send(message: WireMessage): void;
  health(): { status: 'up' | 'down'; detail?: string };
  close(): Promise<void>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The subscriber connection; resubscribes itself on every `ready` so it survives reconnects. */
function openSubscriber(
  url: string,
  channel: string,
  handlers: RedisLinkHandlers,
  report: (error: unknown, message: string) => void,
): { redis: Redis; subscribed: () => boolean } {
  // ioredis' autoResubscribe only works when the old connection reached `ready`, and gives no
  // signal when it is done; subscribing ourselves on each `ready` is simpler to reason about.
  const redis = new Redis(url, { autoResubscribe: false, maxRetriesPerRequest: null, connectionName: 'nexus-events-sub' });
  let subscribed = false;
  let everSubscribed = false;
  redis.on('message', (from: string, raw: string) => {
    if (from === channel) handlers.onMessage(raw);
  });
  redis.on('ready', () => {
    redis.subscribe(channel).then(
      () => {
        subscribed = true;
        if (everSubscribed) handlers.onResubscribed();
        everSubscribed = true;
      },
      (error: unknown) => report(error, 'event bus: subscribing to Redis failed; will retry on reconnect'),
    );
  });
  redis.on('close', () => {
    subscribed = false;
  });
  redis.on('error', (error: unknown) => report(error, 'event bus: Redis subscriber connection error'));
  return { redis, subscribed: () => subscribed };
}

async function disconnect(redis: Redis): Promise<void> {
  // While reconnecting there is no socket, and ioredis never reaches `end` after disconnect();
  // clearing its retry timer (which disconnect() does) is all there is to close.
  const live = ['connecting', 'connect', 'ready'].includes(redis.status);
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    redis.once('end', resolve);
    // ioredis waits for the server to close the socket; do not let a hung one hold up shutdown.
    timer = setTimeout(resolve, 2000);
  });
  // disconnect(), not quit(): quit would wait for a Redis that may be down.
  redis.disconnect(false);
  if (live) await ended;
  clearTimeout(timer);
}

function openRedisLink(
  settings: { url: string; channel: string; origin: string },
  logger: Logger,
  handlers: RedisLinkHandlers,
): RedisLink {
  const { url, channel, origin } = settings;
  const warn = rateLimitedWarn(logger, WARN_INTERVAL_MS);
  let lastError: string | undefined;
  const report = (error: unknown, message: string) => {
    lastError = errorText(error);
    warn({ err: lastError }, message);
  };
  // No offline queue: while Redis is down, queued publishes would pile up in memory and then
  // arrive late and out of order. We drop them and announce a gap instead.
  const publisher = new Redis(url, { enableOfflineQueue: false, connectionName: 'nexus-events-pub' });
  const subscriber = openSubscriber(url, channel, handlers, report);
  let dropped = false;
  let closing = false;

  const send = (message: WireMessage): void => {
    if (closing) return;
    if (publisher.status !== 'ready') {
      dropped = true;
      report(new Error(`Redis connection is ${publisher.status}`), 'event bus: Redis unavailable; events reach this process only');
      return;
    }
    publisher.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
      dropped = true;
      report(error, 'event bus: publishing to Redis failed; events reach this process only');
    });
  };

  publisher.on('error', (error: unknown) => report(error, 'event bus: Redis publisher connection error'));
  publisher.on('ready', () => {
    if (!dropped) return;
    dropped = false;
    logger.info('event bus: Redis is back; telling other processes that some events did not reach them');
    send({ v: 1, origin, gap: true });
  });

  return {
    send,
    health() {
      if (publisher.status === 'ready' && subscriber.subscribed()) return { status: 'up' };
      const sub = subscriber.subscribed() ? 'subscribed' : subscriber.redis.status;
      const why = lastError ? `; last error: ${lastError}` : '';
      return { status: 'down', detail: `Redis publisher ${publisher.status}, subscriber ${sub}${why}` };
    },
    async close() {
      closing = true;
      await Promise.all([disconnect(publisher), disconnect(subscriber.redis)]);
    },
  };
}

/** Local delivery with a queue, so an event published from inside a handler never overtakes the one being delivered. */
function createDispatcher(logger: Logger) {
  const handlers = new Set<(event: DomainEvent) => void>();
  const queue: DomainEvent[] = [];
  let draining = false;

  const invoke = (handler: (event: DomainEvent) => void, event: DomainEvent) => {
    try {
      const result: unknown = handler(event);
      if (result instanceof Promise) {
        result.catch((error: unknown) => logger.error({ err: error, eventType: event.type }, 'event subscriber failed'));
      }
    } catch (error) {
      logger.error({ err: error, eventType: event.type }, 'event subscriber failed');
    }
  };

  return {
    subscribe(handler: (event: DomainEvent) => void): () => void {
      // A fresh wrapper per call, so subscribing the same function twice needs two unsubscribes.
      const entry = (event: DomainEvent) => handler(event);
      handlers.add(entry);
      return () => {
        handlers.delete(entry);
      };
    },
    deliver(event: DomainEvent): void {
      queue.push(event);
      if (draining) return;
      draining = true;
      try {
        for (let next = queue.shift(); next; next = queue.shift()) {
          for (const handler of [...handlers]) if (handlers.has(handler)) invoke(handler, next);
        }
      } finally {
        draining = false;
      }
    },
  };
}

/** What arrives from Redis: checked, own echoes dropped, gaps turned into a local gap event. */
function remoteHandlers(context: {
  origin: string;
  channel: string;
  logger: Logger;
  accept: (event: DomainEvent) => void;
  announceGap: (reason: string) => void;
}): RedisLinkHandlers {
  const { origin, channel, logger, accept, announceGap } = context;
  const warnMalformed = rateLimitedWarn(logger, WARN_INTERVAL_MS);
  return {
    onMessage(raw) {
      const message = parseWireMessage(raw);
      if (!message) {
        warnMalformed({ bytes: raw.length, channel }, 'event bus: ignored a malformed message on the Redis channel');
        return;
      }
      // Our own events were delivered locally when published.
      if (message.origin === origin) return;
      if ('gap' in message) announceGap('peer-dropped-events');
      else accept(message.event);
    },
    onResubscribed() {
      logger.info({ channel }, 'event bus: resubscribed to Redis; asking live clients to refetch');
      announceGap('redis-resubscribed');
    },
  };
}

export function createEventBus(options: EventBusOptions): EventBus {
  const { logger } = options;
  const origin = randomBytes(6).toString('hex');
  const nextId = createIdGenerator(origin);
  const buffer = new RingBuffer(Math.max(1, options.bufferSize ?? DEFAULT_BUFFER_SIZE));
  const dispatcher = createDispatcher(logger);
  let closed = false;

  const accept = (event: DomainEvent) => {
    // Redis may deliver a publish twice when ioredis resends it after a reconnect.
    if (buffer.has(event.id)) return;
    buffer.push(event);
    dispatcher.deliver(event);
  };

  const announceGap = (reason: string) => {
    // One reset is enough; several in a row would only make consoles refetch twice.
    if (buffer.last()?.type === EVENTS_GAP_TYPE) return;
    accept({ id: nextId(), type: EVENTS_GAP_TYPE, at: new Date().toISOString(), minRole: 'viewer', data: { reason } });
  };

  const channel = options.channel ?? DEFAULT_EVENTS_CHANNEL;
  const link = options.redisUrl
    ? openRedisLink(
        { url: options.redisUrl, channel, origin },
        logger,
        remoteHandlers({ origin, channel, logger, accept, announceGap }),
      )
    : undefined;

  const publish = <T>(type: string, data: T, publishOptions?: { minRole?: Role }): DomainEvent<T> => {
    const minRole = publishOptions?.minRole ?? 'viewer';
    const event: DomainEvent<T> = { id: nextId(), type, at: new Date().toISOString(), minRole, data };
    const checked = serialise(event);
    if ('problem' in checked) {
      logger.error({ eventType: String(type).slice(0, 200), problem: checked.problem }, 'event not published');
      return event;
    }
    // Subscribers here get the same JSON-shaped copy that other processes get (Dates as strings, no
    // shared references), so a handler cannot behave differently depending on where the event came from.
    const copy = JSON.parse(checked.json) as DomainEvent<T>;
    accept(copy as DomainEvent);
    // After close() the link is gone, but late publishes during shutdown still reach local subscribers.
    if (!closed) link?.send({ v: 1, origin, event: copy as DomainEvent });
    return copy;
  };

  return {
    publish,
    subscribe: (handler) => dispatcher.subscribe(handler),
    since: (lastEventId) => buffer.after(lastEventId),
    health: () => (link ? link.health() : { status: 'disabled', detail: 'no REDIS_URL: events stay in this process' }),
    async close() {
      if (closed) return;
      closed = true;
      await link?.close();
    },
  };
}

/** The event's JSON, or why it cannot be published (publish is fire-and-forget: it logs, never throws). */
function serialise(event: DomainEvent): { json: string } | { problem: string } {
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    return { problem: `invalid type (must match ${EVENT_TYPE_PATTERN})` };
  }
  if (event.type === EVENTS_GAP_TYPE) return { problem: `${EVENTS_GAP_TYPE} is reserved for the bus` };
  if (!isRole(event.minRole)) return { problem: 'invalid minRole' };
  let json: string;
  try {
    json = JSON.stringify(event);
  } catch (error) {
    return { problem: `data is not JSON-serialisable: ${errorText(error)}` };
  }
  if (Buffer.byteLength(json) > MAX_EVENT_BYTES) return { problem: `event is larger than ${MAX_EVENT_BYTES} bytes` };
  return { json };
}
