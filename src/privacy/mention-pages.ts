import type { StoredEvent } from '../ports/event-store.js';
import {
  hasMentionScan,
  type EventMentionPage,
  type MentionScan,
  type OutboxMentionPage,
  type PrivacyStore,
} from '../ports/privacy-store.js';
import type { Storage } from '../ports/storage.js';

/**
 * More needles than this and the store's filter is not used for that part (the walk is): each
 * needle is one more alternative the database tries at every character of every row, so past this
 * a window of rows costs the filter more than reading it whole.
 */
export const MAX_FILTER_NEEDLES = 50;

/** True when the store filters scans itself and the needles are few enough to hand it. */
export function filterable(store: PrivacyStore, needles: readonly string[]): store is PrivacyStore & MentionScan {
  return hasMentionScan(store) && needles.length <= MAX_FILTER_NEEDLES;
}

/**
 * One page of outbox messages to check: through the store's filter when it has one, else a page
 * of the whole queue. `next` is where the following page starts; null at the end of the queue.
 */
export async function outboxPage(
  store: PrivacyStore,
  after: number,
  limit: number,
  needles: readonly string[],
): Promise<OutboxMentionPage> {
  if (filterable(store, needles)) return store.scanOutboxMentions(after, limit, needles);
  const messages = await store.scanOutbox(after, limit);
  const last = messages[messages.length - 1];
  return { messages, next: messages.length === limit && last ? last.position : null };
}

/** One page of events to check, as {@link outboxPage} does for the outbox. */
export async function eventPage(
  storage: Storage,
  store: PrivacyStore,
  after: number,
  limit: number,
  needles: readonly string[],
): Promise<EventMentionPage> {
  if (filterable(store, needles)) return store.scanEventMentions(after, limit, needles);
  const events: StoredEvent[] = await storage.readEvents({ after, limit });
  const last = events[events.length - 1];
  return { events, next: events.length === limit && last ? last.seq : null };
}
