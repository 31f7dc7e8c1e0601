import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { DueRecord } from '../../src/ports/deadline-index.js';
import type { HistoryEntry } from '../../src/ports/history-store.js';
import type { Json } from '../../src/ports/json.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import { storageConformanceCases } from '../../src/testing/index.js';
import { deadlineCases } from '../../src/testing/storage-deadline-conformance.js';

// Each storage below breaks one rule of the port (docs/ports.md, src/ports/*.ts) and passed the
// whole suite before a case for that rule was added: the suite must now report a failure for it.

/** The memory storage with `overrides` in place of its own methods (the others bound to it). */
function memoryWith(overrides: (inner: Storage) => Partial<Storage>): () => Storage {
  return () => {
    const inner = createMemoryStorage();
    const own = overrides(inner);
    return new Proxy(inner, {
      get(target, property, receiver) {
        if (Object.hasOwn(own, property)) return own[property as keyof Storage];
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
}

/**
 * A deadline index of its own over the memory storage's records: it picks the due, unleased
 * records lowest `rank` first (ties in commit order) and returns the batch sorted by due time.
 */
function deadlinesRanked(rank: (entry: { at: number; lease: number }) => number): () => Storage {
  return memoryWith((inner) => {
    const deadlines = new Map<string, { kind: string; id: string; at: number; lease: number }>();
    return {
      async commit(commit: Commit) {
        const result = await inner.commit(commit);
        for (const w of result ? commit.writes : []) {
          const key = JSON.stringify([w.kind, w.id]);
          if (w.nextDueAt === null) deadlines.delete(key);
          else deadlines.set(key, { kind: w.kind, id: w.id, at: w.nextDueAt, lease: -Infinity }); // a commit ends the lease
        }
        return result;
      },
      async claimDue(now: number, leaseUntil: number, limit: number): Promise<DueRecord[]> {
        const due = [...deadlines.values()].filter((d) => d.at <= now && d.lease <= now);
        const picked = due.sort((a, b) => rank(a) - rank(b)).slice(0, Math.max(0, limit));
        for (const d of picked) d.lease = leaseUntil;
        return picked.map((d) => ({ kind: d.kind, id: d.id, dueAt: d.at })).sort((a, b) => a.dueAt - b.dueAt);
      },
    };
  });
}

/** A limit ignored: always, or (a subtler break) only when it is above 0. */
const ignoring = [
  ['ignores its limit', (): number => 1_000_000],
  ['ignores a limit above 0', (limit: number): number => (limit > 0 ? 1_000_000 : limit)],
] as const;

const broken: Array<[rule: string, create: () => Storage, cases: string[]]> = [
  ...ignoring.flatMap(([how, limitOf]): typeof broken => [
    [
      `claimDue ${how}`,
      memoryWith((inner) => ({
        claimDue: (now, leaseUntil, limit) => inner.claimDue(now, leaseUntil, limitOf(limit)),
      })),
      [
        'claimDue claims at most `limit` records per call',
        'claimDue with a limit claims the earliest due records first, whatever the commit order',
      ],
    ],
    [
      `claimOutbox ${how}`,
      memoryWith((inner) => ({
        claimOutbox: (channels, now, leaseUntil, limit) => inner.claimOutbox(channels, now, leaseUntil, limitOf(limit)),
      })),
      ['outbox: a claim returns at most `limit` messages'],
    ],
    [
      `listOutbox ${how}`,
      memoryWith((inner) => ({
        listOutbox: (query = {}) =>
          inner.listOutbox(query.limit === undefined ? query : { ...query, limit: limitOf(query.limit) }),
      })),
      ['outbox: listOutbox returns at most `limit` messages, oldest first'],
    ],
  ]),
  [
    "history returns the caller's committed entries",
    memoryWith((inner) => {
      const given = new Map<string, HistoryEntry[]>();
      return {
        async commit(commit: Commit) {
          const result = await inner.commit(commit);
          for (const h of result ? commit.history : []) {
            const key = JSON.stringify([h.kind, h.id]);
            const list = given.get(key) ?? [];
            given.set(key, list);
            list.push(Object.assign(h, { seq: list.length + 1 })); // the caller's object itself
          }
          return result;
        },
        history: async (kind, id) => [...(given.get(JSON.stringify([kind, id])) ?? [])],
      };
    }),
    ['history does not alias the committed entries, nor the entries it returned'],
  ],
  [
    'getIdempotency hands out one shared mutable object',
    memoryWith((inner) => {
      const cache = new Map<string, Json>();
      return {
        async getIdempotency(scope, key) {
          const at = JSON.stringify([scope, key]);
          if (!cache.has(at)) {
            const value = await inner.getIdempotency(scope, key);
            if (value === null) return null;
            cache.set(at, structuredClone(value));
          }
          return cache.get(at)!;
        },
      };
    }),
    ['getIdempotency does not alias the committed value, nor the value it returned'],
  ],
  [
    'claimDue picks in commit order (and sorts only the batch)',
    deadlinesRanked(() => 0),
    ['claimDue with a limit claims the earliest due records first, whatever the commit order'],
  ],
  [
    'claimDue re-queues a lapsed claim at its lease end (ranks by the later of due time and lease)',
    deadlinesRanked((d) => Math.max(d.at, d.lease)),
    ['claimDue claims a record whose lease lapsed by its due time, before records due later'],
  ],
  [
    'idempotency scope and key joined with U+0000',
    memoryWith((inner) => {
      const stored = new Map<string, Json>();
      const joined = (scope: string, key: string) => `${scope}\u0000${key}`;
      return {
        async commit(commit: Commit) {
          if (commit.idempotency.some((r) => stored.has(joined(r.scope, r.key)))) return null;
          const result = await inner.commit({ ...commit, idempotency: [] });
          for (const r of result ? commit.idempotency : [])
            stored.set(joined(r.scope, r.key), structuredClone(r.value));
          return result;
        },
        getIdempotency: async (scope, key) => stored.get(joined(scope, key)) ?? null,
      };
    }),
    ['an idempotency scope and key stay apart: U+0000 in one is refused, or joins no other pair'],
  ],
];

describe('the storage conformance suite fails a storage that breaks the port', () => {
  for (const [rule, create, names] of broken) {
    for (const name of names) {
      it(`${rule}: fails "${name}"`, async () => {
        const found = storageConformanceCases({ create }).find((c) => c.name === name);
        expect(found, `no case named "${name}"`).toBeDefined();
        await expect(found!.run()).rejects.toMatchObject({ name: 'ConformanceFailure' });
      });
    }
  }
});

describe('the same cases pass the same wrappers when they keep the rule', () => {
  for (const c of deadlineCases({ create: deadlinesRanked((d) => d.at) })) {
    it(`a deadline index ranking by due time alone: passes "${c.name}"`, c.run);
  }
  // Not the two cases the memory storage at HEAD fails (a lapsed claim, U+0000 in idempotency).
  const targeted = (name: string) => broken.some(([, , names]) => names.includes(name));
  for (const c of storageConformanceCases({ create: memoryWith(() => ({})) })) {
    if (targeted(c.name) && !/lapsed|stay apart/.test(c.name)) {
      it(`the memory storage behind a wrapper overriding nothing: passes "${c.name}"`, c.run);
    }
  }
});
