/**
 * A base class whose constructor returns the object it is given, so that a subclass's private
 * fields are installed on that existing object ("return override"). Used to attach hidden,
 * per-object data to plain objects that must stay plain (no new keys, same prototype): private
 * fields are invisible to `Object.keys`, `Reflect.ownKeys`, spread, JSON, `structuredClone` and
 * deep-equality checks. It is much cheaper than a module-wide `WeakMap`/`WeakSet` entry per
 * object (an ephemeron-table insert, and more work for every GC). Stamp before freezing: a
 * frozen object takes no new fields.
 */
export class Stamp {
  constructor(target: object) {
    return target;
  }
}
