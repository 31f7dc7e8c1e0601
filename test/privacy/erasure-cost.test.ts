import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { Storage } from '../../src/ports/storage.js';
import { agent, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

/** Rows each read method of the storage returned, by method (reads of erasure jobs left out). */
function countingStorage(storage: Storage) {
  const rows: Record<string, number> = {};
  const proxy = new Proxy(storage, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        // The job's own record is read back after every step: bookkeeping, not the subject's data.
        if (!(result instanceof Promise) || args[0] === 'privacy_job') return result;
        return result.then((found: unknown) => {
          const n = Array.isArray(found) ? found.length : found ? 1 : 0;
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

/** Erases alice (one account, one ticket) in a store with `unrelated` other tickets; what the erasure read. */
async function eraseAmong(unrelated: number) {
  const { storage, rows } = countingStorage(createMemoryStorage());
  const h = makePrivacyDesk({ storage });
  const alice = await registerPerson(h, 'alice');
  await fileTicket(h, alice, 'My tracker is offline.');
  await seedUnrelatedTickets(storage, unrelated);
  for (const key of Object.keys(rows)) delete rows[key];
  const started = performance.now();
  const result = await h.desk.privacy.erase({
    subject: { accountId: alice.accountId },
    actor: agent,
    reason: 'Art. 17',
  });
  const ms = performance.now() - started;
  expect(result.status).toBe('done');
  return { rows: { ...rows }, ms };
}

describe('erasure cost against the size of the store', () => {
  it('collects the subject through indexes; the store is walked once, not once per collect pass', async () => {
    const small = await eraseAmong(100);
    const large = await eraseAmong(10_000);
    const indexed = (r: Record<string, number>) => (r['list'] ?? 0) + (r['load'] ?? 0);
    const scanned = (r: Record<string, number>) => r['scanRecords'] ?? 0;
    // Printed for docs/privacy.md: `npx vitest run test/privacy/erasure-cost.test.ts`.
    console.log(
      `erasure of one subject, 100 vs 10,000 unrelated tickets: indexed reads ${indexed(small.rows)} vs ` +
        `${indexed(large.rows)}; whole-store walk rows ${scanned(small.rows)} vs ${scanned(large.rows)}; ` +
        `time ${small.ms.toFixed(0)} ms vs ${large.ms.toFixed(0)} ms (ratio ${(large.ms / small.ms).toFixed(1)})`,
    );
    expect(indexed(large.rows)).toBe(indexed(small.rows));
    // The one walk left (others' mentions of the subject) reads each unrelated ticket once.
    expect(scanned(large.rows) - scanned(small.rows)).toBe(10_000 - 100);
  }, 120_000);
});
