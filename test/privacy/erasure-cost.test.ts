import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { Storage } from '../../src/ports/storage.js';
import { agent, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

const MENTION_SCANS = new Set(['scanMentions', 'scanOutboxMentions', 'scanEventMentions']);

/**
 * Rows each read method of the storage returned, by method (reads of erasure jobs left out).
 * `withoutFilter` hides the store's MentionScan capability, as a host adapter without it.
 */
function countingStorage(storage: Storage, withoutFilter = false) {
  const rows: Record<string, number> = {};
  const proxy = new Proxy(storage, {
    get(target, name, receiver) {
      if (withoutFilter && MENTION_SCANS.has(String(name))) return undefined;
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        // The job's own record is read back after every step: bookkeeping, not the subject's data.
        if (!(result instanceof Promise) || args[0] === 'privacy_job') return result;
        return result.then((found: unknown) => {
          const page = found as { records?: unknown[] } | null;
          const n = Array.isArray(found)
            ? found.length
            : Array.isArray(page?.records)
              ? page.records.length
              : found
                ? 1
                : 0;
          rows[String(name)] = (rows[String(name)] ?? 0) + n;
          return found;
        });
      };
    },
  });
  return { storage: proxy, rows };
}

/** Unrelated tickets written straight to the store (no outbox, no events), `n` of them. */
async function seedUnrelatedTickets(storage: Storage, n: number) {
  for (let from = 0; from < n; from += 500) {
    const writes = Array.from({ length: Math.min(500, n - from) }, (_, k) => {
      const i = from + k;
      const requesterId = `contact:person${i}@example.org`;
      return {
        kind: 'ticket',
        id: `tkt_seed${String(i).padStart(6, '0')}`,
        expectedVersion: 0,
        state: {
          value: 'open',
          context: { requesterId, requesterEmail: `person${i}@example.org`, title: `Printer ${i}`, content: {} },
        },
        indexes: { status: 'open', requester: requesterId, number: String(100_000 + i) },
        nextDueAt: null,
      };
    });
    await storage.commit({ writes, history: [], outbox: [], idempotency: [] });
  }
}

/**
 * Erases one subject (one account, one ticket) in a store with `unrelated` other tickets, three
 * times (three people): what the last erasure read, and the fastest time (the machine is shared).
 */
async function eraseAmong(unrelated: number, base: Storage = createMemoryStorage(), withoutFilter = false) {
  const { storage, rows } = countingStorage(base, withoutFilter);
  const h = makePrivacyDesk({ storage });
  await seedUnrelatedTickets(storage, unrelated);
  let ms = Number.POSITIVE_INFINITY;
  for (const name of ['alice', 'carol', 'dave']) {
    const person = await registerPerson(h, name);
    await fileTicket(h, person, 'My tracker is offline.');
    for (const key of Object.keys(rows)) delete rows[key];
    const started = performance.now();
    const result = await h.desk.privacy.erase({
      subject: { accountId: person.accountId },
      actor: agent,
      reason: 'Art. 17',
    });
    ms = Math.min(ms, performance.now() - started);
    expect(result.status).toBe('done');
  }
  return { rows: { ...rows }, ms };
}

const indexed = (r: Record<string, number>) => (r['list'] ?? 0) + (r['load'] ?? 0);
const scanned = (r: Record<string, number>) => r['scanRecords'] ?? 0;
const filtered = (r: Record<string, number>) => r['scanMentions'] ?? 0;

/** One line for docs/privacy.md: `npx vitest run test/privacy/erasure-cost.test.ts`. */
function report(store: string, small: Awaited<ReturnType<typeof eraseAmong>>, large: typeof small) {
  console.log(
    `${store}: erasure of one subject, 100 vs 10,000 unrelated tickets: indexed reads ${indexed(small.rows)} vs ` +
      `${indexed(large.rows)}; filtered scan rows ${filtered(small.rows)} vs ${filtered(large.rows)}; ` +
      `whole-store walk rows ${scanned(small.rows)} vs ${scanned(large.rows)}; ` +
      `fastest of 3 ${small.ms.toFixed(0)} ms vs ${large.ms.toFixed(0)} ms (ratio ${(large.ms / small.ms).toFixed(1)})`,
  );
}

describe('erasure cost against the size of the store', () => {
  it('reads only what mentions the subject when the store filters: the same rows among 100 or 10,000 others', async () => {
    const small = await eraseAmong(100);
    const large = await eraseAmong(10_000);
    report('memory', small, large);
    expect(indexed(large.rows)).toBe(indexed(small.rows));
    expect(filtered(large.rows)).toBe(filtered(small.rows));
    expect(filtered(small.rows)).toBeGreaterThan(0);
    expect(scanned(large.rows)).toBe(0);
  }, 120_000);

  it('collects the subject through indexes; without the filter the store is walked once, not once per collect pass', async () => {
    const small = await eraseAmong(100, createMemoryStorage(), true);
    const large = await eraseAmong(10_000, createMemoryStorage(), true);
    report('memory, no filter', small, large);
    expect(indexed(large.rows)).toBe(indexed(small.rows));
    // The one walk left (others' mentions of the subject) reads each unrelated ticket once.
    expect(scanned(large.rows) - scanned(small.rows)).toBe(10_000 - 100);
  }, 120_000);

  it('on PGlite, the filtered scan returns the same rows among 100 or 10,000 others', async () => {
    const db = new PGlite();
    try {
      const pg = async (schema: string) => {
        await migrate(db, { schema });
        return createPostgresStorage(db, { schema });
      };
      const small = await eraseAmong(100, await pg('cost_small'));
      const large = await eraseAmong(10_000, await pg('cost_large'));
      report('PGlite', small, large);
      expect(filtered(large.rows)).toBe(filtered(small.rows));
      expect(scanned(large.rows)).toBe(0);
    } finally {
      await db.close();
    }
  }, 600_000);
});
