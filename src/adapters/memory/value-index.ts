import { SortedIds } from '../../_lib/sorted-ids.js';

/**
 * The memory store's secondary indexes: kind → index key → value → the ids stored with that
 * value, in id order. A value whose last id leaves is dropped with its entry, so an erased
 * person's address or phone number is not kept as a key for the life of the process.
 */
export class ValueIndexes {
  private readonly byKind = new Map<string, Map<string, Map<string, SortedIds>>>();

  /** The ids of `kind` stored with `key` = `value`; undefined when there are none. */
  ids(kind: string, key: string, value: string): SortedIds | undefined {
    return this.byKind.get(kind)?.get(key)?.get(value);
  }

  add(kind: string, key: string, value: string, id: string): void {
    let keys = this.byKind.get(kind);
    if (!keys) this.byKind.set(kind, (keys = new Map()));
    let values = keys.get(key);
    if (!values) keys.set(key, (values = new Map()));
    let ids = values.get(value);
    if (!ids) values.set(value, (ids = new SortedIds()));
    ids.add(id);
  }

  /** Removes `id` from `key` = `value`; a value left without ids goes, and so does an emptied key. */
  delete(kind: string, key: string, value: string, id: string): void {
    const keys = this.byKind.get(kind);
    const values = keys?.get(key);
    const ids = values?.get(value);
    if (!ids) return;
    ids.delete(id);
    if (ids.size > 0) return;
    values!.delete(value);
    if (values!.size === 0) keys!.delete(key);
  }

  /** How many values `key` holds for `kind` (for tests: what the index keeps). */
  valueCount(kind: string, key: string): number {
    return this.byKind.get(kind)?.get(key)?.size ?? 0;
  }
}
