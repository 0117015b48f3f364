import secureJson from 'secure-json-parse';
import { isRole } from '../auth/roles.js';
import { EVENT_ID_PATTERN, EVENT_TYPE_PATTERN, EVENTS_GAP_TYPE, type DomainEvent } from './event.js';

/**
 * How events travel between processes: what is checked before one leaves
 * (serialise) and after one arrives (parseWireMessage).
 */

/** Larger payloads belong in the database; an SSE client should not have to swallow them. */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** What travels on the channel: an event, or a publisher's notice that it had to drop some. */
export type WireMessage = { v: 1; origin: string; event: DomainEvent } | { v: 1; origin: string; gap: true };

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
export function parseWireMessage(raw: string): WireMessage | null {
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

/** The event's JSON, or why it cannot be published (publish is fire-and-forget: it logs, never throws). */
export function serialise(event: DomainEvent): { json: string } | { problem: string } {
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    return { problem: `invalid type (must match ${EVENT_TYPE_PATTERN})` };
  }
  if (event.type === EVENTS_GAP_TYPE) return { problem: `${EVENTS_GAP_TYPE} is reserved for the bus` };
  if (!isRole(event.minRole)) return { problem: 'invalid minRole' };
  let json: string;
  try {
    json = JSON.stringify(event);
  } catch (error) {
    return { problem: `data is not JSON-serialisable: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (Buffer.byteLength(json) > MAX_EVENT_BYTES) return { problem: `event is larger than ${MAX_EVENT_BYTES} bytes` };
  return { json };
}
