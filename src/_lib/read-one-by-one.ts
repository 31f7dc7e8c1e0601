import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { BatchRead, BatchReadResults, Storage } from '../ports/storage.js';

/** A path segment a `loadReferenced` or `nextSequenceIf` read may name: a plain property name. */
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
  return stringAt(results, checkedSource(reads, read.from, index), checkedPath(read.path, index));
}

/**
 * Whether a `nextSequenceIf` read steps: every `when` condition holds (the string at its `path` in
 * the state of the record its read `from` returned equals `equals`; false when that record is
 * missing). Throws as {@link referencedId} does, and on an empty `when`.
 */
export function conditionHolds(
  reads: readonly BatchRead[],
  results: readonly unknown[],
  read: Extract<BatchRead, { op: 'nextSequenceIf' }>,
  index: number,
): boolean {
  if (read.when.length === 0) throw new TypeError(`readBatch: read ${index} has no condition`);
  const checked = read.when.map((c) => ({
    from: checkedSource(reads, c.from, index),
    path: checkedPath(c.path, index),
    equals: c.equals,
  }));
  return checked.every((c) => stringAt(results, c.from, c.path) === c.equals);
}

/** `from`, when it is an earlier `load` of the batch. */
function checkedSource(reads: readonly BatchRead[], from: number, index: number): number {
  if (!Number.isInteger(from) || from < 0 || from >= index || reads[from]?.op !== 'load')
    throw new TypeError(`readBatch: read ${index} must refer to an earlier load (got from=${from})`);
  return from;
}

/**
 * `path`, when it is one or more plain names and every segment of digits is a list index both
 * sides read alike (no leading zero, at most 9 digits: PostgreSQL reads `01` as index 1).
 */
export function checkedPath(path: readonly string[], index: number): readonly string[] {
  const plain = (segment: string) => PLAIN_NAME.test(segment) && (!/^[0-9]+$/.test(segment) || INDEX.test(segment));
  if (path.length === 0 || !path.every(plain))
    throw new TypeError(`readBatch: read ${index} has a path that is not plain names`);
  return path;
}

/** The string at `path` in the state of the record `results[from]` (a JSON string only), or null. */
function stringAt(results: readonly unknown[], from: number, path: readonly string[]): string | null {
  let value: Json | undefined = (results[from] as StoredRecord | null)?.state;
  // A segment of digits indexes a list, any segment names a key.
  for (const segment of path) {
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
    else if (read.op === 'nextSequenceIf')
      results.push(conditionHolds(reads, results, read, index) ? await storage.nextSequence(read.name) : null);
    else results.push(await storage.getIdempotency(read.scope, read.key));
  }
  return results as BatchReadResults<R>;
}
