import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createDispatcher, defaultOutboxPolicy, dispatchOutbox } from '../../src/engine/dispatcher.js';
import type { Storage } from '../../src/ports/storage.js';
import { CapturingMailer, ManualClock } from '../../src/testing/index.js';

/** Queues `count` mails due at `availableAt`, in one commit. */
async function queueMails(storage: Storage, count: number, availableAt = 0, prefix = 'm'): Promise<void> {
  const outbox = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    channel: 'email' as const,
    payload: { to: `u${i}@example.test`, subject: `${prefix}${i}`, text: 't', template: 'test', locale: 'en' },
    idempotencyKey: `key-${prefix}${i}`,
    availableAt,
  }));
  expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
}

/** The storage with some methods replaced; the rest are the original's. */
function withOverrides(storage: Storage, overrides: Partial<Storage>): Storage {
  return Object.assign(Object.create(storage) as Storage, overrides);
}

/** Makes the next `count` calls of `markDelivered` store the acknowledgement or not, then throw as a dropped connection does. */
function failingAcks(storage: Storage, count: number, stored: boolean) {
  const state = { left: count, thrown: 0 };
  const faulty = withOverrides(storage, {
    async markDelivered(id, at) {
      if (state.left <= 0) return storage.markDelivered(id, at);
      state.left--;
      state.thrown++;
      if (stored) await storage.markDelivered(id, at);
      throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    },
  });
  return { storage: faulty, state };
}

describe('bounded dispatch', () => {
  it('claims at most `limit` messages, answers more: true and leaves the rest pending', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, 12);
    const mailer = new CapturingMailer();
    const policy = { ...defaultOutboxPolicy, batchSize: 4 };
    const first = await dispatchOutbox(storage, () => 0, { email: mailer }, policy, { limit: 5 });
    expect(first).toEqual({ delivered: 5, failed: 0, dead: 0, more: true });
    expect(await storage.listOutbox({ status: 'pending' })).toHaveLength(7);
    const rest = await dispatchOutbox(storage, () => 0, { email: mailer }, policy, { limit: 100 });
    expect(rest).toEqual({ delivered: 7, failed: 0, dead: 0, more: false });
    expect(mailer.sent).toHaveLength(12);
    expect(mailer.duplicates).toHaveLength(0);
  });

  it('claims no new round once the time budget is spent, and finishes the round in hand', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, 10);
    const clock = new ManualClock(0);
    const mailer = new CapturingMailer().failWith(() => {
      clock.advance(4); // each send takes 4 ms
      return false;
    });
    const policy = { ...defaultOutboxPolicy, batchSize: 3 };
    const result = await dispatchOutbox(storage, () => clock.now(), { email: mailer }, policy, { budgetMs: 10 });
    expect(result).toEqual({ delivered: 3, failed: 0, dead: 0, more: true }); // 12 ms > 10 ms after one round
    expect(await storage.listOutbox({ status: 'pending' })).toHaveLength(7);
  });

  it('answers more: false when the last round drained the outbox', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, 3);
    const result = await dispatchOutbox(storage, () => 0, { email: new CapturingMailer() }, defaultOutboxPolicy, {
      limit: 10,
    });
    expect(result.more).toBe(false);
  });

  it('is bounded by default: 500 messages per call', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, 501);
    const result = await dispatchOutbox(storage, () => 0, { email: new CapturingMailer() });
    expect(result).toMatchObject({ delivered: 500, more: true });
  });
});

describe('exactly once from a live dispatcher', () => {
  it('does not resend a message whose acknowledgement failed after a successful send, and acknowledges it on the next call', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 3);
    const clock = new ManualClock(0);
    const { storage, state } = failingAcks(memory, 1, false);
    const mailer = new CapturingMailer();
    const dispatcher = createDispatcher(storage, () => clock.now(), { email: mailer });

    const first = await dispatcher.dispatch();
    expect(state.thrown).toBe(1);
    expect(first.delivered).toBe(3); // all three reached the mailer
    expect(dispatcher.unacknowledged).toBe(1);
    expect(await memory.listOutbox({ status: 'claimed' })).toHaveLength(1);

    clock.advance(defaultOutboxPolicy.leaseMs); // even with the lease lapsed
    const second = await dispatcher.dispatch();
    expect(second.delivered).toBe(0);
    expect(dispatcher.unacknowledged).toBe(0);
    expect(await memory.listOutbox({ status: 'delivered' })).toHaveLength(3);
    expect(mailer.sent).toHaveLength(3);
    expect(mailer.duplicates).toHaveLength(0);
  });

  it('forgets an acknowledgement that was stored although its answer was lost, and sends nothing again', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 1);
    const { storage } = failingAcks(memory, 1, true);
    const mailer = new CapturingMailer();
    const dispatcher = createDispatcher(storage, () => 0, { email: mailer });
    await dispatcher.dispatch();
    expect(dispatcher.unacknowledged).toBe(1);
    await dispatcher.dispatch();
    expect(dispatcher.unacknowledged).toBe(0);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.duplicates).toHaveLength(0);
    expect(await memory.listOutbox({ status: 'delivered' })).toHaveLength(1);
  });

  it('acknowledges without sending a message it sent before, when it claims that message again', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 1);
    const clock = new ManualClock(0);
    const { storage } = failingAcks(memory, 1, false);
    const mailer = new CapturingMailer();
    const dispatcher = createDispatcher(storage, () => clock.now(), { email: mailer });
    await dispatcher.dispatch();
    expect(dispatcher.unacknowledged).toBe(1);

    // Meanwhile the lease lapses, another dispatcher claims the message, fails and puts it back.
    clock.advance(defaultOutboxPolicy.leaseMs);
    const [taken] = await memory.claimOutbox(['email'], clock.now(), clock.now() + 1_000, 10);
    expect(taken?.id).toBe('m0');
    await memory.markFailed('m0', clock.now() + 1_000, 'smtp: 451');

    clock.advance(1_000);
    const result = await dispatcher.dispatch();
    expect(result.delivered).toBe(0);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.duplicates).toHaveLength(0);
    expect(await memory.listOutbox({ status: 'delivered' })).toHaveLength(1);
  });

  it('retries pending acknowledgements before claiming, and rejects without claiming while storage still fails', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 1);
    const { storage, state } = failingAcks(memory, 2, false);
    let claims = 0;
    const counted = withOverrides(storage, {
      claimOutbox: (...args) => {
        claims++;
        return storage.claimOutbox(...args);
      },
    });
    const mailer = new CapturingMailer();
    const dispatcher = createDispatcher(counted, () => 0, { email: mailer });
    await dispatcher.dispatch();
    expect(claims).toBe(1);
    await expect(dispatcher.dispatch()).rejects.toThrow('Connection terminated');
    expect(state.thrown).toBe(2);
    expect(claims).toBe(1); // nothing was claimed by the call that could not acknowledge
    await dispatcher.dispatch();
    expect(dispatcher.unacknowledged).toBe(0);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.duplicates).toHaveLength(0);
  });

  it('stops claiming after a storage failure while settling, and answers more: true', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 6);
    const { storage } = failingAcks(memory, 1, false);
    const dispatcher = createDispatcher(
      storage,
      () => 0,
      { email: new CapturingMailer() },
      { ...defaultOutboxPolicy, batchSize: 2 },
    );
    const result = await dispatcher.dispatch();
    expect(result).toEqual({ delivered: 2, failed: 0, dead: 0, more: true });
    expect(await memory.listOutbox({ status: 'pending' })).toHaveLength(4);
  });

  it('a failed settlement in a short round answers more: true, as the Dispatcher contract says', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 1);
    const { storage } = failingAcks(memory, 1, false);
    const dispatcher = createDispatcher(storage, () => 0, { email: new CapturingMailer() }); // rounds of 100
    const result = await dispatcher.dispatch();
    expect(dispatcher.unacknowledged).toBe(1);
    expect(result).toEqual({ delivered: 1, failed: 0, dead: 0, more: true });
  });
});

describe('final failures', () => {
  it('a failure the sender marks retryable: false is dead at once; a retryable one stays pending', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, 2);
    const mailer = {
      async send(message: { to: string }) {
        if (message.to === 'u0@example.test') throw Object.assign(new Error('550 no such user'), { retryable: false });
        throw Object.assign(new Error('451 try later'), { retryable: true });
      },
    };
    const result = await dispatchOutbox(storage, () => 0, { email: mailer }, defaultOutboxPolicy, { limit: 10 });
    expect(result).toEqual({ delivered: 0, failed: 1, dead: 1, more: false });
    expect((await storage.listOutbox({ status: 'dead' })).map((m) => m.id)).toEqual(['m0']);
    expect((await storage.listOutbox({ status: 'pending' })).map((m) => m.id)).toEqual(['m1']);
  });
});
