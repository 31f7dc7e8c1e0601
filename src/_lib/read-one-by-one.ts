import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { BatchRead, BatchReadResults, Storage } from '../ports/storage.js';

/** A path segment a `loadReferenced` read may name: a plain property name. */
const PLAIN_NAME = /^[A-Za-z0-9_]+$/;
/** A segment that indexes a list: digits, as a list index in PostgreSQL's `#>>` (no sign, no leading zero). */
const INDEX = /^(0|[1-9][0-9]{0,8})$/;

/**
 * The id a `loadReferenced` read names: the string at `path` in the state of the record that read
 * `from` returned, or null. Throws on a `from` that is not an earlier `load` and on a path segment
 * that is not a plain name (a programming error, never input).
 */
export function referencedId(
  reads: readonly BatchRead[],
  results: readonly unknown[],
  read: Extract<BatchRead, { op: 'loadReferenced' }>,
  index: number,
): string | null {
  const source = reads[read.from];
  if (!Number.isInteger(read.from) || read.from < 0 || read.from >= index || source?.op !== 'load')
    throw new TypeError(`readBatch: read ${index} must refer to an earlier load (got from=${read.from})`);
  if (read.path.length === 0 || !read.path.every((segment) => PLAIN_NAME.test(segment)))
    throw new TypeError(`readBatch: read ${index} has a path that is not plain names`);
  let value: Json | undefined = (results[read.from] as StoredRecord | null)?.state;
  // As PostgreSQL's `#>>` reads a path: a segment of digits indexes a list, any segment names a key.
  for (const segment of read.path) {
    if (Array.isArray(value)) value = INDEX.test(segment) ? value[Number(segment)] : undefined;
    else value = value !== null && typeof value === 'object' ? (value as Record<string, Json>)[segment] : undefined;
  }
  return typeof value === 'string' ? value : null;
}

/**
 * `readBatch` for a store without it: the same results, one call after the other (one round trip
 * each), in order, so a sequence named twice steps twice.
 */
export async function readOneByOne<R extends readonly BatchRead[]>(
  storage: Storage,
  reads: R,
): Promise<BatchReadResults<R>> {
  const results: unknown[] = [];
  for (const [index, read] of reads.entries()) {
    if (read.op === 'load') results.push(await storage.load(read.kind, read.id));
    else if (read.op === 'loadReferenced') {
      const id = referencedId(reads, results, read, index);
      results.push(id === null ? null : await storage.load(read.kind, id));
    } else if (read.op === 'list') results.push(await storage.list(read.kind, read.query));
    else if (read.op === 'nextSequence') results.push(await storage.nextSequence(read.name));
    else results.push(await storage.getIdempotency(read.scope, read.key));
  }
  return results as BatchReadResults<R>;
}
