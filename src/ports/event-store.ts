import type { Json } from './json.js';

/** The record a domain event is about. */
export interface EventSubject {
  /** The record kind, e.g. `ticket`, `account`, `recovery_case`. */
  kind: string;
  id: string;
}

/** A domain event as a commit writes it (see `helpdesk-core` events catalogue). */
export interface EventInput {
  /** Unique per event, stable across deliveries: the webhook id and idempotency key. */
  id: string;
  /** Catalogue type, e.g. `ticket.status_changed`. */
  type: string;
  /** Schema version of `data` for this type. */
  version: number;
  /** Epoch ms of the command or timer that caused it. */
  at: number;
  subject: EventSubject;
  /** Ids and changes only: never a secret, never free text. */
  data: Json;
}

/** A stored event with its global position. */
export interface StoredEvent extends EventInput {
  /** Global position, assigned by the storage at commit: strictly increasing, never reused. */
  seq: number;
}

/** A page request of {@link EventStore.readEvents}. */
export interface EventPage {
  /** Return events with `seq` greater than this; 0 reads from the start. */
  after: number;
  /** At most this many events. */
  limit: number;
}

/**
 * The event log: written only by {@link Storage.commit} (the `events` of a commit), read by cursor.
 *
 * Guarantees every adapter must keep:
 * - the events of one commit get contiguous positions, in the order of `commit.events`;
 * - positions follow commit order: once an event at position n is readable, every event with a
 *   smaller position that will ever exist is readable too, so a cursor that advances to the last
 *   `seq` it read never skips an event (the memory store by construction; PostgreSQL by taking
 *   the positions from one counter row locked until the commit ends);
 * - a commit that is refused (returns null) or throws writes no event;
 * - so the events of one record come out in the order they were committed.
 */
export interface EventStore {
  /**
   * Must return the events with `seq > after`, in ascending `seq`, at most `limit` (an empty list
   * when there are none). The result must not alias stored data.
   */
  readEvents(page: EventPage): Promise<StoredEvent[]>;
}
