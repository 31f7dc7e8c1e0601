import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { createDispatcher, defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import type { Mailer } from '../../src/ports/mailer.js';
import type { OutboxClaim } from '../../src/ports/outbox-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';

const db = new PGlite();
beforeAll(async () => {
  await migrate(db, { schema: 'hd_fencing' });
});
afterAll(async () => {
  await db.close();
});

let n = 0;
/** Queues one mail due now, with an id of its own (the PGlite schema is shared by the cases). */
async function queueMail(storage: Storage, availableAt: number): Promise<string> {
  const id = `fence-${++n}`;
  const outbox = [
    {
      id,
      channel: 'email' as const,
      payload: { to: 'ann@example.test', subject: 's', text: 't', template: 'test', locale: 'en' },
      idempotencyKey: `key-${id}`,
      availableAt,
    },
  ];
  expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
  return id;
}

/** A mailer whose sends wait until released, then succeed or throw. */
function heldMailer(name: string, log: string[], outcome: 'ok' | Error) {
  const held: Array<() => void> = [];
  const mailer: Mailer = {
    async send(_message, context) {
      log.push(`${name} attempt ${context.attempt}`);
      await new Promise<void>((resolve) => held.push(resolve));
      if (outcome !== 'ok') throw outcome;
    },
  };
  return { mailer, release: () => held.splice(0).forEach((go) => go()) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

const adapters: Array<[string, () => Storage]> = [
  ['memory', () => createMemoryStorage()],
  ['postgres on PGlite', () => createPostgresStorage(db, { schema: 'hd_fencing' })],
];

describe.each(adapters)('lease fencing of the dispatcher (%s)', (_name, create) => {
  it('a dispatcher whose lease expired cannot settle a message another claimed, so no third one sends it', async () => {
    const storage = create();
    const clock = new ManualClock(1_000_000);
    const id = await queueMail(storage, clock.now());
    const log: string[] = [];
    const a = heldMailer('A', log, new Error('timeout'));
    const b = heldMailer('B', log, 'ok');
    const c = heldMailer('C', log, 'ok');
    const now = () => clock.now();
    const A = createDispatcher(storage, now, { email: a.mailer });
    const B = createDispatcher(storage, now, { email: b.mailer });
    const C = createDispatcher(storage, now, { email: c.mailer });

    const first = A.dispatch({ limit: 1 });
    await tick();
    clock.advance(defaultOutboxPolicy.leaseMs + 1_000); // A's send outlives its lease
    const second = B.dispatch({ limit: 1 });
    await tick();
    a.release(); // A's send times out while B holds the claim
    expect(await first).toMatchObject({ delivered: 0, failed: 0, dead: 0 }); // neither settled nor counted
    const [held] = (await storage.listOutbox({ status: 'claimed' })).filter((m) => m.id === id);
    expect([held?.attempts, held?.lastError]).toEqual([2, null]);

    clock.advance(31_000); // still inside B's lease
    expect(await C.dispatch({ limit: 1 })).toMatchObject({ delivered: 0 });
    c.release();
    b.release();
    expect(await second).toMatchObject({ delivered: 1 });
    expect(log.filter((line) => !line.startsWith('A'))).toEqual(['B attempt 2']);
    expect((await storage.listOutbox({ status: 'delivered' })).map((m) => m.id)).toContain(id);
  });
});

describe('the dispatcher settles under the claim it holds', () => {
  /** The storage with its settlements recorded, claim included. */
  function recording(storage: Storage) {
    const calls: Array<[string, OutboxClaim | undefined]> = [];
    const spy: Storage = Object.assign(Object.create(storage) as Storage, {
      markDelivered: (id: string, at: number, claim?: OutboxClaim) => {
        calls.push(['delivered', claim]);
        return storage.markDelivered(id, at, claim);
      },
      markFailed: (id: string, retryAt: number, error: string, claim?: OutboxClaim) => {
        calls.push(['failed', claim]);
        return storage.markFailed(id, retryAt, error, claim);
      },
      markDead: (id: string, error: string, at?: number, claim?: OutboxClaim) => {
        calls.push(['dead', claim]);
        return storage.markDead(id, error, at, claim);
      },
    } satisfies Partial<Storage>);
    return { spy, calls };
  }

  it('passes the attempts of its claim with every settlement', async () => {
    const memory = createMemoryStorage();
    const clock = new ManualClock(0);
    await queueMail(memory, 0);
    const { spy, calls } = recording(memory);
    let fail: Error | null = Object.assign(new Error('451 later'), { retryable: true });
    const mailer: Mailer = {
      async send() {
        if (fail) throw fail;
      },
    };
    const dispatcher = createDispatcher(spy, () => clock.now(), { email: mailer });
    expect(await dispatcher.dispatch()).toMatchObject({ failed: 1 });
    clock.advance(defaultOutboxPolicy.baseDelayMs);
    fail = Object.assign(new Error('550 refused'), { retryable: false });
    expect(await dispatcher.dispatch()).toMatchObject({ dead: 1 });
    expect(calls).toEqual([
      ['failed', { attempts: 1 }],
      ['dead', { attempts: 2 }],
    ]);
  });

  it('a send that fails only after its lease ended still takes its backoff and, at the last attempt, its dead letter', async () => {
    const memory = createMemoryStorage();
    const clock = new ManualClock(0);
    await queueMail(memory, 0);
    const policy = { ...defaultOutboxPolicy, maxAttempts: 3 };
    let sends = 0;
    const mailer: Mailer = {
      async send() {
        sends++;
        clock.advance(policy.leaseMs + 60_000); // an SMTP timeout longer than the lease
        throw new Error('socket timeout');
      },
    };
    const dispatcher = createDispatcher(memory, () => clock.now(), { email: mailer }, policy);
    expect(await dispatcher.dispatch()).toMatchObject({ failed: 1 });
    let [message] = await memory.listOutbox({ limit: 10 });
    expect([message!.status, message!.attempts, message!.lastError]).toEqual(['pending', 1, 'socket timeout']);
    for (let round = 0; round < 10; round++) {
      clock.advance(policy.maxDelayMs);
      await dispatcher.dispatch();
    }
    [message] = await memory.listOutbox({ limit: 10 });
    expect(message!.status).toBe('dead');
    expect(sends).toBe(3);
  });

  it('counts no failure the storage refused to settle as stale', async () => {
    const memory = createMemoryStorage();
    await queueMail(memory, 0);
    const refusing: Storage = Object.assign(Object.create(memory) as Storage, {
      markFailed: async () => false,
    } satisfies Partial<Storage>);
    const mailer: Mailer = {
      async send() {
        throw new Error('451 later');
      },
    };
    const result = await createDispatcher(refusing, () => 0, { email: mailer }).dispatch();
    expect(result).toEqual({ delivered: 0, failed: 0, dead: 0, more: false });
  });
});

describe('rounds of the dispatcher', () => {
  it('an empty round ends the call as drained, even with a batch size of 0', async () => {
    const memory = createMemoryStorage();
    await queueMail(memory, 0);
    let claims = 0;
    const counted: Storage = Object.assign(Object.create(memory) as Storage, {
      claimOutbox: (...args: Parameters<Storage['claimOutbox']>) => {
        claims++;
        return memory.claimOutbox(...args);
      },
    } satisfies Partial<Storage>);
    const mailer: Mailer = { async send() {} };
    const result = await createDispatcher(
      counted,
      () => 0,
      { email: mailer },
      { ...defaultOutboxPolicy, batchSize: 0 },
    ).dispatch();
    expect(result).toEqual({ delivered: 0, failed: 0, dead: 0, more: false });
    expect(claims).toBe(1);
  });

  it('a lease of 0 ms never hands one call the same message twice', async () => {
    const memory = createMemoryStorage();
    await queueMail(memory, 0);
    const attempts: number[] = [];
    const mailer: Mailer = {
      async send(_message, context) {
        attempts.push(context.attempt);
      },
    };
    await createDispatcher(memory, () => 0, { email: mailer }, { ...defaultOutboxPolicy, leaseMs: 0 }).dispatch();
    expect(attempts).toEqual([1]);
  });
});
