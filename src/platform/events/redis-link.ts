import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { DomainEvent } from './event.js';
import { rateLimitedWarn } from '../rate-limited-warn.js';
import { parseWireMessage, type WireMessage } from './wire.js';

/** A Redis outage would otherwise log a line per retry. */
const WARN_INTERVAL_MS = 30_000;

/**
 * The link between replicas: a publisher and a subscriber connection to one
 * Redis pub/sub channel, and how what arrives on it is treated.
 */

export interface RedisLinkHandlers {
  onMessage(raw: string): void;
  /** Called after a resubscribe: messages published meanwhile are gone. */
  onResubscribed(): void;
}

export interface RedisLink {
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

export function openRedisLink(
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

/** What arrives from Redis: checked, own echoes dropped, gaps turned into a local gap event. */
export function remoteHandlers(context: {
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
