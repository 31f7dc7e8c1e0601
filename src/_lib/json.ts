import { commonErrors } from '../errors.js';
import type { Json } from '../ports/json.js';
import { Stamp } from './stamp.js';
import { isStorableText } from './text.js';

/**
 * How deep a value may nest. Our states nest a handful of levels; the cap turns a hostile or
 * runaway structure into NON_JSON_STATE long before the copy's recursion could overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Copies a value as plain JSON, refusing anything JSON would silently change
 * (undefined, functions, NaN, Infinity, Dates, Maps, class instances, cycles) and anything
 * nested deeper than {@link MAX_JSON_DEPTH} (NON_JSON_STATE), and text a store cannot keep
 * exactly: U+0000 or a lone surrogate in a string or a key (INVALID_INPUT).
 */
export function toJson(value: unknown, root = '$'): Json {
  return copy(value, false, root === '$' ? [] : [root]);
}

/** The path of the value being copied, built only when there is an error to report. */
function pathOf(keys: Array<string | number>): string {
  const [first, ...rest] = keys;
  const root = typeof first === 'string' && first.startsWith('$') ? first : undefined;
  return (root ? rest : keys).reduce<string>(
    (path, key) => (typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`),
    root ?? '$',
  );
}

// `keys` is the path from the root; an object on it is an ancestor, so meeting it again is a cycle.
function copy(value: unknown, freeze: boolean, keys: Array<string | number>, ancestors: object[] = []): Json {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (isStorableText(value)) return value;
    throw unstorableText(pathOf(keys), 'Text');
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw nonJson(pathOf(keys), 'a non-finite number');
  }
  if (typeof value !== 'object') throw nonJson(pathOf(keys), `a ${typeof value}`);
  // A subtree this module already checked and froze is plain JSON and cannot change: share it.
  // (Commands mostly change a few fields of a stored snapshot; the rest is not copied again.)
  if (isCheckedJson(value)) return value as Json;
  // Checked before the cycle search, so that search never walks more than the cap either.
  if (ancestors.length >= MAX_JSON_DEPTH) throw nonJson(pathOf(keys), `nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (ancestors.includes(value)) throw nonJson(pathOf(keys), 'a cycle');
  ancestors.push(value);
  let out: Json;
  // For an object: '' when empty, 'leaf' when a small leaf of primitives (see `interned`).
  let shape: string | null = null;
  if (Array.isArray(value)) {
    const list: Json[] = new Array<Json>(value.length);
    for (let i = 0; i < value.length; i++) {
      keys.push(i);
      list[i] = copy(value[i], freeze, keys, ancestors);
      keys.pop();
    }
    out = list;
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw nonJson(pathOf(keys), 'a class instance');
    const record: Record<string, Json> = {};
    // Whether the copy is a small leaf of primitives (see `interned`), told apart while copying.
    let entries = 0;
    let leaf = freeze;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue; // optional fields: JSON drops them too
      if (!isStorableText(key)) throw unstorableText(pathOf(keys), 'A key');
      keys.push(key);
      const copied = copy(item, freeze, keys, ancestors);
      record[key] = copied;
      keys.pop();
      entries++;
      if (leaf && ((typeof copied === 'object' && copied !== null) || entries > LEAF_KEYS)) leaf = false;
    }
    if (leaf) shape = entries === 0 ? '' : 'leaf';
    out = record;
  }
  ancestors.pop();
  if (!freeze) return out;
  if (Array.isArray(out) && out.length === 0) return EMPTY_LIST;
  if (shape === '') return EMPTY_RECORD;
  if (shape !== null) return interned(out as Record<string, Json>);
  return branded(out);
}

function nonJson(path: string, what: string) {
  return commonErrors.raise('NON_JSON_STATE', { path }, `Value at ${path} is ${what}, which is not plain JSON.`);
}

// INVALID_INPUT, as the PostgreSQL adapter has always answered for U+0000: PostgreSQL refuses it
// and replaces a lone surrogate, so every store refuses both rather than change the text.
function unstorableText(path: string, what: 'Text' | 'A key') {
  return commonErrors.raise(
    'INVALID_INPUT',
    { path },
    `${what} at ${path} holds U+0000 or a lone UTF-16 surrogate, which storage cannot keep exactly.`,
  );
}

/**
 * Objects produced by {@link frozenCopy} carry a private brand: known plain JSON, immutable.
 * (A module-wide `WeakSet` did this before: adding every stored object to it was ~60 % of the
 * copy and made every GC longer; see {@link Stamp}.)
 */
class CheckedJsonBrand extends Stamp {
  #checkedJson = true;
  static mark(target: object): void {
    new CheckedJsonBrand(target);
  }
  static has(target: object): boolean {
    return #checkedJson in target;
  }
}
const markCheckedJson = (value: object) => CheckedJsonBrand.mark(value);
const isCheckedJson = (value: object) => CheckedJsonBrand.has(value);

/**
 * The one frozen empty list and empty object every frozen copy shares: stored states hold many
 * (tags, followers, attachments, custom fields), and each copy was ~40 bytes with its brand.
 */
const EMPTY_LIST: Json = branded([]);
const EMPTY_RECORD: Json = branded({});
/** `value` branded as checked JSON (before freezing: a frozen object takes no new fields), then frozen. */
function branded<T extends object>(value: T): T {
  markCheckedJson(value);
  return Object.freeze(value);
}

/**
 * Small frozen leaves that many stored states hold alike (an SLA target, a status's time
 * counters, `{ from, to }` of a status change) are shared: one frozen object per distinct
 * content, found through a trie of Maps (key, value, key, value, ...), so a look-up hashes
 * nothing new. Only objects of at most {@link LEAF_KEYS} keys qualify, each key a plain
 * identifier and each value a boolean, null, an integer of at most 31 bits or a lower-case word
 * (`business`, `agent`, `pending`): no id, address, phone number, name with a capital or text a
 * person wrote. A lower-case word can still be personal (a username), so the table is bounded
 * (it starts over when full) and {@link forgetSharedLeaves} empties it: erasure and retention
 * call it whenever they redact or delete, so it never keeps what the store no longer holds.
 */
class LeafNode {
  readonly next = new Map<string | number | boolean | null, LeafNode>();
  shared: Json | undefined = undefined;
}
let leafRoot = new LeafNode();
let leafNodes = 0;
const LEAF_KEYS = 4;
const LEAF_NODE_LIMIT = 16_384;
const WORD = /^[a-z][a-z_]{0,23}$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const SMALL_INTEGER = 0x7fff_ffff;

/** Empties the table of shared leaves (objects already stored keep theirs; new copies start over). */
export function forgetSharedLeaves(): void {
  leafRoot = new LeafNode();
  leafNodes = 0;
}

function step(node: LeafNode, key: string | number | boolean | null): LeafNode {
  let found = node.next.get(key);
  if (found === undefined) {
    node.next.set(key, (found = new LeafNode()));
    leafNodes++;
  }
  return found;
}

/** Whether a leaf's key and value may be kept by the global table (see {@link LeafNode}). */
function tableMayKeep(key: string, value: Json): boolean {
  if (!KEY.test(key)) return false;
  if (typeof value === 'string') return WORD.test(value);
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) <= SMALL_INTEGER && !Object.is(value, -0);
  return true; // boolean or null: a leaf holds no objects
}

/** The shared frozen leaf equal to `record`, or `record` branded, frozen (and shared when it qualifies). */
function interned(record: Record<string, Json>): Json {
  for (const key in record) if (!tableMayKeep(key, record[key]!)) return sharedAlike(record);
  if (leafNodes >= LEAF_NODE_LIMIT) forgetSharedLeaves();
  let node = leafRoot;
  for (const key in record) node = step(step(node, key), record[key] as string | number | boolean | null);
  if (node.shared !== undefined) return node.shared;
  node.shared = branded(record);
  return record;
}

/**
 * The leaves a {@link frozenCopyAmong} call may share (its caller's list, for the length of the
 * call), or null. Only leaves the global table may not keep (an id, a name) go through it.
 */
let alike: Json[] | null = null;

/** `record` branded and frozen, or an equal leaf of the caller's list (see {@link frozenCopyAmong}). */
function sharedAlike(record: Record<string, Json>): Json {
  if (alike === null) return branded(record);
  for (const candidate of alike) if (sameLeaf(candidate, record)) return candidate;
  branded(record);
  if (alike.length < ALIKE_LIMIT) alike.push(record);
  return record;
}

/**
 * Most leaves a {@link frozenCopyAmong} list grows to: each new leaf is compared with every entry,
 * so a state of thousands of distinct actors costs thousands of comparisons each, not millions.
 */
const ALIKE_LIMIT = 32;

/** Whether `a` is a plain object with exactly `b`'s keys, in `b`'s order, and the same primitive values. */
function sameLeaf(a: Json, b: Record<string, Json>): boolean {
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return false;
  // Values first, without allocating: a different actor mostly differs there.
  for (const key in b) {
    const value = b[key];
    if ((typeof value === 'object' && value !== null) || !Object.hasOwn(a, key) || !Object.is(a[key], value))
      return false;
  }
  const keys = Object.keys(a);
  let i = 0;
  for (const key in b) if (keys[i++] !== key) return false;
  return i === keys.length;
}

/**
 * {@link frozenCopy}, sharing small leaves with `leaves`: a copied leaf of at most four primitive
 * values that the global table may not keep (it holds an id or a name, such as an actor
 * `{ role, id }`) is the equal leaf of `leaves` when there is one, and is added to `leaves`
 * otherwise. The caller owns the list and decides how long it lives, so a store can share an
 * actor among the writes of one commit and the entries of one history, and keep no id beyond
 * the data it stores. Entries of `leaves` must be frozen copies. Each new leaf is compared with
 * every entry, so the list grows to at most 32 (later new leaves are copied on their own), and a
 * caller seeds it with a few entries, not thousands.
 */
export function frozenCopyAmong(value: unknown, leaves: Json[]): Json {
  const outer = alike;
  alike = leaves;
  try {
    return copy(value, true, []);
  } finally {
    alike = outer;
  }
}

/** Freezes a value in place, deeply, and returns it (for constants and views, not for stored data). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * A frozen deep copy: safe to hand out without aliasing the caller's objects or stored state.
 * Subtrees that came from an earlier frozen copy are shared, not copied again.
 */
export function frozenCopy(value: unknown): Json {
  return copy(value, true, []);
}
