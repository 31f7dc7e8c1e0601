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
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue; // optional fields: JSON drops them too
      if (!isStorableText(key)) throw unstorableText(pathOf(keys), 'A key');
      keys.push(key);
      record[key] = copy(item, freeze, keys, ancestors);
      keys.pop();
    }
    out = record;
  }
  ancestors.pop();
  if (freeze) {
    markCheckedJson(out); // before freezing: a frozen object takes no new fields
    Object.freeze(out);
  }
  return out;
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
