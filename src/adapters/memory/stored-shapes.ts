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
export function copyIndexes(indexes: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
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

/** Whether `b` has exactly `a`'s own keys, in `a`'s order, with the same values. */
export function sameIndexes(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let n = 0;
  for (const key in b) {
    if (!Object.hasOwn(b, key)) continue;
    if (a[key] !== b[key]) return false;
    n++;
  }
  const keys = Object.keys(a);
  if (keys.length !== n) return false;
  let i = 0;
  for (const key in b) if (Object.hasOwn(b, key) && keys[i++] !== key) return false;
  return true;
}
