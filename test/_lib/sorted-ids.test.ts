import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedIds } from '../../src/_lib/sorted-ids.js';

/** The model: a plain sorted array of distinct strings. */
class SortedArrayModel {
  readonly items: string[] = [];
  add(id: string): void {
    if (!this.items.includes(id)) {
      this.items.push(id);
      this.items.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }
  delete(id: string): void {
    const i = this.items.indexOf(id);
    if (i >= 0) this.items.splice(i, 1);
  }
  from(after: string | undefined): string[] {
    return after === undefined ? [...this.items] : this.items.filter((id) => id > after);
  }
}

// A small alphabet makes duplicates, near neighbours and shared prefixes common; '' sorts before
// everything and '~~~~' after everything the alphabet can build.
const id = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e'), minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '~~~~', 'A', '\u0000') },
);
const op = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('add' as const), id }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('delete' as const), id }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('from' as const), id: fc.option(id, { nil: undefined }) }) },
);

function run(ops: ReadonlyArray<{ type: 'add' | 'delete' | 'from'; id: string | undefined }>): void {
  const set = new SortedIds();
  const model = new SortedArrayModel();
  for (const o of ops) {
    if (o.type === 'add') {
      set.add(o.id!);
      model.add(o.id!);
    } else if (o.type === 'delete') {
      set.delete(o.id!);
      model.delete(o.id!);
    } else {
      expect([...set.from(o.id)]).toEqual(model.from(o.id));
    }
    expect(set.size).toBe(model.items.length);
  }
  expect([...set.from(undefined)]).toEqual(model.items);
}

describe('SortedIds (B+tree) against a sorted array', () => {
  it('agrees on every add, delete and from() over random sequences, duplicates included', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => run(ops)),
      { numRuns: 300 },
    );
  });

  it('agrees across leaf splits, borrows, merges and a shrinking root (thousands of ids)', () => {
    // Ids from a larger space so the tree grows several levels, then is emptied in random order.
    const wideId = fc.integer({ min: 0, max: 20_000 }).map((n) => `tkt_${String(n).padStart(5, '0')}`);
    fc.assert(
      fc.property(
        fc.array(wideId, { minLength: 2_000, maxLength: 6_000 }),
        fc.array(wideId, { maxLength: 6_000 }),
        fc.array(fc.option(wideId, { nil: undefined }), { maxLength: 20 }),
        (adds, deletes, cursors) => {
          const set = new SortedIds();
          const model = new Set<string>();
          for (const a of adds) {
            set.add(a);
            model.add(a);
          }
          for (const d of deletes) {
            set.delete(d);
            model.delete(d);
          }
          const sorted = [...model].sort();
          expect(set.size).toBe(sorted.length);
          expect([...set.from(undefined)]).toEqual(sorted);
          for (const after of cursors) {
            expect([...set.from(after)]).toEqual(after === undefined ? sorted : sorted.filter((x) => x > after));
          }
          for (const a of adds) set.delete(a);
          expect(set.size).toBe(0);
          expect([...set.from(undefined)]).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('pages from an id before everything, between ids, on an id and after everything', () => {
    const set = new SortedIds();
    for (let n = 0; n < 1_000; n += 2) set.add(`id${String(n).padStart(4, '0')}`);
    expect([...set.from('')].length).toBe(500);
    expect([...set.from('id0499')][0]).toBe('id0500');
    expect([...set.from('id0500')][0]).toBe('id0502');
    expect([...set.from('id0998')]).toEqual([]);
    expect([...set.from('zzz')]).toEqual([]);
  });

  it('keeps ids added in ascending and descending order sorted', () => {
    const up = new SortedIds();
    const down = new SortedIds();
    const ids = Array.from({ length: 5_000 }, (_, n) => `t${String(n).padStart(5, '0')}`);
    for (const x of ids) up.add(x);
    for (const x of [...ids].reverse()) down.add(x);
    expect([...up.from(undefined)]).toEqual(ids);
    expect([...down.from(undefined)]).toEqual(ids);
    for (const x of ids.filter((_, n) => n % 3 !== 0)) down.delete(x);
    expect([...down.from(undefined)]).toEqual(ids.filter((_, n) => n % 3 === 0));
  });
});

/** A node as the tree keeps it (internal: read here to check the shape, never written). */
interface NodeShape {
  leaf: boolean;
  keys: string[];
  codes: number[] | null;
  children?: NodeShape[];
  next?: NodeShape | null;
}

const rootOf = (set: SortedIds): NodeShape => (set as unknown as { root: NodeShape }).root;

/**
 * Checks what every search relies on: each node's keys sorted with a code each, a branch with
 * one key fewer than children, every id of a child within its separators, and the leaves chained
 * in order. Returns the leaves' sizes, left to right.
 */
function checkShape(set: SortedIds): number[] {
  const leaves: NodeShape[] = [];
  const walk = (node: NodeShape, low: string | undefined, high: string | undefined): void => {
    const keys = node.keys;
    for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true);
    if (node.codes) expect(node.codes.length).toBe(keys.length);
    if (node.leaf) {
      for (const key of keys) {
        if (low !== undefined) expect(key >= low).toBe(true);
        if (high !== undefined) expect(key < high).toBe(true);
      }
      leaves.push(node);
      return;
    }
    const children = node.children!;
    expect(keys.length).toBe(children.length - 1);
    children.forEach((child, j) => walk(child, j === 0 ? low : keys[j - 1], j === keys.length ? high : keys[j]));
  };
  walk(rootOf(set), undefined, undefined);
  leaves.forEach((leaf, i) => expect(leaf.next ?? null).toBe(leaves[i + 1] ?? null));
  return leaves.map((leaf) => leaf.keys.length);
}

describe('SortedIds with ids made in ascending order (default ids are time-ordered)', () => {
  const nth = (n: number) => `tkt_${String(n).padStart(6, '0')}`;

  it('ids appended in ascending order fill their leaves instead of leaving them half full', () => {
    const set = new SortedIds();
    for (let n = 0; n < 64 * 64; n++) set.add(nth(n));
    expect(checkShape(set)).toEqual(Array.from({ length: 64 }, () => 64));
    set.add(nth(64 * 64)); // the next leaf starts with the new id alone
    expect(checkShape(set).slice(-2)).toEqual([64, 1]);
  });

  it('ids added anywhere but past the end still split a full leaf in the middle', () => {
    const set = new SortedIds();
    for (let n = 0; n < 64 * 4; n += 2) set.add(nth(n));
    set.add(nth(1)); // into the full first leaf
    expect(checkShape(set).slice(0, 2)).toEqual([32, 33]);
  });

  it('agrees with a sorted array when appends mix with deletes at the end and anywhere, and re-adds', () => {
    const step = fc.oneof(
      { weight: 6, arbitrary: fc.constant({ type: 'append' as const, at: 0 }) },
      { weight: 2, arbitrary: fc.constant({ type: 'deleteLast' as const, at: 0 }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant('delete' as const), at: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('readd' as const), at: fc.nat() }) },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_000 }), fc.array(step, { maxLength: 3_000 }), (start, steps) => {
        const set = new SortedIds();
        const model: string[] = [];
        const gone: string[] = [];
        let next = 0;
        for (; next < start; next++) {
          set.add(nth(next));
          model.push(nth(next));
        }
        for (const s of steps) {
          if (s.type === 'append') {
            set.add(nth(next));
            model.push(nth(next++));
          } else if (s.type === 'readd' && gone.length > 0) {
            const [id] = gone.splice(s.at % gone.length, 1);
            set.add(id!);
            model.push(id!);
            model.sort();
          } else if (model.length > 0 && s.type !== 'readd') {
            const i = s.type === 'deleteLast' ? model.length - 1 : s.at % model.length;
            const [id] = model.splice(i, 1);
            set.delete(id!);
            gone.push(id!);
          }
        }
        expect(set.size).toBe(model.length);
        checkShape(set);
        expect([...set.from(undefined)]).toEqual(model);
        const after = model[Math.floor(model.length / 3)];
        expect([...set.from(after)]).toEqual(model.filter((x) => after === undefined || x > after));
        for (const id of [...model].reverse()) set.delete(id);
        expect(set.size).toBe(0);
        expect([...set.from(undefined)]).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('SortedIds codes (numbers compared before the strings)', () => {
  // Long shared prefixes, code units at and above 255, surrogates and keys that are prefixes of
  // others: the cases where two keys' codes tie or a search id leaves a node's shared prefix.
  const unit = fc.constantFrom('a', 'b', '\u00fe', '\u00ff', '\u0100', '\uffff', '\ud83d', '\ude00', '\u0000');
  const tricky = fc
    .tuple(fc.constantFrom('', 'tkt_0mm8y7c0000', 'tkt_0mm8y7c0001'), fc.string({ unit, maxLength: 9 }))
    .map(([prefix, rest]) => prefix + rest);

  it('agrees with a sorted array when keys share long prefixes and hold high code units', () => {
    fc.assert(
      fc.property(
        fc.array(tricky, { minLength: 50, maxLength: 1_500 }),
        fc.array(tricky, { maxLength: 1_500 }),
        fc.array(fc.option(tricky, { nil: undefined }), { maxLength: 30 }),
        (adds, deletes, cursors) => {
          const set = new SortedIds();
          const model = new SortedArrayModel();
          for (const a of adds) {
            set.add(a);
            model.add(a);
          }
          for (const d of deletes) {
            set.delete(d);
            model.delete(d);
          }
          expect(set.size).toBe(model.items.length);
          for (const after of cursors) expect([...set.from(after)]).toEqual(model.from(after));
          expect([...set.from(undefined)]).toEqual(model.items);
        },
      ),
      { numRuns: 60 },
    );
  });

  // A node keeps a shared prefix of up to 12 characters as two numbers (6 characters each) and
  // reads its first key only past that or when the prefix holds a unit of 255 or more: prefixes
  // on both sides of 6 and 12, with such units, and ids that stop inside them.
  const prefixed = fc
    .tuple(
      fc.constantFrom(
        '',
        'abcde',
        'abcdef',
        'abcdefg',
        'abcdefghijk',
        'abcdefghijkl',
        'abcdefghijklm',
        'ab\u00ffcd',
        'abcdefghij\u0100',
      ),
      fc.string({ unit: fc.constantFrom('a', 'b', 'f', 'g', 'l', 'm', '\u00fe', '\u00ff', '\u0100'), maxLength: 6 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(99) }, { weight: 1, arbitrary: fc.nat(14) }),
    )
    .map(([prefix, rest, cut]) => (prefix + rest).slice(0, Math.max(1, cut)));

  it('routes by a lone separator that a borrow replaced with a key outside its old prefix', () => {
    const key = (n: number) => `tkt_${String(n).padStart(5, '0')}`;
    const set = new SortedIds();
    const model = new SortedArrayModel();
    const add = (n: number) => (set.add(key(n)), model.add(key(n)));
    // 65 keys split the root leaf: 32 left (0..310), 33 right (320..640), one separator (320).
    for (let n = 0; n <= 640; n += 10) add(n);
    for (let n = 1; n <= 15; n += 2) add(n); // the left leaf: 40 keys
    for (const n of [640, 630]) {
      set.delete(key(n));
      model.delete(key(n));
    }
    // The right leaf fell to 31 and borrowed 310 from the left: the root's key is now 310.
    add(315);
    expect([...set.from(undefined)]).toEqual(model.items);
    expect([...set.from(key(312))].slice(0, 2)).toEqual([key(315), key(320)]);
  });

  it('agrees across splits, borrows and merges when shared prefixes are near 6 and 12 characters or hold high units', () => {
    let largest = 0;
    fc.assert(
      fc.property(
        fc.array(prefixed, { minLength: 300, maxLength: 800 }),
        fc.array(fc.oneof(fc.nat(), prefixed), { maxLength: 800 }),
        fc.array(fc.option(prefixed, { nil: undefined }), { maxLength: 20 }),
        (adds, changes, cursors) => {
          // Adds first, so the set grows into a tree; then deletes of added ids (a number picks
          // one) mixed with adds of new ones, so leaves and branches borrow, merge and split.
          const ops: Array<{ type: 'add' | 'delete' | 'from'; id: string | undefined }> = adds.map((id) => ({
            type: 'add',
            id,
          }));
          for (const c of changes) {
            ops.push(typeof c === 'number' ? { type: 'delete', id: adds[c % adds.length] } : { type: 'add', id: c });
          }
          for (const after of cursors) ops.push({ type: 'from', id: after });
          largest = Math.max(largest, new Set(adds).size);
          run(ops);
        },
      ),
      { numRuns: 60 },
    );
    // The property is only worth something if the sets outgrew one leaf (64 ids) by far.
    expect(largest).toBeGreaterThan(200);
  });

  it('routes by a separator that a borrow replaced, when the prefix is read from the first key', () => {
    // Ids made in one millisecond by one process share 15 characters: past the 12 kept as numbers.
    const a = (n: number) => `tkt_0lqz7hq40${n.toString(36).padStart(4, '0')}`;
    const b = (n: number) => `tkt_0miok2ww0${n.toString(36).padStart(4, '0')}`;
    const set = new SortedIds();
    const model = new SortedArrayModel();
    const add = (id: string) => (set.add(id), model.add(id));
    const del = (id: string) => (set.delete(id), model.delete(id));
    for (let n = 0; n < 100; n++) add(b(n)); // root [b32, b64] over three leaves
    for (let n = 0; n < 32; n++) add(a(n));
    for (let n = 0; n < 32; n++) del(b(n)); // the first leaf holds a0..a31
    for (let n = 32; n < 36; n++) add(a(n));
    del(b(32)); // the second leaf borrows a35: the root's first separator leaves its old prefix
    del(b(40));
    expect(set.size).toBe(model.items.length);
    expect([...set.from(undefined)]).toEqual(model.items);
    expect([...set.from(b(33))]).toEqual(model.from(b(33)));
  });

  it('tells ids that differ from a node prefix of 12, 13 or 14 characters, or one with units of 255 or more, in its last place', () => {
    const tails = 'abcdefghijklmnopqrst';
    for (const prefix of ['abcdefghijkl', 'abcdefghijklm', 'abcdefghijklmn', 'ab\u0100', 'abcdefghij\u00ff\u0100']) {
      const set = new SortedIds();
      const model = new SortedArrayModel();
      // Leaves of these keys share exactly the prefix: the next character varies within a leaf.
      for (let n = 0; n < 200; n++) {
        const id = prefix + tails[n % 20]! + tails[Math.floor(n / 20)]!;
        set.add(id);
        model.add(id);
      }
      // Probes that share all but one place of the prefix (one unit up or down), and cut ones.
      const probes: string[] = [];
      for (let i = 0; i < prefix.length; i++) {
        for (const step of [-1, 1]) {
          probes.push(
            prefix.slice(0, i) + String.fromCharCode(prefix.charCodeAt(i) + step) + prefix.slice(i + 1) + 'k',
          );
        }
        probes.push(prefix.slice(0, i));
      }
      for (const probe of probes) expect([...set.from(probe)]).toEqual(model.from(probe));
      for (const probe of probes) {
        set.add(probe);
        model.add(probe);
      }
      expect([...set.from(undefined)]).toEqual(model.items);
      for (const probe of probes) {
        set.delete(probe);
        model.delete(probe);
      }
      expect([...set.from(undefined)]).toEqual(model.items);
    }
  });

  it('re-codes an emptied leaf from its next key', () => {
    for (const prefix of ['pppppppppppppp', '\u0100\u0100', 'pp']) {
      const set = new SortedIds();
      const ids = Array.from({ length: 80 }, (_, n) => prefix + String(n).padStart(6, '0'));
      for (const id of ids) set.add(id);
      for (const id of ids) set.delete(id); // the root collapses to a leaf with codes, then empties
      set.add('x');
      expect([...set.from(undefined)]).toEqual(['x']);
      expect([...set.from('x')]).toEqual([]);
      expect([...set.from('w')]).toEqual(['x']);
    }
  });
});
