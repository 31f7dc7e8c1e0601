/**
 * Issue 16 (memory per stored ticket): frozen copies share what many stored states hold alike —
 * one frozen empty list, one frozen empty object, and small leaves of numbers, booleans, null and
 * lower-case words (`{ duration: 28800000, clock: 'business' }`). Sharing must never merge two
 * values JSON or `Object.is` tells apart, never hand out a mutable object, and never keep text a
 * person wrote (ids, names, addresses) in the shared table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgetSharedLeaves, frozenCopy, frozenCopyAmong, toJson } from '../../src/_lib/json.js';
import type { Json } from '../../src/ports/json.js';

/** Deep equality that keeps key order and tells -0 from 0 (what a shared object must preserve). */
function identical(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => identical((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

describe('frozen copies share equal small leaves', () => {
  it('equal leaves of numbers, booleans, null and lower-case words are one frozen object', () => {
    const a = frozenCopy({ target: { duration: 28_800_000, clock: 'business' }, paused: { on: true, at: null } });
    const b = frozenCopy({ target: { duration: 28_800_000, clock: 'business' }, paused: { on: true, at: null } });
    expect(a).not.toBe(b); // the outer objects hold objects: not leaves
    const [ta, tb] = [a as Record<string, Json>, b as Record<string, Json>];
    expect(ta.target).toBe(tb.target);
    expect(ta.paused).toBe(tb.paused);
    expect(deeplyFrozen(a)).toBe(true);
  });

  it('empty lists and empty objects are one frozen instance each', () => {
    const a = frozenCopy({ tags: [], fields: {} }) as Record<string, Json>;
    const b = frozenCopy({ followers: [], custom: {} }) as Record<string, Json>;
    expect(a.tags).toBe(b.followers);
    expect(a.fields).toBe(b.custom);
    expect(Object.isFrozen(a.tags)).toBe(true);
    expect(Object.isFrozen(a.fields)).toBe(true);
    expect(a.tags).toEqual([]);
    expect(a.fields).toEqual({});
  });

  it('a leaf holding an id, a name, an address or free text is never shared', () => {
    for (const text of ['cust-1', 'Anna', 'anna@example.test', 'van 7 stopped', 'ádám', 'x'.repeat(25)]) {
      const a = frozenCopy({ role: 'requester', who: text });
      const b = frozenCopy({ role: 'requester', who: text });
      expect(a).toEqual(b);
      expect(a).not.toBe(b);
    }
  });

  it('a leaf keyed by anything but an identifier, or holding a number past 31 bits or a fraction, is never shared', () => {
    const leaves = [
      { 'anna@example.test': true },
      { 'Anna Kovacs': 1 },
      { phone: 36_301_234_567 },
      { amount: 1.5 },
      { n: 2 ** 31 },
      { n: -(2 ** 31) },
    ];
    for (const leaf of leaves) expect(frozenCopy(leaf)).not.toBe(frozenCopy(leaf));
    for (const leaf of [{ n: 2 ** 31 - 1 }, { n: -(2 ** 31 - 1) }, { firstResponse: 0, on_hold: 28_800_000 }]) {
      expect(frozenCopy(leaf)).toBe(frozenCopy(leaf));
    }
  });

  it('forgetSharedLeaves empties the table: the next equal leaf is a new object, shared from then on', () => {
    const leaf = { login: 'alice' };
    const before = frozenCopy(leaf);
    expect(frozenCopy(leaf)).toBe(before);
    forgetSharedLeaves();
    const after = frozenCopy(leaf);
    expect(after).not.toBe(before);
    expect(after).toEqual(before);
    expect(frozenCopy(leaf)).toBe(after);
  });

  it('a leaf over four keys is not shared', () => {
    const leaf = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    expect(frozenCopy(leaf)).not.toBe(frozenCopy(leaf));
    expect(frozenCopy({ a: 1, b: 2, c: 3, d: 4 })).toBe(frozenCopy({ a: 1, b: 2, c: 3, d: 4 }));
  });

  it('never merges what JSON or Object.is tells apart: 0 and -0, 1 and "1", key order, null and false', () => {
    const pairs: Array<[Json, Json]> = [
      [{ n: 0 }, { n: -0 }],
      [{ n: 1 }, { n: '1' as Json }],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [{ v: null }, { v: false }],
      [{ v: 'true' }, { v: true }],
      [{ a: 1 }, { a: 1, b: null }],
    ];
    for (const [x, y] of pairs) {
      const [cx, cy] = [frozenCopy(x), frozenCopy(y)];
      expect(cx).not.toBe(cy);
      expect(identical(cx, x)).toBe(true);
      expect(identical(cy, y)).toBe(true);
    }
  });

  it('a shared copy is always identical to its input (random leaves)', () => {
    const word = fc.constantFrom('new', 'open', 'pending', 'business', 'calendar', 'agent', 'a_b');
    const value = fc.oneof(word, fc.integer({ min: -3, max: 3 }), fc.constantFrom(0, -0, 1.5, null, true, false));
    const leaf = fc.dictionary(fc.constantFrom('from', 'to', 'at', 'on', 'n'), value, { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 2, maxLength: 20 }), (leaves) => {
        const copies = leaves.map((l) => frozenCopy(l));
        copies.forEach((c, i) => {
          expect(identical(c, leaves[i])).toBe(true);
          expect(Object.isFrozen(c)).toBe(true);
          expect(c).not.toBe(leaves[i]);
        });
        for (let i = 0; i < copies.length; i++)
          for (let j = 0; j < copies.length; j++)
            if (copies[i] === copies[j]) expect(identical(leaves[i], leaves[j])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps copying correctly once the table has started over (more distinct leaves than it holds)', () => {
    for (let i = 0; i < 20_000; i++)
      expect(frozenCopy({ at: i, paused: i % 2 === 0 })).toEqual({ at: i, paused: i % 2 === 0 });
    expect(frozenCopy({ duration: 1, clock: 'business' })).toBe(frozenCopy({ duration: 1, clock: 'business' }));
  });

  it('toJson (an unfrozen copy) shares nothing: every object is new and mutable', () => {
    const a = toJson({ tags: [], leaf: { on: true } }) as Record<string, Json>;
    const b = toJson({ tags: [], leaf: { on: true } }) as Record<string, Json>;
    expect(a.tags).not.toBe(b.tags);
    expect(a.leaf).not.toBe(b.leaf);
    expect(Object.isFrozen(a.leaf)).toBe(false);
  });
});

describe('frozen copies among a caller-owned list of leaves (frozenCopyAmong)', () => {
  it('a leaf holding an id is shared with an equal leaf of the list, and a new one joins the list', () => {
    const leaves: Json[] = [];
    const message = frozenCopyAmong({ body: 'Van 7.', author: { role: 'requester', id: 'cust-1' } }, leaves) as Record<
      string,
      Json
    >;
    expect(leaves).toEqual([{ role: 'requester', id: 'cust-1' }]);
    const actor = frozenCopyAmong({ role: 'requester', id: 'cust-1' }, leaves);
    expect(actor).toBe(message.author);
    expect(leaves).toHaveLength(1);
    expect(Object.isFrozen(actor)).toBe(true);
  });

  it('never merges leaves told apart by key order, a value, -0 or a nested object', () => {
    const leaves: Json[] = [];
    const base = frozenCopyAmong({ role: 'agent', id: 'agent-1' }, leaves);
    const others = [
      { id: 'agent-1', role: 'agent' },
      { role: 'agent', id: 'agent-2' },
      { role: 'agent', id: 'agent-1', via: 'guest_token' },
      { role: 'agent' },
    ].map((value) => frozenCopyAmong(value, leaves));
    for (const other of others) expect(other).not.toBe(base);
    expect(frozenCopyAmong({ n: 'a-1', v: -0 }, leaves)).not.toBe(frozenCopyAmong({ n: 'a-1', v: 0 }, leaves));
    const nested = frozenCopyAmong({ id: 'x-1', more: { id: 'x-1' } }, leaves) as Record<string, Json>;
    expect(nested).not.toBe(nested.more);
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(
            fc.constantFrom('id', 'role', 'n'),
            fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(-0)),
          ),
          {
            maxLength: 12,
          },
        ),
        (values) => {
          const list: Json[] = [];
          const copies = values.map((value) => frozenCopyAmong(value, list));
          for (let i = 0; i < values.length; i++) {
            expect(identical(copies[i], toJson(values[i]))).toBe(true);
            for (let j = 0; j < i; j++) if (copies[i] === copies[j]) expect(identical(values[i], values[j])).toBe(true);
          }
        },
      ),
    );
  });

  it('the list grows to 32 leaves at most; later new leaves are copied on their own, correctly', () => {
    const leaves: Json[] = [];
    const actors = Array.from({ length: 100 }, (_, i) => ({ role: 'agent', id: `agent-${i}` }));
    const copies = actors.map((actor) => frozenCopyAmong(actor, leaves));
    expect(leaves).toHaveLength(32);
    expect(copies).toEqual(actors);
    expect(frozenCopyAmong(actors[5], leaves)).toBe(copies[5]);
    expect(frozenCopyAmong(actors[50], leaves)).not.toBe(copies[50]);
  });

  it('without a list, a leaf holding an id is copied on its own (nothing global keeps ids)', () => {
    const a = frozenCopy({ role: 'requester', id: 'cust-1' });
    expect(frozenCopy({ role: 'requester', id: 'cust-1' })).not.toBe(a);
  });
});
