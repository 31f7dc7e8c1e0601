import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/_lib/min-heap.js';

describe('MinHeap', () => {
  it('pops by key, and among equal keys by tie (default: push order)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), tie: fc.option(fc.integer({ min: 0, max: 50 })) }), {
          maxLength: 200,
        }),
        (entries) => {
          const heap = new MinHeap<number>();
          const model = entries.map((e, n) => ({ key: e.key, tie: e.tie ?? n, n }));
          entries.forEach((e, n) => (e.tie === null ? heap.push(e.key, n) : heap.push(e.key, n, e.tie)));
          // Equal (key, tie) pairs may leave in any order; compare on what the heap promises.
          const popped: Array<{ key: number; tie: number }> = [];
          for (let top = heap.pop(); top; top = heap.pop()) popped.push({ key: top.key, tie: model[top.value]!.tie });
          const expected = [...model]
            .sort((a, b) => a.key - b.key || a.tie - b.tie)
            .map(({ key, tie }) => ({ key, tie }));
          expect(popped).toEqual(expected);
          expect(heap.size).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is first in, first out for 1,000 entries with the same key', () => {
    const heap = new MinHeap<number>();
    for (let n = 0; n < 1_000; n++) heap.push(42, n);
    const out: number[] = [];
    for (let top = heap.pop(); top; top = heap.pop()) out.push(top.value);
    expect(out).toEqual(Array.from({ length: 1_000 }, (_, n) => n));
  });

  it('retain keeps the accepted entries, in the order they would have left', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }), kept: fc.boolean() }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 300 }),
        (entries, poppedFirst) => {
          const heap = new MinHeap<number>();
          entries.forEach((e, n) => heap.push(e.key, n));
          // Some pops first, so retain starts from a heap that is not in push order.
          const gone = new Set<number>();
          for (let i = 0; i < poppedFirst; i++) {
            const top = heap.pop();
            if (top) gone.add(top.value);
          }
          heap.retain((_key, n) => entries[n]!.kept);
          const expected = entries
            .map((e, n) => ({ ...e, n }))
            .filter((e) => e.kept && !gone.has(e.n))
            .sort((a, b) => a.key - b.key || a.n - b.n)
            .map((e) => e.n);
          expect(heap.size).toBe(expected.length);
          const out: number[] = [];
          for (let top = heap.pop(); top; top = heap.pop()) out.push(top.value);
          expect(out).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
