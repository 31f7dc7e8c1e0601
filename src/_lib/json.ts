import { engineErrors } from '../engine/error-codes.js';
import type { Json } from '../ports/json.js';

/**
 * Copies a value as plain JSON, refusing anything JSON would silently change
 * (undefined, functions, NaN, Infinity, Dates, Maps, class instances, cycles).
 */
export function toJson(value: unknown, path = '$', seen: Set<object> = new Set()): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw nonJson(path, 'a non-finite number');
  }
  if (typeof value !== 'object') throw nonJson(path, `a ${typeof value}`);
  if (seen.has(value)) throw nonJson(path, 'a cycle');
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item, index) => toJson(item, `${path}[${index}]`, seen));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw nonJson(path, 'a class instance');
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue; // optional fields: JSON drops them too
      out[key] = toJson(item, `${path}.${key}`, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function nonJson(path: string, what: string) {
  return engineErrors.raise('NON_JSON_STATE', { path }, `Value at ${path} is ${what}, which is not plain JSON.`);
}

/** Freezes a JSON value in place, deeply, and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** A frozen deep copy: safe to hand out without aliasing stored state. */
export function frozenCopy(value: unknown): Json {
  return deepFreeze(toJson(value));
}
