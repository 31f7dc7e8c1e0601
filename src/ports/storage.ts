import type { DeadlineIndex } from './deadline-index.js';
import type { EventInput, EventStore } from './event-store.js';
import type { HistoryEntryInput, HistoryStore } from './history-store.js';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';
import type { Json } from './json.js';
import type { OutboxMessageInput, OutboxStore } from './outbox-store.js';
import type { ListQuery, RecordDelete, RecordStore, StoredRecord } from './record-store.js';
import type { SequenceStore } from './sequence-store.js';

/** One record write inside a {@link Commit}. */
export interface RecordWrite {
  kind: string;
  id: string;
  /** The version the writer loaded; 0 means "must not exist yet". The stored version becomes this + 1. */
  expectedVersion: number;
  state: Json;
  indexes?: Record<string, string>;
  nextDueAt: number | null;
}

/** Everything one command writes. Applied entirely, or not at all. */
export interface Commit {
  writes: RecordWrite[];
  history: HistoryEntryInput[];
  outbox: OutboxMessageInput[];
  /** Keys that must not exist yet; stored with their answer. */
  idempotency: IdempotencyRecord[];
  /**
   * Domain events derived from `history` (see `eventsFromHistory`). Optional so that commits
   * built by hand stay valid; default none.
   */
  events?: EventInput[];
  /**
   * Records removed with the rest, each guarded by its version. A commit that also writes, or
   * appends history to, a record it deletes (or deletes one twice) must return null. Default none.
   */
  deletes?: RecordDelete[];
}

/** What a successful commit returns: the new version of each write, in order. */
export interface CommitResult {
  versions: number[];
}

/**
 * One read inside {@link Storage.readBatch}: the port method of the same name, with its arguments.
 */
export type BatchRead =
  | { op: 'load'; kind: string; id: string }
  /**
   * A `load` of the record of `kind` whose id is the string at `path` in the state of the record
   * that read number `from` (an earlier `load` of the same batch) returned; null when that record,
   * or a JSON string at `path`, is missing. Path segments are plain names (letters, digits, `_`); as
   * in PostgreSQL's `#>>`, a segment of digits in a list is an index into it (no leading zero, at
   * most 9 digits: others are refused).
   */
  | { op: 'loadReferenced'; kind: string; from: number; path: readonly string[] }
  | { op: 'list'; kind: string; query: ListQuery }
  | { op: 'nextSequence'; name: string }
  /**
   * A `nextSequence` taken only when every `when` condition holds: the string at `path` (a JSON
   * string; paths as for `loadReferenced`) in the state of the record that read number `from` (an
   * earlier `load` of the same batch) returned equals `equals`. At least one condition; null, the
   * sequence untouched, otherwise. A requester's reply to their closed ticket (a personal account,
   * by mail from their address, with their guest token) takes its follow-up's number this way, in
   * the batch that reads the ticket and the caller's record.
   */
  | {
      op: 'nextSequenceIf';
      name: string;
      when: ReadonlyArray<{ from: number; path: readonly string[]; equals: string }>;
    }
  | { op: 'getIdempotency'; scope: string; key: string };

/** What the port method named by a {@link BatchRead} returns. */
export type BatchReadResult<R extends BatchRead> = R extends { op: 'load' | 'loadReferenced' }
  ? StoredRecord | null
  : R extends { op: 'list' }
    ? StoredRecord[]
    : R extends { op: 'nextSequence' }
      ? number
      : R extends { op: 'nextSequenceIf' }
        ? number | null
        : R extends { op: 'getIdempotency' }
          ? Json | null
          : never;

/** The results of a {@link Storage.readBatch}, one per read, in order. */
export type BatchReadResults<R extends readonly BatchRead[]> = { -readonly [K in keyof R]: BatchReadResult<R[K]> };

/**
 * The storage port: every part in one object so a commit can span them atomically.
 * Adapters: `helpdesk-core/memory` (default), `helpdesk-core/postgres`.
 * Host adapters prove themselves with `runStorageConformance` from `helpdesk-core/testing`.
 */
export interface Storage
  extends RecordStore, HistoryStore, OutboxStore, DeadlineIndex, SequenceStore, IdempotencyStore, EventStore {
  /**
   * Must apply the commit atomically: the writes (each guarded by `expectedVersion`), the history
   * entries, the outbox messages, the deadlines, the idempotency keys and the events (each given the next
   * global position, contiguous and in order).
   * When any guard misses (a version differs, a record with expectedVersion 0 exists, an idempotency
   * key or outbox id exists), it must change nothing and return null; so too when the commit itself
   * names one idempotency key (scope and key), outbox id or event id twice. An event id stored by an
   * earlier commit may be refused the same way (PostgreSQL's unique key does); event ids come from
   * the desk's id source, so the memory store keeps no index of them. It must throw only on
   * infrastructure failure or input no store can keep (INVALID_INPUT, NON_JSON_STATE), and then too
   * must leave nothing half-written.
   */
  commit(commit: Commit): Promise<CommitResult | null>;
  /**
   * Optional: runs several reads in one round trip (issue 16: a command's independent reads, e.g.
   * a new ticket's number and its requester's other tickets). Each read must return what its own
   * method would have returned at some moment during the call, with that method's guarantees
   * (`nextSequence` still never repeats); the reads need not see one snapshot. Must reject, having
   * taken at most sequence values, when any read fails. A batch holding `nextSequence` or
   * `nextSequenceIf` writes (submit's does, and the first batch of a reply by a personal account,
   * by mail or with a guest token, whatever the ticket's status): it belongs on the primary, never
   * on a read-only replica. Default absent: callers make the calls one by one (see
   * `readAll` in `src/tickets/submit-reads.ts`).
   */
  readBatch?<R extends readonly BatchRead[]>(reads: R): Promise<BatchReadResults<R>>;
}
