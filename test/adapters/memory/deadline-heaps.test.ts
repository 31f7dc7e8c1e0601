import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DeadlineHeaps } from '../../../src/adapters/memory/deadline-heaps.js';

describe('memory deadlines: a heap per kind (issue 16, memory per ticket)', () => {
  it('nothing is due before its instant, and an entry due exactly now is due', () => {
    const heaps = new DeadlineHeaps();
    heaps.push(100, 'ticket', 't1');
    expect(heaps.popDue(99)).toBeUndefined();
    expect(heaps.popDue(100)).toEqual(['ticket', 't1', 100]);
    expect(heaps.popDue(1_000)).toBeUndefined();
  });

  it('entries due at the same instant leave in push order, across kinds', () => {
    const heaps = new DeadlineHeaps();
    heaps.push(5, 'ticket', 'a');
    heaps.push(5, 'login', 'b');
    heaps.push(5, 'ticket', 'c');
    heaps.push(4, 'recovery', 'd');
    const out = [heaps.popDue(10), heaps.popDue(10), heaps.popDue(10), heaps.popDue(10), heaps.popDue(10)];
    expect(out).toEqual([['recovery', 'd', 4], ['ticket', 'a', 5], ['login', 'b', 5], ['ticket', 'c', 5], undefined]);
  });

  it('pops in the order one heap of (time, push order, kind, id) would', () => {
    const entry = fc.record({
      at: fc.integer({ min: 0, max: 20 }),
      kind: fc.constantFrom('ticket', 'login', 'recovery'),
      id: fc.string({ maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), fc.integer({ min: 0, max: 20 }), (entries, now) => {
        const heaps = new DeadlineHeaps();
        entries.forEach((e) => heaps.push(e.at, e.kind, e.id));
        const expected = entries
          .map((e, i) => ({ ...e, i }))
          .filter((e) => e.at <= now)
          .sort((x, y) => x.at - y.at || x.i - y.i)
          .map((e) => [e.kind, e.id, e.at]);
        const got: Array<[string, string, number]> = [];
        for (let next = heaps.popDue(now); next; next = heaps.popDue(now)) got.push(next);
        expect(got).toEqual(expected);
      }),
    );
  });

  it('retain keeps one entry per (kind, id, time), the first pushed, and order is unchanged', () => {
    const heaps = new DeadlineHeaps();
    heaps.push(5, 'ticket', 'a');
    heaps.push(3, 'ticket', 'b');
    heaps.push(5, 'login', 'a'); // another kind: not a duplicate of ticket a
    heaps.push(5, 'ticket', 'a');
    heaps.push(4, 'ticket', 'a');
    heaps.push(3, 'ticket', 'x');
    heaps.retain((_kind, id) => id !== 'x');
    const out: Array<[string, string, number] | undefined> = [];
    for (let next = heaps.popDue(10); next; next = heaps.popDue(10)) out.push(next);
    expect(out).toEqual([
      ['ticket', 'b', 3],
      ['ticket', 'a', 4],
      ['ticket', 'a', 5],
      ['login', 'a', 5],
    ]);
  });

  it('is overgrown past 1,024 entries, then past twice what the last retain kept plus 1,024', () => {
    const heaps = new DeadlineHeaps();
    for (let n = 0; n < 1_024; n++) heaps.push(n, 'ticket', `t${n}`);
    expect(heaps.overgrown).toBe(false);
    heaps.push(0, 'ticket', 'one more');
    expect(heaps.overgrown).toBe(true);
    heaps.retain((_kind, id) => id.startsWith('t') && id < 't2'); // t0, t1, t10…t19, t100…t199, t1000…t1023: 136 kept
    expect(heaps.overgrown).toBe(false);
    for (let n = 0; n < 2 * 136 + 1_024 - 136; n++) heaps.push(5_000 + n, 'login', `l${n}`);
    expect(heaps.overgrown).toBe(false);
    heaps.push(9_999, 'login', 'past the limit');
    expect(heaps.overgrown).toBe(true);
    // A pop counts too: the heaps hold one entry fewer.
    heaps.popDue(Number.MAX_SAFE_INTEGER);
    expect(heaps.overgrown).toBe(false);
  });
});
