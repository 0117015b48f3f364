import type { Role } from '../auth/roles.js';

/** What an event is, wherever it was published: its shape, the names it may have, and its id. */

export interface DomainEvent<T = unknown> {
  id: string;
  type: string;
  at: string;
  minRole: Role;
  data: T;
}

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
export const EVENT_ID_PATTERN = /^[0-9a-z]{9}-[0-9a-z]{4}-[0-9a-f]{12}$/;

const COUNTER_LIMIT = 36 ** 4;

export function createIdGenerator(origin: string): () => string {
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
