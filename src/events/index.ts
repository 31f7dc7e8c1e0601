export {
  EVENT_DATA_SCHEMAS,
  EVENT_SCHEMAS,
  EVENT_TYPES,
  EVENT_VERSION,
  domainEventSchema,
  type DomainEvent,
  type EventType,
} from './catalogue.js';
export { HISTORY_EVENTS, eventsFromHistory, type EventDraft, type EventIdFactory } from './from-history.js';
export { readEvents, readEventsSchema, MAX_EVENT_PAGE, type ReadEventsInput, type EventFeedPage } from './reader.js';
export {
  createEventDelivery,
  EVENT_CURSOR_KIND,
  EVENT_DEAD_LETTER,
  type EventDelivery,
  type EventDeliveryOptions,
  type EventDeliveryResult,
  type EventCursorState,
} from './delivery.js';
