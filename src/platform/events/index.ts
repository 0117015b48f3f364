export {
  createEventBus,
  DEFAULT_BUFFER_SIZE,
  DEFAULT_EVENTS_CHANNEL,
  EVENT_TYPE_PATTERN,
  EVENTS_GAP_TYPE,
  MAX_EVENT_BYTES,
  type DomainEvent,
  type EventBus,
  type EventBusOptions,
} from './bus.js';
export { DEFAULT_HEARTBEAT_MS, eventRoutes, EventsQuery, type EventRoutesOptions } from './routes.js';
