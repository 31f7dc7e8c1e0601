import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { createDispatcher, defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Mailer } from '../../src/ports/mailer.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';

const db = new PGlite();
afterAll(async () => {
  await db.close();
});

let schemas = 0;
const adapters: Array<[string, () => Promise<Storage>]> = [
  ['memory', async () => createMemoryStorage()],
  [
    'postgres on PGlite',
    async () => {
      // A schema per case: a dispatcher claims every due message, so cases must not share an outbox.
      const schema = `hd_dispatch_overlap_${++schemas}`;
      await migrate(db, { schema });
      return createPostgresStorage(db, { schema });
    },
  ],
];

/** Queues one mail per key, due at `availableAt`, in one commit (so in that order). */
async function queueMails(storage: Storage, keys: string[], availableAt: number): Promise<void> {
  const outbox = keys.map((key) => ({
    id: `id-${key}`,
    channel: 'email' as const,
    payload: { to: 'ann@example.test', subject: key, text: 't', template: 'test', locale: 'en' },
    idempotencyKey: key,
    availableAt,
  }));
  expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
}

/** A mailer that logs `<name> <key> attempt <n>`, then runs `during` (e.g. advancing the clock). */
function logging(name: string, log: string[], during: (count: number) => Promise<void> | void = () => {}): Mailer {
  return {
    async send(_message, context) {
      log.push(`${name} ${context.idempotencyKey} attempt ${context.attempt}`);
      await during(log.length);
    },
  };
}

/** The storage with some methods replaced; the rest are the original's. */
function withOverrides(storage: Storage, overrides: Partial<Storage>): Storage {
  return Object.assign(Object.create(storage) as Storage, overrides);
}

async function statuses(storage: Storage): Promise<Record<string, string>> {
  const all = await storage.listOutbox({ limit: 100 });
  return Object.fromEntries(all.map((m) => [m.idempotencyKey, m.status]));
}

describe.each(adapters)('one dispatcher, overlapping calls and lapsed leases (%s)', (_name, create) => {
  it('one dispatcher never sends a message twice when two of its calls overlap and a send outlives the lease; both end delivered', async () => {
    const storage = await create();
    const clock = new ManualClock(2_000_000);
    const policy = { ...defaultOutboxPolicy, leaseMs: 10_000, batchSize: 2 };
    await queueMails(storage, ['k1', 'k2'], clock.now());
    const log: string[] = [];
    const mailer = logging('A', log, async (count) => {
      if (count !== 1) return;
      clock.advance(11_000); // the first send outlives its round's lease
      await dispatcher.dispatch(); // desk.dispatchOutbox() while desk.worker() runs: the same dispatcher
    });
    const dispatcher = createDispatcher(storage, () => clock.now(), { email: mailer }, policy);
    await dispatcher.dispatch();
    expect(log).toEqual(['A k1 attempt 1', 'A k2 attempt 2']);
    expect(await statuses(storage)).toEqual({ k1: 'delivered', k2: 'delivered' });
    expect(dispatcher.unacknowledged).toBe(0);
  });

  it('a message whose lease ended before its send started is not sent under that lease; the next claim sends it once', async () => {
    const storage = await create();
    const clock = new ManualClock(2_000_000);
    const policy = { ...defaultOutboxPolicy, leaseMs: 10_000, batchSize: 2 };
    await queueMails(storage, ['k1', 'k2'], clock.now());
    const log: string[] = [];
    const mailer = logging('A', log, (count) => {
      if (count === 1) clock.advance(11_000);
    });
    const dispatcher = createDispatcher(storage, () => clock.now(), { email: mailer }, policy);
    expect(await dispatcher.dispatch()).toEqual({ delivered: 1, failed: 0, dead: 0, more: true });
    expect(log).toEqual(['A k1 attempt 1']);
    expect(await dispatcher.dispatch()).toEqual({ delivered: 1, failed: 0, dead: 0, more: false });
    expect(log).toEqual(['A k1 attempt 1', 'A k2 attempt 2']);
  });

  it('a dispatcher whose lease ended mid-batch leaves the rest to the one that claimed it: only the send in progress is repeated, with its key', async () => {
    const storage = await create();
    const clock = new ManualClock(2_000_000);
    const policy = { ...defaultOutboxPolicy, leaseMs: 10_000, batchSize: 2 };
    await queueMails(storage, ['k1', 'k2'], clock.now());
    const log: string[] = [];
    const now = () => clock.now();
    const other = createDispatcher(storage, now, { email: logging('B', log) }, policy);
    const mailer = logging('A', log, async (count) => {
      if (count !== 1) return;
      clock.advance(11_000); // A's first send outlives the lease; another process claims both meanwhile
      await other.dispatch();
    });
    await createDispatcher(storage, now, { email: mailer }, policy).dispatch();
    expect(log).toEqual(['A k1 attempt 1', 'B k1 attempt 2', 'B k2 attempt 2']);
    expect(await statuses(storage)).toEqual({ k1: 'delivered', k2: 'delivered' });
  });

  it('a lease shorter than one send still delivers every message once, in the rounds of one call', async () => {
    const storage = await create();
    const clock = new ManualClock(2_000_000);
    const policy = { ...defaultOutboxPolicy, leaseMs: 1_000, batchSize: 10 };
    await queueMails(storage, ['k1', 'k2', 'k3'], clock.now());
    const log: string[] = [];
    const mailer = logging('A', log, () => {
      clock.advance(1_500); // each send takes longer than the lease
    });
    const dispatcher = createDispatcher(storage, () => clock.now(), { email: mailer }, policy);
    // Each round sends its first message; the others' lease has ended by then, so a new round claims them.
    expect(await dispatcher.dispatch({ budgetMs: 60_000 })).toEqual({ delivered: 3, failed: 0, dead: 0, more: false });
    expect(log).toEqual(['A k1 attempt 1', 'A k2 attempt 2', 'A k3 attempt 3']);
    expect(await statuses(storage)).toEqual({ k1: 'delivered', k2: 'delivered', k3: 'delivered' });
  });

  it('a lease that ends before its claim returns is reported: the call rejects with CONFIGURATION_INVALID instead of looping, and a later claim sends the message once', async () => {
    const storage = await create();
    const clock = new ManualClock(2_000_000);
    const policy = { ...defaultOutboxPolicy, leaseMs: 1_000 };
    await queueMails(storage, ['k1'], clock.now());
    let slow = true;
    const slowClaim = withOverrides(storage, {
      async claimOutbox(...args) {
        const batch = await storage.claimOutbox(...args);
        if (slow) clock.advance(policy.leaseMs + 1); // e.g. a wait for a pooled connection
        return batch;
      },
    });
    const log: string[] = [];
    const dispatcher = createDispatcher(slowClaim, () => clock.now(), { email: logging('A', log) }, policy);
    const error = await dispatcher.dispatch().catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
    expect(log).toEqual([]);
    slow = false;
    expect(await dispatcher.dispatch()).toEqual({ delivered: 1, failed: 0, dead: 0, more: false });
    expect(log).toEqual(['A k1 attempt 2']);
  });
});
