import { z } from 'zod';
import { parseInput } from '../engine/validate.js';
import type { Storage } from '../ports/storage.js';
import type { DomainEvent } from './catalogue.js';

/** Most events one read returns. */
export const MAX_EVENT_PAGE = 1000;

/** Input of {@link readEvents}: a cursor (`after`, 0 = from the start) and a page size. */
export const readEventsSchema = z.strictObject({
  after: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.number().int().positive().max(MAX_EVENT_PAGE).default(100),
});

/** Input of {@link readEvents}. */
export type ReadEventsInput = z.input<typeof readEventsSchema>;

/** A page of the feed. */
export interface EventFeedPage {
  /** In ascending `seq`: commit order, so each record's events in the order they happened. */
  events: DomainEvent[];
  /** The cursor to pass as `after` next time: the last `seq` returned, or `after` when there were none. */
  next: number;
}

/**
 * Reads the durable event feed by cursor. Delivery is at-least-once for a host that stores `next`
 * only after handling the page; no event is skipped (see the EventStore guarantees). Bad input
 * is INVALID_INPUT.
 */
export async function readEvents(storage: Storage, input: ReadEventsInput = {}): Promise<EventFeedPage> {
  const { after, limit } = parseInput(readEventsSchema, input, 'event read');
  const events = (await storage.readEvents({ after, limit })) as DomainEvent[];
  return { events, next: events.at(-1)?.seq ?? after };
}
