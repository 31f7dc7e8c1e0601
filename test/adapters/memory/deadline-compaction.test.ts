import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeaps } from '../../../src/adapters/memory/deadline-heaps.js';
import { MemoryStorage } from '../../../src/adapters/memory/memory-storage.js';

/** The deadline heaps' entry count, stale ones included (a private field, read by name). */
const heapEntries = (storage: MemoryStorage): number =>
  (storage as unknown as { deadlines: { entries: number } }).deadlines.entries;

async function write(storage: MemoryStorage, id: string, version: number, nextDueAt: number | null): Promise<number> {
  const result = await storage.commit({
    writes: [{ kind: 'ticket', id, expectedVersion: version, state: { due: nextDueAt }, nextDueAt }],
    history: [],
    outbox: [],
    idempotency: [],
  });
  if (!result) throw new Error('commit refused');
  return result.versions[0]!;
}

describe('memory deadlines: stale entries do not pile up (issue 16, memory)', () => {
  it('a ticket whose deadline moved 10,000 times leaves a bounded heap, and is claimed once, at its last deadline', async () => {
    const storage = new MemoryStorage();
    let version = 0;
    let due: number | null = null;
    // Pending (a new 72 h deadline each time) and back to open, as replies would move it.
    for (let i = 0; i < 10_000; i++) {
      due = i % 2 === 0 ? 1_000_000 + i : null;
      version = await write(storage, 't1', version, due);
    }
    due = 2_000_000;
    version = await write(storage, 't1', version, due);
    // Without compaction the heap would hold 5,001 entries; it keeps what the record needs.
    expect(heapEntries(storage)).toBeLessThanOrEqual(2 + 1_024);
    expect(await storage.claimDue(due - 1, due + 60_000, 100)).toEqual([]);
    expect(await storage.claimDue(due, due + 60_000, 100)).toEqual([{ kind: 'ticket', id: 't1', dueAt: due }]);
    expect(await storage.claimDue(due + 1, due + 60_000, 100)).toEqual([]); // claimed: the lease holds it
  });

  it('entries of deleted records and of records without a deadline go at the next compaction', async () => {
    const storage = new MemoryStorage();
    for (let n = 0; n < 1_100; n++) await write(storage, `t${n}`, 0, 5_000 + n);
    // Every record loses its deadline or is deleted: none of the 1,100 entries is needed.
    for (let n = 0; n < 1_100; n++) {
      if (n % 2 === 0) await write(storage, `t${n}`, 1, null);
      else expect(await storage.deleteRecord('ticket', `t${n}`, 1)).toBe(true);
    }
    // One more record moves its deadline until the heaps pass their limit (twice the 1,025 entries
    // kept when they first compacted, plus 1,024) and compact again.
    let version = 0;
    let moves = 0;
    for (let before = heapEntries(storage); moves < 5_000; moves++) {
      version = await write(storage, 'late', version, 9_000 + moves);
      if (heapEntries(storage) < before) break;
      before = heapEntries(storage);
    }
    expect(moves).toBe(2 * 1_025 + 1_024 - 1_100);
    expect(heapEntries(storage)).toBe(1);
    expect(await storage.claimDue(20_000, 30_000, 5_000)).toEqual([
      { kind: 'ticket', id: 'late', dueAt: 9_000 + moves },
    ]);
  });

  it('a claimed record keeps the entry that ends its claim: claimable again when the lease runs out', async () => {
    const storage = new MemoryStorage();
    await write(storage, 'held', 0, 100);
    expect(await storage.claimDue(100, 500, 10)).toHaveLength(1); // leased until 500, never committed
    // Enough other deadline moves to compact several times while the lease runs.
    let version = 0;
    for (let i = 0; i < 5_000; i++) version = await write(storage, 'busy', version, 1_000_000 + i);
    expect(await storage.claimDue(499, 600, 10)).toEqual([]);
    expect(await storage.claimDue(500, 600, 10)).toEqual([{ kind: 'ticket', id: 'held', dueAt: 100 }]);
  });

  it('claims exactly the records due and not held by a live claim, earliest first, whatever compaction dropped', async () => {
    const op = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('write' as const), r: fc.nat(7), due: fc.option(fc.nat(400)) }),
        weight: 8,
      },
      { arbitrary: fc.record({ kind: fc.constant('delete' as const), r: fc.nat(7) }), weight: 1 },
      {
        arbitrary: fc.record({
          kind: fc.constant('claim' as const),
          step: fc.nat(20),
          // A sweep may still work with an earlier `now` (one `now` for all its rounds).
          back: fc.oneof(fc.constant(0), fc.nat(30)),
          lease: fc.integer({ min: 1, max: 60 }),
          limit: fc.constantFrom(1, 2, 100),
        }),
        weight: 2,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 400 }), fc.nat(8), async (ops, slack) => {
        const storage = new MemoryStorage();
        // Little slack, so the heaps compact every few pushes (private field, replaced by name).
        const heaps = new DeadlineHeaps(slack);
        (storage as unknown as { deadlines: DeadlineHeaps }).deadlines = heaps;
        const model = new Map<string, { version: number; due: number | null }>();
        const leases = new Map<string, number>();
        let now = 0;
        for (const o of ops) {
          if (o.kind === 'write') {
            const id = `t${o.r}`;
            const current = model.get(id);
            // Deadlines are set relative to the clock, as the engine sets them.
            const due = o.due === null ? null : now + o.due - 100;
            const version = await write(storage, id, current?.version ?? 0, due);
            model.set(id, { version, due });
            leases.delete(id); // a write ends a claim
          } else if (o.kind === 'delete') {
            const id = `t${o.r}`;
            const current = model.get(id);
            if (!current) continue;
            expect(await storage.deleteRecord('ticket', id, current.version)).toBe(true);
            model.delete(id);
            leases.delete(id);
          } else {
            now += o.step;
            const at = now - o.back;
            const claimed = await storage.claimDue(at, at + o.lease, o.limit);
            const eligible = [...model].filter(
              ([id, r]) => r.due !== null && r.due <= at && !((leases.get(id) ?? -Infinity) > at),
            );
            const due = eligible.map(([id]) => id).sort();
            const ids = claimed.map((c) => c.id);
            expect(new Set(ids).size).toBe(ids.length);
            for (const c of claimed) {
              expect(due).toContain(c.id);
              expect(c.dueAt).toBe(model.get(c.id)!.due);
              leases.set(c.id, at + o.lease);
            }
            if (ids.length < o.limit) expect([...ids].sort()).toEqual(due);
            // Earliest due first: in order, and none left behind that was due before one claimed.
            const times = claimed.map((c) => c.dueAt);
            expect(times).toEqual([...times].sort((x, y) => x - y));
            const last = Math.max(...times);
            for (const [id, r] of eligible) if (!ids.includes(id)) expect(r.due, id).toBeGreaterThanOrEqual(last);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
