import type { Logger } from '../logger.js';
import type { DomainEvent } from './event.js';

/** Local delivery with a queue, so an event published from inside a handler never overtakes the one being delivered. */
export function createDispatcher(logger: Logger) {
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
