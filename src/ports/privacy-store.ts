import type { StoredEvent } from './event-store.js';
import type { Json } from './json.js';
import type { OutboxMessage } from './outbox-store.js';
import type { StoredRecord } from './record-store.js';

/** Where a walk over every record of the store stands: the last (kind, id) it returned. */
export interface RecordCursor {
  kind: string;
  id: string;
}

/** A history entry's new personal fields; its kind, id, seq, time and type never change. */
export interface HistoryRedaction {
  kind: string;
  id: string;
  seq: number;
  actor: Json;
  data: Json;
}

/** An outbox message with its queue position, the cursor of {@link PrivacyStore.scanOutbox}. */
export interface PositionedOutboxMessage {
  position: number;
  message: OutboxMessage;
}

/**
 * Optional capability for GDPR export, erasure and retention (`desk.privacy`). Both shipped
 * adapters implement it; `privacyConformanceCases` in `helpdesk-core/testing` checks a host's.
 * Every method is atomic on its own and bounded by its arguments, so an erasure of a large
 * subject is many short steps, never one long lock.
 */
export interface PrivacyStore {
  /**
   * Must return up to `limit` records of every kind, ordered by (kind, id) in code point order,
   * starting after `after` (from the start when null). The result must not alias stored state.
   */
  scanRecords(after: RecordCursor | null, limit: number): Promise<StoredRecord[]>;
  /**
   * Must delete the record, its deadline and its whole history, if it is at `expectedVersion`,
   * and return true. Must return false, changing nothing, when the record is missing or at
   * another version.
   */
  deleteRecord(kind: string, id: string, expectedVersion: number): Promise<boolean>;
  /**
   * Must replace `actor` and `data` of the entry (kind, id, seq), keeping its time, type and
   * position, and return true; false, changing nothing, when there is no such entry.
   */
  redactHistory(redaction: HistoryRedaction): Promise<boolean>;
  /**
   * Must replace the subject id and the `data` of the event at `seq`, keeping its position, id,
   * type, time and subject kind; false, changing nothing, when there is none.
   */
  redactEvent(seq: number, redaction: { subjectId: string; data: Json }): Promise<boolean>;
  /**
   * Must replace the payload of a message that is not `claimed` and return true; a `pending`
   * message becomes `dead` with `lastError` set to `reason`, so it is never sent, and a stored
   * `lastError` of any other message is replaced by `reason` too (a refusal often quotes the
   * recipient's address); one that never failed keeps null. Must return
   * false, changing nothing, when there is no such message or it is `claimed` (the caller
   * retries after the lease).
   */
  redactOutbox(id: string, payload: Json, reason: string): Promise<boolean>;
  /** Must return up to `limit` messages with a queue position above `after`, in queue order. */
  scanOutbox(after: number, limit: number): Promise<PositionedOutboxMessage[]>;
  /**
   * Must delete those of `ids` that are `delivered` or `dead` (retention: a settled message
   * leaves) and return how many it deleted; a missing, `pending` or `claimed` one must be left as
   * it is. Positions of the other messages must not change. Called with at most one page of ids.
   * (A store written before this method existed still counts as a privacy store: retention
   * then erases settled payloads and keeps the messages.)
   */
  deleteSettledOutbox(ids: readonly string[]): Promise<number>;
}

/** One page of {@link MentionScan.scanMentions}: the records read, those it passed by because they were locked, and where it stopped. */
export interface MentionPage {
  /** Records that may mention a needle, in (kind, id) order. Must not alias stored state. */
  records: StoredRecord[];
  /**
   * Matching records left out because another transaction held them (PostgreSQL `SKIP LOCKED`),
   * in (kind, id) order. The caller must come back to them: a later cursor passes them by.
   */
  skipped: RecordCursor[];
  /**
   * Must be where the next page starts (pass it as `after`): the last record the scan looked at,
   * matching or not. Must be null only when no record lies beyond the page: the end of the scan.
   */
  next: RecordCursor | null;
}

/** One page of {@link MentionScan.scanOutboxMentions}: the matching messages and where the scan stopped. */
export interface OutboxMentionPage {
  /** Messages whose payload may mention a needle, in queue order. */
  messages: PositionedOutboxMessage[];
  /** Must be the position the next page starts after (the last one looked at); null only at the end of the queue. */
  next: number | null;
}

/** One page of {@link MentionScan.scanEventMentions}: the matching events and where the scan stopped. */
export interface EventMentionPage {
  /** Events whose subject id or data may mention a needle, in order. */
  events: StoredEvent[];
  /** Must be the seq the next page starts after (the last one looked at); null only at the end of the log. */
  next: number | null;
}

/**
 * Optional capability of a {@link PrivacyStore}: scans that return only what mentions the
 * subject, so an erasure reads in proportion to the subject, not to the store. Without it the
 * erasure walks every record, message and event (`scanRecords`, `scanOutbox`, `readEvents`) and
 * filters them itself: correct, but its cost grows with the store. A host adapter gains the
 * filter's speed by implementing it and proves it with `privacyConformanceCases`.
 *
 * A record, message or event **mentions** a needle when one of its strings contains the needle,
 * ignoring case as a JavaScript `/iu` RegExp does. A scan must return everything that mentions a
 * needle. It may also return what mentions a needle only inside a JSON key, or only the first 64
 * characters of a long needle (the caller checks each one again), but nothing else: that is the
 * point of the filter. Needles are given as the caller holds them, to be matched literally (`%`,
 * `_`, `\`, quotes, line breaks, RegExp syntax). No needle: nothing mentions.
 *
 * Every call must be bounded by the store, not by what matches: it looks at a window of at most a
 * store-chosen number of rows after the cursor (both shipped adapters: 1,000) and returns what in
 * that window mentions a needle, so a page may hold fewer than `limit` matches, or none, and still
 * not be the end. The end is `next: null`; the caller must go on from `next` until then.
 */
export interface MentionScan {
  /**
   * Must return, in (kind, id) code point order after `after` (from the start when null), records
   * whose id, state, indexes or history (actor or data of an entry) mentions one of `needles`:
   * at most `limit` of them, counting both `records` and `skipped`, and every such record between
   * `after` and `next`. A store with row locks should skip, not wait for, a record another
   * transaction holds, and report it in `skipped`.
   */
  scanMentions(after: RecordCursor | null, limit: number, needles: readonly string[]): Promise<MentionPage>;
  /**
   * Must return up to `limit` messages above position `after`, in queue order, whose payload or
   * recorded `lastError` (a refusal may quote the address) mentions one of `needles`: every such
   * message between `after` and `next`.
   */
  scanOutboxMentions(after: number, limit: number, needles: readonly string[]): Promise<OutboxMentionPage>;
  /**
   * Must return up to `limit` events above `after`, in order, whose subject id or data mentions
   * one of `needles`: every such event between `after` and `next`.
   */
  scanEventMentions(after: number, limit: number, needles: readonly string[]): Promise<EventMentionPage>;
}

/** True when `store` implements the {@link MentionScan} capability. */
export function hasMentionScan(store: object): store is MentionScan {
  const candidate = store as Partial<MentionScan>;
  return (
    typeof candidate.scanMentions === 'function' &&
    typeof candidate.scanOutboxMentions === 'function' &&
    typeof candidate.scanEventMentions === 'function'
  );
}

/** True when `storage` implements the {@link PrivacyStore} capability. */
export function hasPrivacyStore(storage: object): storage is PrivacyStore {
  const candidate = storage as Partial<PrivacyStore>;
  return (
    typeof candidate.scanRecords === 'function' &&
    typeof candidate.deleteRecord === 'function' &&
    typeof candidate.redactHistory === 'function' &&
    typeof candidate.redactEvent === 'function' &&
    typeof candidate.redactOutbox === 'function' &&
    typeof candidate.scanOutbox === 'function'
  );
}
