export { createEventBus, DEFAULT_BUFFER_SIZE, DEFAULT_EVENTS_CHANNEL, type EventBus, type EventBusOptions } from './bus.js';
export { EVENT_TYPE_PATTERN, EVENTS_GAP_TYPE, type DomainEvent } from './event.js';
export { MAX_EVENT_BYTES } from './wire.js';
export { DEFAULT_HEARTBEAT_MS, eventRoutes, EventsQuery, type EventRoutesOptions } from './routes.js';
