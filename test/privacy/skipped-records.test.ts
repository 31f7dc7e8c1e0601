import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { MentionPage, MentionScan, PrivacyStore } from '../../src/ports/privacy-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { createPrivacyService } from '../../src/privacy/service.js';
import { dpo, fileTicket, hits, makePrivacyDesk, registerPerson, storeStrings } from './_harness.js';

type FullStore = Storage & PrivacyStore & MentionScan;

/**
 * A store whose filtered scan reports every `ticket` it finds as skipped (as PostgreSQL does for a
 * row another transaction holds), `times` times; the records stay in the store, unchanged.
 */
function lockingTickets(base: FullStore, times: number) {
  let left = times;
  const skippedSeen: string[] = [];
  const store = new Proxy(base, {
    get(target, name, receiver) {
      if (name !== 'scanMentions') return Reflect.get(target, name, receiver) as unknown;
      return async (...args: Parameters<MentionScan['scanMentions']>): Promise<MentionPage> => {
        const page = await target.scanMentions(...args);
        if (left <= 0) return page;
        left--;
        const locked = page.records.filter((r) => r.kind === 'ticket');
        skippedSeen.push(...locked.map((r) => r.id));
        return {
          next: page.next,
          records: page.records.filter((r) => r.kind !== 'ticket'),
          skipped: [...page.skipped, ...locked.map(({ kind, id }) => ({ kind, id }))].sort((a, b) =>
            a.kind === b.kind ? (a.id < b.id ? -1 : 1) : a.kind < b.kind ? -1 : 1,
          ),
        };
      };
    },
  });
  return { store, skippedSeen };
}

async function aliceAndBob(storage: Storage) {
  const h = makePrivacyDesk({ storage });
  const alice = await registerPerson(h, 'alice');
  const bob = await registerPerson(h, 'bob');
  await fileTicket(h, alice, 'The tracker in my blue van is offline.');
  await fileTicket(h, bob, 'Invoices do not load.');
  await h.desk.dispatchOutbox();
  return { h, alice, bob };
}

describe('records a filtered scan skips as locked', () => {
  it('are visited after the scan: nothing of the subject is left in a record that was locked', async () => {
    const { store, skippedSeen } = lockingTickets(createMemoryStorage() as FullStore, Number.POSITIVE_INFINITY);
    const { h, alice, bob } = await aliceAndBob(store);
    const before = await storeStrings(store);

    const result = await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'x' });

    expect(result.status).toBe('done');
    expect(skippedSeen.length).toBeGreaterThan(0); // alice's ticket was passed by, every time it was scanned
    const after = await storeStrings(store);
    for (const trace of [alice.accountId, alice.email, 'tracker in my blue van']) {
      expect(hits(before, trace), trace).not.toEqual([]);
      expect(hits(after, trace), trace).toEqual([]);
    }
    expect(hits(after, 'Invoices do not load').length).toBe(hits(before, 'Invoices do not load').length);
    expect(hits(after, bob.email).length).toBe(hits(before, bob.email).length);
  });

  it('are kept in the job across steps, so a small batch size still comes back to each', async () => {
    const { store, skippedSeen } = lockingTickets(createMemoryStorage() as FullStore, Number.POSITIVE_INFINITY);
    const h = makePrivacyDesk({ storage: store });
    const alice = await registerPerson(h, 'alice');
    for (const n of [1, 2, 3]) await fileTicket(h, alice, `Van number ${n} lost its tracker.`);
    let n = 0;
    const ids = { next: (prefix: string) => `${prefix}skip${String(n++).padStart(4, '0')}` };
    const privacy = createPrivacyService({ storage: store, store, clock: h.clock, ids, batchSize: 1 });

    const result = await privacy.service.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'x' });

    expect(result.status).toBe('done');
    expect(new Set(skippedSeen).size).toBe(3);
    const after = await storeStrings(store);
    expect(hits(after, alice.email)).toEqual([]);
    expect(hits(after, 'lost its tracker')).toEqual([]);
  });
});

/** A real server when DATABASE_URL points at this machine (source .ci/postgres.sh), as test/postgres does. */
const url = process.env.DATABASE_URL;
const local = url !== undefined && /^postgres(ql)?:\/\/[^@]*@(127\.0\.0\.1|localhost)[:/]/.test(url);
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe.skipIf(!local)('on a real PostgreSQL server', () => {
  it('a record held by another transaction is skipped, not waited for, and erased once released', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const schema = `hd_skip_${Date.now().toString(36)}`;
    closers.push(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    });
    await migrate(pool, { schema });
    const storage = createPostgresStorage(pool, { schema }) as FullStore;
    const { h, alice } = await aliceAndBob(storage);
    const [ticket] = await storage.list('ticket', { where: { requester: alice.accountId }, limit: 1 });

    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${schema}.records WHERE kind = 'ticket' AND id = $1 FOR UPDATE`, [ticket!.id]);
    const started = performance.now();
    const page = await storage.scanMentions(null, 100, [alice.email]);
    expect(performance.now() - started).toBeLessThan(5_000); // did not wait for the lock
    expect(page.skipped).toContainEqual({ kind: 'ticket', id: ticket!.id });
    expect(page.records.map((r) => r.id)).not.toContain(ticket!.id);

    const erasing = h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.query('COMMIT'); // the erasure's write to the skipped ticket waited for this
    holder.release();
    expect((await erasing).status).toBe('done');
    const after = await storeStrings(storage);
    expect(hits(after, alice.email)).toEqual([]);
    expect(hits(after, 'tracker in my blue van')).toEqual([]);
  }, 60_000);
});
