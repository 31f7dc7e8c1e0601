import type { DueRecord } from '../ports/deadline-index.js';
import type { Storage } from '../ports/storage.js';
import {
  caseAdder,
  check,
  commitOf,
  ConformanceFailure,
  random,
  same,
  T0,
  uid,
  write,
  type ConformanceCase,
  type ConformanceTarget,
} from './_conformance-kit.js';

/**
 * The deadline cases of `storageConformanceCases`: `claimDue` claims due records, at most `limit`
 * of them, earliest due first (also a record whose lease lapsed), leases them, and a commit ends
 * the lease. Cases filter by their own kind, so a shared database is fine.
 */
export function deadlineCases(target: ConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('claimDue returns due records earliest first and not future ones', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(
      commitOf({
        writes: [
          write(kind, 'late', 0, {}, { nextDueAt: base + 20 }),
          write(kind, 'early', 0, {}, { nextDueAt: base + 10 }),
          write(kind, 'future', 0, {}, { nextDueAt: base + 10_000 }),
          write(kind, 'none', 0, {}),
        ],
      }),
    );
    const due = (await s.claimDue(base + 100, base + 1000, 1000)).filter((d) => d.kind === kind);
    same(
      due.map((d) => [d.id, d.dueAt]),
      [
        ['early', base + 10],
        ['late', base + 20],
      ],
      'due',
    );
  });

  add('a claimed deadline is not claimed again while leased, and is after the lease ends', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, {}, { nextDueAt: base })] }));
    const mine = (d: { kind: string }[]) => d.filter((x) => x.kind === kind).length;
    same(mine(await s.claimDue(base, base + 100, 1000)), 1, 'first claim');
    same(mine(await s.claimDue(base + 50, base + 150, 1000)), 0, 'during lease');
    same(mine(await s.claimDue(base + 100, base + 200, 1000)), 1, 'after lease');
  });

  add('a commit ends the claim and moves the deadline', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, {}, { nextDueAt: base })] }));
    await s.claimDue(base, base + 10_000, 1000);
    await s.commit(commitOf({ writes: [write(kind, 'a', 1, {}, { nextDueAt: base + 5 })] }));
    same(
      (await s.claimDue(base + 5, base + 10_000, 1000)).filter((d) => d.kind === kind).map((d) => d.dueAt),
      [base + 5],
      'new deadline claimable at once',
    );
    await s.commit(commitOf({ writes: [write(kind, 'a', 2, {}, { nextDueAt: null })] }));
    same(
      (await s.claimDue(base + 1e6, base + 2e6, 1000)).filter((d) => d.kind === kind),
      [],
      'cleared deadline',
    );
  });

  add('two sweepers claiming one deadline: exactly one wins', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(
      commitOf({ writes: Array.from({ length: 20 }, (_, i) => write(kind, `r${i}`, 0, {}, { nextDueAt: base + i })) }),
    );
    const [a, b] = await Promise.all([
      s.claimDue(base + 100, base + 10_000, 1000),
      s.claimDue(base + 100, base + 10_000, 1000),
    ]);
    const ids = [...a!, ...b!].filter((d) => d.kind === kind).map((d) => d.id);
    same(ids.length, 20, 'every record claimed');
    same(new Set(ids).size, 20, 'no record claimed twice');
  });
  add('claimDue claims at most `limit` records per call', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await s.commit(commitOf({ writes: ids.map((id, i) => write(kind, id, 0, {}, { nextDueAt: base + i })) }));
    same(await s.claimDue(base + 100, base + 1000, 0), [], 'claimDue with limit 0');
    await claimInBatches(s, { kind, base, now: base + 100, leaseUntil: base + 1000, limit: 2 }, [
      ['a', base],
      ['b', base + 1],
      ['c', base + 2],
      ['d', base + 3],
      ['e', base + 4],
    ]);
  });

  add('claimDue with a limit claims the earliest due records first, whatever the commit order', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    const due: Array<[id: string, at: number]> = [
      ['c', base + 30],
      ['a', base + 10],
      ['d', base + 40],
      ['b', base + 20],
    ];
    // One record per commit, in an order that is neither the due order nor its reverse.
    for (const [id, at] of due) await s.commit(commitOf({ writes: [write(kind, id, 0, {}, { nextDueAt: at })] }));
    await s.commit(commitOf({ writes: [write(kind, 'future', 0, {}, { nextDueAt: base + 10_000 })] }));
    const sorted = [...due].sort((x, y) => x[1] - y[1]);
    await claimInBatches(s, { kind, base, now: base + 100, leaseUntil: base + 1000, limit: 1 }, sorted);
  });

  add('claimDue claims a record whose lease lapsed by its due time, before records due later', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(commitOf({ writes: [write(kind, 'x', 0, {}, { nextDueAt: base + 100 })] }));
    // x is claimed until base + 1000, and its claimant never commits (a crashed sweeper).
    await claimInBatches(s, { kind, base, now: base + 100, leaseUntil: base + 1000, limit: 1000 }, [['x', base + 100]]);
    await s.commit(commitOf({ writes: [write(kind, 'y', 0, {}, { nextDueAt: base + 500 })] }));
    // At base + 2000 both are due and unleased: x (due at base + 100) is the earliest.
    await claimInBatches(s, { kind, base, now: base + 2000, leaseUntil: base + 3000, limit: 1 }, [
      ['x', base + 100],
      ['y', base + 500],
    ]);
  });

  add('a record whose deadline moved later is claimed at its new deadline, in order', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(commitOf({ writes: [write(kind, 'c', 0, {}, { nextDueAt: base + 11 })] }));
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, {}, { nextDueAt: base + 14 })] }));
    await s.commit(commitOf({ writes: [write(kind, 'c', 1, {}, { nextDueAt: base + 15 })] }));
    await claimInBatches(s, { kind, base, now: base + 16, leaseUntil: base + 1000, limit: 1 }, [
      ['a', base + 14],
      ['c', base + 15],
    ]);
  });

  add('a sweep with an earlier now leaves alone what a lease still covers at that now', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    await s.commit(commitOf({ writes: [write(kind, 'a', 0, {}, { nextDueAt: base }), write(kind, 'c', 0, {}, { nextDueAt: base + 1 })] })); // prettier-ignore
    const mine = (due: DueRecord[]) => due.filter((d) => d.kind === kind).map((d) => d.id);
    same(mine(await s.claimDue(base + 10, base + 60, 1000)).sort(), ['a', 'c'], 'the first claim, until base + 60');
    // A sweep at base + 60 takes a again (limit 1: other records of a shared store may come first).
    for (let calls = 0; !mine(await s.claimDue(base + 60, base + 120, 1)).includes('a'); calls++)
      check(calls < 10_000, 'claimDue(base + 60, …, 1) never claimed a again');
    // A sweep still at base + 59 (one `now` for all its rounds): c's lease holds until base + 60.
    same(mine(await s.claimDue(base + 59, base + 100, 1000)), [], 'claimDue(base + 59) while leased until base + 60');
  });

  return cases;
}

/** One series of claims by {@link claimInBatches}: its own kind, time base, `now`, lease and `limit`. */
interface Claims {
  kind: string;
  base: number;
  now: number;
  leaseUntil: number;
  limit: number;
}

/**
 * Calls `claimDue(now, leaseUntil, limit)` until every record of `expected` (the case's own
 * records due by `now`, as `[id, dueAt]`, earliest first) is claimed, and fails unless each call
 * returns at most `limit` records, earliest first: a record of the case in the order of
 * `expected`, another record (a shared database may hold some) never due later than the case's
 * earliest record still unclaimed.
 */
async function claimInBatches(s: Storage, claims: Claims, expected: Array<[id: string, dueAt: number]>) {
  const { kind, base, now, leaseUntil, limit } = claims;
  const call = `claimDue(base + ${now - base}, base + ${leaseUntil - base}, ${limit})`;
  const shown = (d: DueRecord) => `${d.kind === kind ? d.id : `${d.kind}/${d.id}`} (due at base + ${d.dueAt - base})`;
  const waiting = [...expected];
  // Every claimed record stays leased until after `now`, so each call claims new ones: the bound
  // only stops a store that hands out the same records again.
  for (let calls = 0; waiting.length > 0; calls++) {
    if (calls === 10_000) throw new ConformanceFailure(`${call} did not run out of due records`);
    const batch = await s.claimDue(now, leaseUntil, limit);
    check(batch.length <= limit, `${call} returned ${batch.length} records: ${batch.map(shown).join(', ')}`);
    check(batch.length > 0, `${call} claimed nothing, yet ${waiting.map(([id]) => id).join(', ')} are due`);
    for (const d of batch) {
      check(d.dueAt <= now, `${call} claimed ${shown(d)}, not yet due`);
      const [id, dueAt] = waiting[0] ?? [];
      if (id === undefined || dueAt === undefined) {
        check(d.kind !== kind, `${call} claimed ${shown(d)} again`);
        continue;
      }
      const next = `${id} (due at base + ${dueAt - base})`;
      if (d.kind !== kind) {
        check(d.dueAt <= dueAt, `${call} claimed ${shown(d)} before ${next}: not earliest first`);
        continue;
      }
      check(d.id === id, `${call} claimed ${shown(d)} before ${next}: not earliest first`);
      same(d.dueAt, dueAt, `the due time ${call} returned for ${id}`);
      waiting.shift();
    }
  }
}
