import { randomBytes } from 'node:crypto';
import type { Role } from '../auth/roles.js';
import type { Logger } from '../logger.js';
import { createDispatcher } from './dispatcher.js';
import { createIdGenerator, EVENTS_GAP_TYPE, type DomainEvent } from './event.js';
import { openRedisLink, remoteHandlers } from './redis-link.js';
import { RingBuffer } from './ring-buffer.js';
import { serialise } from './wire.js';

/**
 * The event bus: ids, the replay buffer, local delivery and, with Redis, the
 * link to other replicas, put together. Each piece has its own file here.
 */

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
