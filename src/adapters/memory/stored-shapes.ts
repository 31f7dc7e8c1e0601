import { flatString } from '../../_lib/flat-string.js';
import type { EventInput, StoredEvent } from '../../ports/event-store.js';
import type { HistoryEntry, HistoryEntryInput } from '../../ports/history-store.js';
import type { Json } from '../../ports/json.js';

/** The memory store's stored objects, built compactly (issue 16: memory per stored ticket). */

/** The indexes of a record written without any: one frozen empty object for all of them. */
export const NO_INDEXES: Readonly<Record<string, string>> = Object.freeze({});

/** Histories shorter than this are kept in arrays of their exact length (see {@link appendHistory}). */
const COMPACT_HISTORY = 16;

/**
 * `list` with `entry` appended: a short history is copied into a new array of its exact length
 * (`concat` allocates no spare room; an array pushed to from empty keeps room for 17 entries,
 * ~100 bytes unused per ticket); a long one grows in place and is returned as it is.
 */
export function appendHistory(list: HistoryEntry[] | undefined, entry: HistoryEntry): HistoryEntry[] {
  if (list === undefined) return [entry];
  if (list.length < COMPACT_HISTORY) return list.concat([entry]);
  list.push(entry);
  return list;
}

/** A frozen copy of a write's indexes, each value a flat string. */
function copyIndexes(indexes: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const copy: Record<string, string> = {};
  for (const key in indexes) if (Object.hasOwn(indexes, key)) copy[key] = flatString(indexes[key]!);
  return Object.freeze(copy);
}

// Stored objects are built as literals with a fixed key order, never by spreading: on Node 20 an
// object made by `{ ...source, extra }` (once its site is warm) gets a hidden class of its own, and
// freezing it another, ~240 bytes per stored entry (measured: 19 per ticket lifecycle, 4.5 KB).

export function historyEntry(h: HistoryEntryInput, actor: Json, data: Json, seq: number): HistoryEntry {
  return Object.freeze({ kind: h.kind, id: flatString(h.id), at: h.at, type: h.type, actor, data, seq });
}

export function storedEvent(e: EventInput, subject: StoredEvent['subject'], data: Json, seq: number): StoredEvent {
  return Object.freeze({ id: flatString(e.id), type: e.type, version: e.version, at: e.at, subject, data, seq });
}

/** A stored record's frozen indexes with their keys in order (read once, when stored). */
interface StoredIndexes {
  readonly indexes: Readonly<Record<string, string>>;
  readonly keys: readonly string[];
}

/**
 * Per record kind, the indexes object of the record of that kind stored last, so a write with
 * equal indexes shares it (a ticket's messages all index the same ticket: one object for all).
 * What it remembers is always a stored record's: set when a commit applies, dropped when that
 * record is deleted, never taken from a commit that was refused.
 */
export class LastIndexes {
  private readonly byKind = new Map<string, StoredIndexes>();

  /** A frozen copy of a write's indexes: the remembered object when equal, else a new copy. */
  copy(kind: string, indexes: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
    const last = this.byKind.get(kind);
    return last !== undefined && sameIndexes(last, indexes) ? last.indexes : copyIndexes(indexes);
  }

  /**
   * A record of `kind` was stored with `indexes` (as `copy` returned them), replacing a version
   * stored with `previous`. A record rewritten without indexes drops the remembered ones if they
   * were its own, so a later delete leaves nothing of them behind.
   */
  stored(
    kind: string,
    indexes: Readonly<Record<string, string>>,
    previous: Readonly<Record<string, string>> | undefined,
  ): void {
    const last = this.byKind.get(kind);
    if (indexes === NO_INDEXES) {
      if (last !== undefined && last.indexes === previous) this.byKind.delete(kind);
    } else if (last?.indexes !== indexes) {
      this.byKind.set(kind, { indexes, keys: Object.keys(indexes) });
    }
  }

  /** A record of `kind` with `indexes` was deleted: forget them if they are the remembered ones. */
  deleted(kind: string, indexes: Readonly<Record<string, string>>): void {
    if (this.byKind.get(kind)?.indexes === indexes) this.byKind.delete(kind);
  }
}

/**
 * Whether `b` has exactly the stored indexes' keys, in their order, with the same values. The
 * values are compared first, along the stored keys: a write for another record mostly differs
 * there, and then no key of `b` is enumerated.
 */
function sameIndexes(stored: StoredIndexes, b: Readonly<Record<string, string>>): boolean {
  const { indexes, keys } = stored;
  for (let i = 0; i < keys.length; i++) if (b[keys[i]!] !== indexes[keys[i]!]) return false;
  let i = 0;
  for (const key in b) if (Object.hasOwn(b, key) && keys[i++] !== key) return false;
  return i === keys.length;
}
