import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defaultOutboxPolicy, type OutboxPolicy } from '../../src/engine/dispatcher.js';
import { createWorker } from '../../src/engine/worker.js';
import { isHelpdeskError } from '../../src/errors.js';
import { createEventDelivery, EVENT_CURSOR_KIND, EVENT_DEAD_LETTER } from '../../src/events/delivery.js';
import type { Storage } from '../../src/ports/storage.js';
import { ManualClock } from '../../src/testing/index.js';
import type { WebhookSender } from '../../src/webhooks/webhook-sender.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const policy: OutboxPolicy = { ...defaultOutboxPolicy, maxAttempts: 3, baseDelayMs: 1_000, sendTimeoutMs: 20 };

let n = 0;
/** Commits `count` events, one commit each, and returns their ids in feed order. */
async function seed(storage: Storage, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `evt_timeout_${++n}`;
    ids.push(id);
    const events = [
      {
        id,
        type: 'ticket.status_changed',
        version: 1,
        at: 1_800_000_000_000,
        subject: { kind: 'ticket', id: 't-timeout' },
        data: { from: 'open', to: 'solved' },
      },
    ];
    expect(await storage.commit({ writes: [], history: [], outbox: [], idempotency: [], events })).not.toBeNull();
  }
  return ids;
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

/** A sender that never settles for the events `hangs` names and accepts the others; it logs `<id>:<attempt>`. */
function hangingSender(hangs: (eventId: string, attempt: number) => boolean) {
  const log: string[] = [];
  const started = deferred();
  const sender: WebhookSender = {
    send(event, delivery) {
      log.push(`${event.id}:${delivery.attempt}`);
      started.resolve();
      return hangs(event.id, delivery.attempt) ? new Promise<void>(() => {}) : Promise.resolve();
    },
  };
  return { sender, log, started: started.promise };
}

/** The promise's value, or a rejection when it is still pending after `ms` of real time. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

afterEach(() => {
  vi.useRealTimers();
});

async function cursor(storage: Storage) {
  return (await storage.load(EVENT_CURSOR_KIND, 'webhooks'))?.state;
}

describe('a webhook send is bounded by sendTimeoutMs', () => {
  it('a send that has not settled within sendTimeoutMs is a failed attempt: retried after the backoff, the later events wait', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(1_800_000_000_000);
    const ids = await seed(storage, 2);
    const { sender, log } = hangingSender((id, attempt) => id === ids[0] && attempt === 1);
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });

    expect(await within(delivery.deliver(), 1_000)).toEqual({ delivered: 0, failed: 1, dead: 0, more: false });
    expect(await cursor(storage)).toMatchObject({
      position: 0,
      attempts: 1,
      retryAt: clock.now() + policy.baseDelayMs,
      leaseOwner: null,
      lastError: 'send timed out after 20 ms',
    });

    clock.advance(policy.baseDelayMs);
    expect(await within(delivery.deliver(), 1_000)).toMatchObject({ delivered: 2, failed: 0 });
    expect(log).toEqual([`${ids[0]}:1`, `${ids[0]}:2`, `${ids[1]}:1`]);
  });

  it('dead-letters an event whose last attempt timed out, with the timeout as its error, and moves on', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(1_800_000_000_000);
    const ids = await seed(storage, 2);
    const { sender, log } = hangingSender((id) => id === ids[0]);
    const delivery = createEventDelivery(storage, () => clock.now(), {
      sender,
      secret: SECRET,
      policy: { ...policy, maxAttempts: 1 },
    });
    expect(await within(delivery.deliver(), 1_000)).toEqual({ delivered: 1, failed: 0, dead: 1, more: false });
    expect(log).toEqual([`${ids[0]}:1`, `${ids[1]}:1`]);
    const history = await storage.history(EVENT_CURSOR_KIND, 'webhooks');
    expect(history.map((h) => [h.type, h.data])).toEqual([
      [EVENT_DEAD_LETTER, expect.objectContaining({ eventId: ids[0], error: 'send timed out after 20 ms' })],
    ]);
    expect(await cursor(storage)).toMatchObject({ position: 2, attempts: 0 });
  });

  it('ignores the late settlement of an abandoned send: a late success does not move the cursor, a late rejection is never unhandled', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(1_800_000_000_000);
    await seed(storage, 1);
    const lateSends = [deferred(), deferred()];
    let sends = 0;
    const sender: WebhookSender = { send: () => lateSends[sends++]!.promise };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
      expect(await within(delivery.deliver(), 1_000)).toMatchObject({ delivered: 0, failed: 1 });
      lateSends[0]!.resolve();
      clock.advance(policy.baseDelayMs);
      expect(await within(delivery.deliver(), 1_000)).toMatchObject({ delivered: 0, failed: 1 });
      lateSends[1]!.reject(new Error('receiver answered 200, far too late'));
      for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(await cursor(storage)).toMatchObject({ position: 0, attempts: 2 });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it.each([
    ['0', 0],
    ['negative', -1],
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['fractional', 1.5],
  ])(
    'refuses a sendTimeoutMs of %s with CONFIGURATION_INVALID naming webhooks.policy.sendTimeoutMs',
    (_name, value) => {
      const storage = createMemoryStorage();
      const { sender } = hangingSender(() => false);
      let refused: unknown = null;
      try {
        createEventDelivery(storage, () => 0, {
          sender,
          secret: SECRET,
          policy: { ...defaultOutboxPolicy, sendTimeoutMs: value },
        });
      } catch (error) {
        refused = error;
      }
      expect(isHelpdeskError(refused, 'CONFIGURATION_INVALID')).toBe(true);
      expect((refused as { details: { field?: unknown } }).details.field).toBe('webhooks.policy.sendTimeoutMs');
    },
  );
});

describe('the webhook send timeout and the lease', () => {
  it('refuses a sendTimeoutMs at or above leaseMs with CONFIGURATION_INVALID naming webhooks.policy.sendTimeoutMs', () => {
    const { sender } = hangingSender(() => false);
    for (const [leaseMs, sendTimeoutMs] of [
      [1_000, 1_000],
      [10_000, 60_000],
    ] as const) {
      let refused: unknown = null;
      try {
        createEventDelivery(createMemoryStorage(), () => 0, {
          sender,
          secret: SECRET,
          policy: { ...defaultOutboxPolicy, leaseMs, sendTimeoutMs },
        });
      } catch (error) {
        refused = error;
      }
      expect(isHelpdeskError(refused, 'CONFIGURATION_INVALID'), `${sendTimeoutMs} of ${leaseMs}`).toBe(true);
      expect((refused as { details: { field?: unknown } }).details.field).toBe('webhooks.policy.sendTimeoutMs');
    }
  });

  it('without sendTimeoutMs waits half of a short lease: 500 ms under a 1 s lease', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const storage = createMemoryStorage();
    const clock = new ManualClock(1_800_000_000_000);
    await seed(storage, 1);
    const { sender, started } = hangingSender(() => true);
    const delivery = createEventDelivery(storage, () => clock.now(), {
      sender,
      secret: SECRET,
      policy: { ...defaultOutboxPolicy, leaseMs: 1_000 },
    });
    let settled = false;
    const call = delivery.deliver().finally(() => (settled = true));
    await started;
    await vi.advanceTimersByTimeAsync(499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(await call).toMatchObject({ failed: 1 });
    expect(await cursor(storage)).toMatchObject({ lastError: 'send timed out after 500 ms' });
  });
});

describe('the webhook sender gets an AbortSignal', () => {
  it('hands delivery.signal to the sender, aborted when its send times out and only then', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(1_800_000_000_000);
    const ids = await seed(storage, 2);
    const seen: Array<{ id: string; signal: AbortSignal | undefined; abortedAtStart: boolean | undefined }> = [];
    const sender: WebhookSender = {
      send(event, delivery) {
        seen.push({ id: event.id, signal: delivery.signal, abortedAtStart: delivery.signal?.aborted });
        return event.id === ids[0] && seen.length === 1 ? new Promise<void>(() => {}) : Promise.resolve();
      },
    };
    const delivery = createEventDelivery(storage, () => clock.now(), { sender, secret: SECRET, policy });
    expect(await within(delivery.deliver(), 1_000)).toMatchObject({ failed: 1 });
    clock.advance(policy.baseDelayMs);
    expect(await within(delivery.deliver(), 1_000)).toMatchObject({ delivered: 2 });
    expect(seen.map((s) => [s.id, s.abortedAtStart])).toEqual([
      [ids[0], false],
      [ids[0], false],
      [ids[1], false],
    ]);
    const [hung, ...prompt] = seen.map((s) => s.signal);
    expect(hung).toBeInstanceOf(AbortSignal);
    expect(hung?.aborted).toBe(true);
    expect(String((hung?.reason as Error | undefined)?.message)).toBe('send timed out after 20 ms');
    expect(prompt.map((signal) => signal?.aborted)).toEqual([false, false]);
  });
});

describe('worker.stop() while a webhook send never settles', () => {
  it('resolves within about the send timeout, and the event stays due for a retry', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(1_800_000_000_000);
    const [id] = await seed(storage, 1);
    const { sender, started, log } = hangingSender(() => true);
    const delivery = createEventDelivery(storage, () => clock.now(), {
      sender,
      secret: SECRET,
      policy: { ...policy, sendTimeoutMs: 50 },
    });
    const worker = createWorker({ deliverEvents: (bounds) => delivery.deliver(bounds) });
    await within(started, 1_000);
    await expect(within(worker.stop(), 1_000)).resolves.toBeUndefined();
    expect(await cursor(storage)).toMatchObject({
      position: 0,
      attempts: 1,
      leaseOwner: null,
      lastError: 'send timed out after 50 ms',
    });
    clock.advance(policy.baseDelayMs);
    await within(delivery.deliver(), 1_000);
    expect(log).toEqual([`${id}:1`, `${id}:2`]);
  });
});
