/**
 * The keys of one B+tree node (`SortedIds`) and their search: sorted keys, a number per key that
 * orders like it, and the prefix all keys share.
 *
 * Why every node also keeps numbers (`codes`): with 1M ids the strings a binary search compares
 * lie all over the heap, and each comparison was a cache miss — a move cost 7 µs at 1M against
 * 1.4 µs at 10k (numeric keys: 0.8 µs at 1M). All keys of a node share its first `shared`
 * characters; a key's code packs the next CODE_CHARS characters into one number that orders like
 * the key, so a search compares numbers in one array and reads a key only when two codes tie.
 *
 * Why the shared prefix is numbers too (`pre0`, `pre1`): a search first tells whether the id starts
 * with the node's prefix, and reading it from the first key cost two more cache misses per node
 * (the keys array and the string). Moving 2,000 ids between two sets of ~460k and ~130k, in
 * alternating runs: 5.1–5.6 µs a move before, 2.7–4.3 µs after (1.1–1.4 µs with 10k stored).
 * Branches of 128 or 256 children measured no better than 64 once the prefix was numbers.
 */

/** Characters packed into a code: 257^6 < 2^53, so a code is an exact integer in a double. */
const CODE_CHARS = 6;
const BASE = 257;
/** The longest shared prefix kept as numbers (two codes' worth). */
const PREFIX_CHARS = 2 * CODE_CHARS;

/**
 * Sorted keys, their codes, and how many leading characters every key of the node shares. A set
 * that never outgrew one leaf has no codes (null): most index values hold a handful of ids, and
 * the codes array would be a third of such a set's memory.
 */
export interface Keyed {
  keys: string[];
  codes: number[] | null;
  shared: number;
  /**
   * The shared prefix as numbers, so a search need not read a key (a string elsewhere in the heap,
   * one more cache miss per node): its first up to PREFIX_CHARS characters, one exact digit each,
   * in `pre0` (the first CODE_CHARS) and `pre1` (the rest). -1 when the prefix is longer or holds
   * a code unit of 255 or more: then the first key is read. A node with codes always has them;
   * a small set's lone leaf (no codes) goes without, 16 bytes less for most sets.
   */
  pre0?: number;
  pre1?: number;
}

/** A code unit's digit in a code: 1 + the unit below 255, 256 for any higher unit (0 is past the end). */
const digitOf = (unit: number): number => (unit < 255 ? unit + 1 : 256);

/**
 * The CODE_CHARS characters of `key` after its first `from` as one number: a digit per character
 * (0 past the end, 1 + the code unit below 255, 256 for any higher unit, after which the digits
 * stop), so `a < b` implies `codeOf(a) <= codeOf(b)` for keys sharing their first `from` characters.
 * Equal codes say nothing: the keys themselves decide.
 */
function codeOf(key: string, from: number): number {
  let code = 0;
  let stopped = false;
  for (let i = from; i < from + CODE_CHARS; i++) {
    let digit = 0;
    if (!stopped && i < key.length) {
      digit = digitOf(key.charCodeAt(i));
      stopped = digit === 256;
    }
    code = code * BASE + digit;
  }
  return code;
}

/** Length of the common prefix of `a` and `b`, at most `limit`. */
function commonPrefix(a: string, b: string, limit: number): number {
  let n = 0;
  while (n < limit && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/**
 * `n` characters of `key` from `from`, an exact digit each (0 past the end, 1 + the code unit
 * below 255, 256 for any higher unit), as one number that orders like those characters.
 */
function packExact(key: string, from: number, n: number): number {
  let code = 0;
  for (let i = from; i < from + n; i++) code = code * BASE + (i < key.length ? digitOf(key.charCodeAt(i)) : 0);
  return code;
}

/** Sets `pre0` and `pre1` from the first key and `shared` (see Keyed). */
function setPrefixCodes(node: Keyed, first: string | undefined): void {
  node.pre0 = -1;
  node.pre1 = -1;
  if (first === undefined || node.shared > PREFIX_CHARS) return;
  for (let i = 0; i < node.shared; i++) if (first.charCodeAt(i) >= 255) return;
  const head = Math.min(node.shared, CODE_CHARS);
  node.pre0 = packExact(first, 0, head);
  node.pre1 = packExact(first, CODE_CHARS, node.shared - head);
}

/** Recomputes `shared` (tight: the sorted keys' first and last share what all share) and every code. */
export function recode(node: Keyed): void {
  const keys = node.keys;
  const first = keys[0];
  const last = keys[keys.length - 1];
  node.shared =
    first === undefined || last === undefined ? 0 : commonPrefix(first, last, Math.min(first.length, last.length));
  node.codes = keys.map((key) => codeOf(key, node.shared));
  setPrefixCodes(node, first);
}

/** Whether `key` starts with the `shared` characters of `node` (the first key holds them). */
function sharesPrefix(node: Keyed, key: string): boolean {
  // An emptied node's `shared` is stale: its next key is re-coded from scratch.
  const first = node.keys[0];
  if (first === undefined) return false;
  if (node.pre0! >= 0) return againstPrefix(node, key) === 0;
  return key.length >= node.shared && commonPrefix(first, key, node.shared) === node.shared;
}

/** Inserts `key` at `i`, re-coding the node when the key does not share its prefix. */
export function insertKey(node: Keyed, i: number, key: string): void {
  if (!node.codes) {
    // A small set's leaf (no codes): an array of exactly its keys, not one grown for 17.
    const keys = node.keys;
    node.keys = i === keys.length ? keys.concat(key) : keys.slice(0, i).concat(key, keys.slice(i));
    return;
  }
  const fits = sharesPrefix(node, key);
  node.keys.splice(i, 0, key);
  if (fits) node.codes.splice(i, 0, codeOf(key, node.shared));
  else recode(node);
}

/** Removes and returns the key at `i` (the prefix stays valid: fewer keys still share it). */
export function removeKey(node: Keyed, i: number): string {
  node.codes?.splice(i, 1);
  return node.keys.splice(i, 1)[0]!;
}

/** Replaces the key at `i`. */
export function setKey(node: Keyed, i: number, key: string): void {
  // Asked before the key is replaced: the prefix may be read from `keys[0]`, which may be `i`.
  // A lone key is the prefix: re-coding it also moves the prefix codes to the new key.
  const fits = node.codes !== null && node.keys.length > 1 && sharesPrefix(node, key);
  node.keys[i] = key;
  if (!node.codes) return;
  if (fits) node.codes[i] = codeOf(key, node.shared);
  else recode(node);
}

/**
 * Where `id` falls against the node's shared prefix: -1 below every key, 1 above every key, 0 when
 * `id` starts with it too (then codes compare).
 */
function againstPrefix(node: Keyed, id: string): number {
  const pre0 = node.pre0!;
  if (pre0 >= 0) {
    const head = node.shared < CODE_CHARS ? node.shared : CODE_CHARS;
    const a = packExact(id, 0, head);
    if (a !== pre0) return a < pre0 ? -1 : 1;
    if (node.shared <= CODE_CHARS) return 0;
    const pre1 = node.pre1!;
    const b = packExact(id, CODE_CHARS, node.shared - head);
    return b === pre1 ? 0 : b < pre1 ? -1 : 1;
  }
  const first = node.keys[0];
  if (first === undefined) return 0;
  for (let i = 0; i < node.shared; i++) {
    if (i >= id.length) return -1;
    const d = id.charCodeAt(i) - first.charCodeAt(i);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Index of the first key `> id` (the number of keys `<= id`). */
export function upperBound(node: Keyed, id: string): number {
  const { codes, keys } = node;
  let lo = 0;
  let hi = keys.length;
  if (!codes) {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  const side = againstPrefix(node, id);
  if (side !== 0) return side < 0 ? 0 : keys.length;
  const code = codeOf(id, node.shared);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = codes[mid]!;
    if (c < code || (c === code && keys[mid]! <= id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first key `>= id`. */
export function lowerBound(node: Keyed, id: string): number {
  const { codes, keys } = node;
  let lo = 0;
  let hi = keys.length;
  if (!codes) {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  const side = againstPrefix(node, id);
  if (side !== 0) return side < 0 ? 0 : keys.length;
  const code = codeOf(id, node.shared);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = codes[mid]!;
    if (c < code || (c === code && keys[mid]! < id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
