import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import {
  createDispatcher,
  defaultOutboxPolicy,
  resolveSendTimeout,
  type OutboxPolicy,
} from '../../src/engine/dispatcher.js';
import { createWorker } from '../../src/engine/worker.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Json } from '../../src/ports/json.js';
import type { DeliveryContext, Mailer } from '../../src/ports/mailer.js';
import type { OutboxChannel } from '../../src/ports/outbox-store.js';
import type { SmsSender } from '../../src/ports/sms-sender.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';

const policy: OutboxPolicy = { ...defaultOutboxPolicy, sendTimeoutMs: 20 };

/** Queues one message due at 0 on `channel`. */
async function queueOne(storage: Storage, id = 'm1', channel: OutboxChannel = 'email'): Promise<void> {
  const payload: Json =
    channel === 'email'
      ? { to: 'ann@example.test', subject: 's', text: 't', template: 'test', locale: 'en' }
      : { to: '+36301234567', text: 't', template: 'test', locale: 'en' };
  const outbox = [{ id, channel, payload, idempotencyKey: `key-${id}`, availableAt: 0 }];
  expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A sender whose sends never settle while `hang` is true, and resolve at once otherwise. It
 * records every context it was given and whether its signal was aborted when the send began.
 */
function hangingSender() {
  const calls: Array<{ context: DeliveryContext; abortedAtStart: boolean | undefined }> = [];
  const started = deferred();
  const state = { hang: true };
  const send = (_message: unknown, context: DeliveryContext): Promise<void> => {
    calls.push({ context, abortedAtStart: context.signal?.aborted });
    started.resolve();
    return state.hang ? new Promise<void>(() => {}) : Promise.resolve();
  };
  return { sender: { send } as Mailer & SmsSender, calls, started: started.promise, state };
}

/** The promise's value, or a rejection when it is still pending after `ms` of real time. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Lets the event loop turn `n` times. */
async function ticks(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function only(storage: Storage) {
  const [message] = await storage.listOutbox({});
  return message!;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a send is bounded by sendTimeoutMs', () => {
  it('a send that has not settled within sendTimeoutMs is a failed attempt, retried after the backoff with the same key', async () => {
    const storage = createMemoryStorage();
    await queueOne(storage);
    const clock = new ManualClock(0);
    const { sender, calls, state } = hangingSender();
    const dispatcher = createDispatcher(storage, () => clock.now(), { email: sender }, policy);

    expect(await within(dispatcher.dispatch(), 1_000)).toEqual({ delivered: 0, failed: 1, dead: 0, more: false });
    expect(await only(storage)).toMatchObject({
      status: 'pending',
      attempts: 1,
      availableAt: policy.baseDelayMs,
      lastError: 'send timed out after 20 ms',
      deliveredAt: null,
    });

    state.hang = false;
    clock.advance(policy.baseDelayMs);
    expect(await within(dispatcher.dispatch(), 1_000)).toMatchObject({ delivered: 1, failed: 0 });
    expect(calls.map((c) => [c.context.idempotencyKey, c.context.attempt])).toEqual([
      ['key-m1', 1],
      ['key-m1', 2],
    ]);
    expect(await only(storage)).toMatchObject({ status: 'delivered' });
  });

  it('bounds SMS sends the same way', async () => {
    const storage = createMemoryStorage();
    await queueOne(storage, 's1', 'sms');
    const { sender } = hangingSender();
    const dispatcher = createDispatcher(storage, () => 0, { sms: sender }, policy);
    expect(await within(dispatcher.dispatch(), 1_000)).toMatchObject({ delivered: 0, failed: 1 });
    expect(await only(storage)).toMatchObject({ status: 'pending', lastError: 'send timed out after 20 ms' });
  });

  it('a send that times out at its last attempt goes to dead with the timeout as its reason', async () => {
    const storage = createMemoryStorage();
    await queueOne(storage);
    const { sender } = hangingSender();
    const dispatcher = createDispatcher(storage, () => 0, { email: sender }, { ...policy, maxAttempts: 1 });
    expect(await within(dispatcher.dispatch(), 1_000)).toEqual({ delivered: 0, failed: 0, dead: 1, more: false });
    expect(await only(storage)).toMatchObject({ status: 'dead', lastError: 'send timed out after 20 ms' });
  });

  it('bounds a send by 30 s by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const storage = createMemoryStorage();
    await queueOne(storage);
    const { sender, started } = hangingSender();
    const dispatcher = createDispatcher(storage, () => 0, { email: sender }, defaultOutboxPolicy);
    let settled = false;
    const call = dispatcher.dispatch().finally(() => (settled = true));
    await started;
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(await call).toMatchObject({ failed: 1 });
    expect(await only(storage)).toMatchObject({ lastError: 'send timed out after 30000 ms' });
  });

  it('arms one timer per send and clears it as soon as the send settles, so nothing keeps the process alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const storage = createMemoryStorage();
    await queueOne(storage);
    const gate = deferred();
    const started = deferred();
    const mailer: Mailer = {
      send: () => {
        started.resolve();
        return gate.promise;
      },
    };
    const dispatcher = createDispatcher(storage, () => 0, { email: mailer }, defaultOutboxPolicy);
    const call = dispatcher.dispatch();
    await started.promise;
    expect(vi.getTimerCount()).toBe(1);
    gate.resolve();
    expect(await call).toMatchObject({ delivered: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores the late settlement of an abandoned send: a late success marks nothing delivered, a late rejection is never unhandled', async () => {
    const storage = createMemoryStorage();
    await queueOne(storage, 'm1');
    await queueOne(storage, 'm2');
    const late = new Map([
      ['key-m1', deferred()],
      ['key-m2', deferred()],
    ]);
    const mailer: Mailer = { send: (_message, context) => late.get(context.idempotencyKey)!.promise };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const dispatcher = createDispatcher(storage, () => 0, { email: mailer }, policy);
      expect(await within(dispatcher.dispatch(), 1_000)).toMatchObject({ delivered: 0, failed: 2 });
      late.get('key-m1')!.resolve();
      late.get('key-m2')!.reject(new Error('smtp: connection reset, long after the timeout'));
      await ticks(10);
      expect(unhandled).toEqual([]);
      expect(dispatcher.unacknowledged).toBe(0);
      const messages = await storage.listOutbox({});
      expect(messages.map((m) => [m.id, m.status, m.lastError])).toEqual([
        ['m1', 'pending', 'send timed out after 20 ms'],
        ['m2', 'pending', 'send timed out after 20 ms'],
      ]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('hands the sender an AbortSignal that aborts when its send times out, and only then', async () => {
    const storage = createMemoryStorage();
    await queueOne(storage, 'm1');
    await queueOne(storage, 'm2');
    const contexts: DeliveryContext[] = [];
    const abortedAtStart: Array<boolean | undefined> = [];
    const mailer: Mailer = {
      send: (_message, context) => {
        contexts.push(context);
        abortedAtStart.push(context.signal?.aborted);
        return context.idempotencyKey === 'key-m1' ? new Promise<void>(() => {}) : undefined;
      },
    };
    const dispatcher = createDispatcher(storage, () => 0, { email: mailer }, policy);
    expect(await within(dispatcher.dispatch(), 1_000)).toMatchObject({ delivered: 1, failed: 1 });
    expect(abortedAtStart).toEqual([false, false]);
    const [hung, prompt] = contexts.map((c) => c.signal);
    expect(hung).toBeInstanceOf(AbortSignal);
    expect(hung?.aborted).toBe(true);
    expect(String((hung?.reason as Error | undefined)?.message)).toBe('send timed out after 20 ms');
    expect(prompt?.aborted).toBe(false);
  });
});

describe('sendTimeoutMs is checked when the dispatcher is created', () => {
  const bad: Array<[string, unknown]> = [
    ['0', 0],
    ['negative', -1],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['fractional', 1.5],
    ['a string', '1000'],
    ['beyond what a timer can wait', 2 ** 31],
  ];

  it.each(bad)('refuses %s with CONFIGURATION_INVALID naming policy.outbox.sendTimeoutMs', (_name, value) => {
    const storage = createMemoryStorage();
    const create = () =>
      createDispatcher(storage, () => 0, {}, { ...defaultOutboxPolicy, sendTimeoutMs: value as number });
    expect(create).toThrow();
    try {
      create();
    } catch (error) {
      expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
      expect((error as { details: { field?: unknown } }).details.field).toBe('policy.outbox.sendTimeoutMs');
    }
  });

  it('accepts whole ms from 1 to a day below the lease, and no value (the default)', () => {
    const storage = createMemoryStorage();
    const leaseMs = 2 * 86_400_000;
    for (const sendTimeoutMs of [undefined, 1, 30_000, 86_400_000]) {
      expect(() =>
        createDispatcher(storage, () => 0, {}, { ...defaultOutboxPolicy, leaseMs, sendTimeoutMs }),
      ).not.toThrow();
    }
  });

  it('refuses a sendTimeoutMs at or above leaseMs (a send would outlive its claim and be sent twice), naming policy.outbox.sendTimeoutMs', () => {
    const storage = createMemoryStorage();
    const cases: Array<[number, number]> = [
      [1_000, 1_000],
      [1_000, 5_000],
      [defaultOutboxPolicy.leaseMs, defaultOutboxPolicy.leaseMs],
    ];
    for (const [leaseMs, sendTimeoutMs] of cases) {
      let refused: unknown = null;
      try {
        createDispatcher(storage, () => 0, {}, { ...defaultOutboxPolicy, leaseMs, sendTimeoutMs });
      } catch (error) {
        refused = error;
      }
      expect(isHelpdeskError(refused, 'CONFIGURATION_INVALID'), `${sendTimeoutMs} of ${leaseMs}`).toBe(true);
      expect((refused as { details: { field?: unknown } }).details.field).toBe('policy.outbox.sendTimeoutMs');
    }
    expect(() =>
      createDispatcher(storage, () => 0, {}, { ...defaultOutboxPolicy, leaseMs: 1_000, sendTimeoutMs: 999 }),
    ).not.toThrow();
  });
});

describe('without sendTimeoutMs, a send waits at most half the lease, and never more than 30 s', () => {
  it('waits 500 ms under a 1 s lease, so a short lease set before sendTimeoutMs existed keeps working', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const storage = createMemoryStorage();
    await queueOne(storage);
    const { sender, started } = hangingSender();
    const shortLease = { ...defaultOutboxPolicy, leaseMs: 1_000 };
    const dispatcher = createDispatcher(storage, () => 0, { email: sender }, shortLease);
    let settled = false;
    const call = dispatcher.dispatch().finally(() => (settled = true));
    await started;
    await vi.advanceTimersByTimeAsync(499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(await call).toMatchObject({ failed: 1 });
    expect(await only(storage)).toMatchObject({ lastError: 'send timed out after 500 ms' });
  });

  it('rounds half an odd lease down, and keeps 30 s once the lease is a minute or more', () => {
    expect(resolveSendTimeout({ ...defaultOutboxPolicy, leaseMs: 1_001 }, 'f')).toBe(500);
    expect(resolveSendTimeout({ ...defaultOutboxPolicy, leaseMs: 59_999 }, 'f')).toBe(29_999);
    expect(resolveSendTimeout({ ...defaultOutboxPolicy, leaseMs: 60_000 }, 'f')).toBe(30_000);
    expect(resolveSendTimeout(defaultOutboxPolicy, 'f')).toBe(30_000);
    expect(resolveSendTimeout({ ...defaultOutboxPolicy, leaseMs: 1_000, sendTimeoutMs: 700 }, 'f')).toBe(700);
  });
});

describe('worker.stop() while a send never settles', () => {
  it('resolves within about the send timeout and leaves the message claimable for a retry, not delivered', async () => {
    const storage = createMemoryStorage();
    await queueOne(storage);
    const clock = new ManualClock(0);
    const { sender, started } = hangingSender();
    const dispatcher = createDispatcher(
      storage,
      () => clock.now(),
      { email: sender },
      { ...policy, sendTimeoutMs: 50 },
    );
    const worker = createWorker({ dispatchOutbox: (bounds) => dispatcher.dispatch(bounds) });
    await within(started, 1_000);
    await expect(within(worker.stop(), 1_000)).resolves.toBeUndefined();
    expect(worker.stats().outbox).toMatchObject({ calls: 1, errors: 0 });
    expect(await only(storage)).toMatchObject({
      status: 'pending',
      deliveredAt: null,
      lastError: 'send timed out after 50 ms',
    });
    clock.advance(policy.baseDelayMs);
    const reclaimed = await storage.claimOutbox(['email'], clock.now(), clock.now() + policy.leaseMs, 10);
    expect(reclaimed.map((m) => [m.id, m.attempts])).toEqual([['m1', 2]]);
  });
});

describe('a later send of a round starts only if it fits in the lease left', () => {
  it('with a 1 s lease (timeout 500 ms) and sends of 450 ms, the third waits for a claim of its own', async () => {
    const storage = createMemoryStorage();
    for (const id of ['m1', 'm2', 'm3']) await queueOne(storage, id);
    const clock = new ManualClock(0);
    const sentAt: Array<[string, number]> = [];
    const slow = {
      send: async (message: { to: string }, context: DeliveryContext) => {
        sentAt.push([context.idempotencyKey, clock.now()]);
        clock.advance(450); // the provider takes 450 ms
        expect(message.to).toBe('ann@example.test');
      },
    } as unknown as Mailer;
    const dispatcher = createDispatcher(
      storage,
      () => clock.now(),
      { email: slow },
      {
        ...defaultOutboxPolicy,
        leaseMs: 1_000,
      },
    );
    const first = await dispatcher.dispatch();
    // At 900 ms only 100 ms of the lease is left: m3 is not started, so it cannot outlive the claim.
    expect(first.delivered).toBe(2);
    expect(sentAt.map(([key]) => key)).toEqual(['key-m1', 'key-m2']);
    clock.set(1_000); // the lease has ended: m3 is claimed again and sent under its own lease
    await dispatcher.dispatch();
    expect(sentAt.map(([key]) => key)).toEqual(['key-m1', 'key-m2', 'key-m3']);
    expect((await storage.listOutbox({ limit: 10 })).map((m) => m.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
  });
});
