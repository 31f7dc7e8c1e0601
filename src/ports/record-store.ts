import type { Json } from './json.js';

/** A versioned record as stored. Version 1 is the first save; there is no version 0 in the store. */
export interface StoredRecord {
  kind: string;
  id: string;
  version: number;
  state: Json;
  /** Exact-match keys that {@link RecordStore.list} can filter on (e.g. `status`, `requester`). */
  indexes: Readonly<Record<string, string>>;
  /** Epoch ms of the record's earliest deadline, or null. Indexed by the {@link DeadlineIndex}. */
  nextDueAt: number | null;
}

/** Filter and page for {@link RecordStore.list}. */
export interface ListQuery {
  /**
   * Every key must match exactly (AND). An empty object lists the whole kind. Every value must be
   * a string: one that is not (`undefined` included) is refused with INVALID_INPUT, never ignored.
   */
  where: Readonly<Record<string, string>>;
  /** Return records whose id sorts after this one (the cursor is the last id of the previous page). */
  after?: string;
  limit: number;
}

/** The versioned record store. Writes go through {@link Storage.commit}. */
export interface RecordStore {
  /** Must return the record, or null when there is none. The result must not alias stored state. */
  load(kind: string, id: string): Promise<StoredRecord | null>;
  /**
   * Must return the records of `kind` matching `where`, in ascending id order, at most `limit`
   * (taken as `max(0, floor(limit))`: none for 0). Must throw INVALID_INPUT, before any look-up,
   * for a `where` value that is not a string: skipping the key would list records it excludes.
   * A `list` inside `Storage.readBatch` behaves alike (the batch rejects).
   */
  list(kind: string, query: ListQuery): Promise<StoredRecord[]>;
}

/**
 * One record deletion inside a commit (`Commit.deletes`). Guarded like a write: the record must
 * be stored at `expectedVersion` (≥ 1), or the whole commit changes nothing and returns null.
 * The record goes with its index entries, its deadline and its history.
 */
export interface RecordDelete {
  kind: string;
  id: string;
  expectedVersion: number;
}
