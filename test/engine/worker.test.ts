import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createDispatcher, defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { sweepDueTimers, type DueHandler } from '../../src/engine/timers.js';
import { createWorker, type WorkerBounds, type WorkerErrorInfo } from '../../src/engine/worker.js';
import type { Mailer } from '../../src/ports/mailer.js';
import type { Storage } from '../../src/ports/storage.js';
import { CapturingMailer } from '../../src/testing/index.js';

/** Queues `count` mails due at 0, in one commit. */
async function queueMails(storage: Storage, count: number): Promise<void> {
  const outbox = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    channel: 'email' as const,
    payload: { to: `u${i}@example.test`, subject: `m${i}`, text: 't', template: 'test', locale: 'en' },
    idempotencyKey: `key-m${i}`,
    availableAt: 0,
  }));
  await storage.commit({ writes: [], history: [], outbox, idempotency: [] });
}

/** A sleep that records each pause, lets the event loop turn once, and may stop the worker. */
function recordingSleep(onPause: (waits: number[]) => void = () => {}) {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    onPause(waits);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { waits, sleep };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the event loop turn `n` times. */
async function ticks(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('bounded timer sweep', () => {
  const fire: DueHandler = async (uow, record) => {
    uow.put(record.kind, record.id, { state: { fired: true }, nextDueAt: null });
    return [{ kind: record.kind, id: record.id, event: 'timer.test', dueAt: record.nextDueAt ?? 0 }];
  };

  async function dueRecords(count: number) {
    const storage = createMemoryStorage();
    const writes = Array.from({ length: count }, (_, i) => ({
      kind: 'job',
      id: `j${String(i).padStart(3, '0')}`,
      expectedVersion: 0,
      state: { fired: false },
      nextDueAt: 100 + i,
    }));
    await storage.commit({ writes, history: [], outbox: [], idempotency: [] });
    return storage;
  }

  it('fires at most `limit` records, answers more: true and leaves the rest due', async () => {
    const storage = await dueRecords(25);
    const first = await sweepDueTimers(storage, 1_000, { job: fire }, { batchSize: 10, limit: 12 });
    expect(first.fired).toHaveLength(12);
    expect(first.more).toBe(true);
    const rest = await sweepDueTimers(storage, 1_000, { job: fire }, { batchSize: 10, limit: 100 });
    expect(rest.fired).toHaveLength(13);
    expect(rest.more).toBe(false);
    expect(new Set([...first.fired, ...rest.fired].map((f) => f.id)).size).toBe(25);
  });

  it('claims no new round once the time budget is spent, and finishes the round in hand', async () => {
    const storage = await dueRecords(25);
    let elapsed = 0;
    const slow: DueHandler = async (uow, record) => {
      elapsed += 3;
      return fire(uow, record);
    };
    const result = await sweepDueTimers(
      storage,
      1_000,
      { job: slow },
      { batchSize: 5, budgetMs: 10, elapsed: () => elapsed },
    );
    expect(result.fired).toHaveLength(5); // 15 ms after the first round
    expect(result.more).toBe(true);
  });

  it('drains every due record when no bound is given, as one-off callers expect', async () => {
    const storage = await dueRecords(25);
    const result = await sweepDueTimers(storage, 1_000, { job: fire }, { batchSize: 4 });
    expect(result.fired).toHaveLength(25);
    expect(result.more).toBe(false);
  });
});

describe('worker', () => {
  it('calls again at once while more is due, sleeps the interval when nothing is, and passes its bounds', async () => {
    const controller = new AbortController();
    const answers = [true, true, false, true, false];
    const seen: WorkerBounds[] = [];
    const { waits, sleep } = recordingSleep((w) => {
      if (w.length === 2) controller.abort();
    });
    const worker = createWorker(
      {
        runDueTimers: async (bounds) => {
          seen.push(bounds);
          return { more: answers.shift() ?? false };
        },
      },
      { signal: controller.signal, sleep, interval: 250, limit: 7, budgetMs: 70 },
    );
    await worker.stopped;
    expect(seen).toHaveLength(5); // true, true, false (sleep), true, false (sleep, stop)
    expect(seen.every((b) => b.limit === 7 && b.budgetMs === 70)).toBe(true);
    expect(waits).toEqual([250, 250]);
  });

  it('stops on abort: no new call starts, the batch in hand finishes, and stopped resolves after it', async () => {
    const storage = createMemoryStorage();
    await queueMails(storage, 6);
    const gate = deferred();
    const started = deferred();
    const mailer = new CapturingMailer();
    const gated: Mailer = {
      async send(message, context) {
        started.resolve();
        await gate.promise;
        mailer.send(message, context);
      },
    };
    const dispatcher = createDispatcher(storage, () => 0, { email: gated }, { ...defaultOutboxPolicy, batchSize: 3 });
    let calls = 0;
    const controller = new AbortController();
    const worker = createWorker(
      {
        dispatchOutbox: (bounds) => {
          calls++;
          return dispatcher.dispatch(bounds);
        },
      },
      { signal: controller.signal, limit: 3 },
    );
    await started.promise;
    controller.abort();
    let stopped = false;
    void worker.stopped.then(() => (stopped = true));
    await ticks();
    expect(stopped).toBe(false); // the batch in hand is still being sent
    gate.resolve();
    await worker.stopped;
    expect(calls).toBe(1);
    expect(mailer.sent).toHaveLength(3);
    expect(await storage.listOutbox({ status: 'delivered' })).toHaveLength(3);
    expect(await storage.listOutbox({ status: 'pending' })).toHaveLength(3);
  });

  it('survives a storage whose every call rejects for a while: reports each error, backs off exponentially, then recovers', async () => {
    const memory = createMemoryStorage();
    await queueMails(memory, 5);
    let failuresLeft = 8;
    // Every method rejects while the database is down.
    const storage = new Proxy(memory, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (failuresLeft > 0) {
            failuresLeft--;
            return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
          }
          return value.apply(target, args);
        };
      },
    });
    const mailer = new CapturingMailer();
    const dispatcher = createDispatcher(storage, () => 0, { email: mailer });
    const reported: WorkerErrorInfo[] = [];
    const controller = new AbortController();
    const { waits, sleep } = recordingSleep(() => {
      if (mailer.sent.length === 5) controller.abort();
    });
    const worker = createWorker(
      { dispatchOutbox: (bounds) => dispatcher.dispatch(bounds) },
      { signal: controller.signal, sleep, onError: (_error, info) => reported.push(info) },
    );
    await worker.stopped;
    expect(reported.map((r) => r.failures)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(reported.every((r) => r.loop === 'outbox')).toBe(true);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 1_000]);
    expect(mailer.sent).toHaveLength(5);
    expect(worker.stats().outbox).toMatchObject({ errors: 8, consecutiveErrors: 0 });
  });

  it('keeps one loop running while the other fails', async () => {
    const controller = new AbortController();
    let sweeps = 0;
    const { sleep } = recordingSleep(() => {
      if (sweeps >= 10) controller.abort();
    });
    const worker = createWorker(
      {
        runDueTimers: async () => {
          sweeps++;
          return { more: false };
        },
        dispatchOutbox: () => Promise.reject(new Error('mail provider down')),
      },
      { signal: controller.signal, sleep },
    );
    await worker.stopped;
    expect(sweeps).toBeGreaterThanOrEqual(10);
    expect(worker.stats().outbox?.errors).toBeGreaterThan(0);
    expect(worker.stats().timers?.errors).toBe(0);
  });

  it('never lets an error escape: a task that throws synchronously and an onError that throws', async () => {
    const controller = new AbortController();
    let calls = 0;
    const { sleep } = recordingSleep(() => {
      if (calls >= 3) controller.abort();
    });
    const worker = createWorker(
      {
        runDueTimers: () => {
          calls++;
          throw new Error('not even a promise');
        },
      },
      {
        signal: controller.signal,
        sleep,
        onError: () => {
          throw new Error('the reporter fails too');
        },
      },
    );
    await expect(worker.stopped).resolves.toBeUndefined();
    expect(worker.stats().timers).toMatchObject({ calls: 3, errors: 3 });
  });

  it('counts errors without calling anything by default', async () => {
    const controller = new AbortController();
    const { sleep } = recordingSleep((w) => {
      if (w.length >= 2) controller.abort();
    });
    const worker = createWorker(
      { runDueTimers: () => Promise.reject(new Error('down')) },
      { signal: controller.signal, sleep },
    );
    await worker.stopped;
    expect(worker.stats().timers?.errors).toBe(2);
  });

  it('leaves no timer behind after stop, with the default sleep', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const worker = createWorker(
      {
        runDueTimers: async () => {
          calls++;
          return { more: false };
        },
        dispatchOutbox: async () => ({ more: false }),
      },
      { interval: 1_000 },
    );
    await vi.advanceTimersByTimeAsync(3_500);
    expect(calls).toBe(4); // at 0, 1 s, 2 s and 3 s
    expect(vi.getTimerCount()).toBe(2); // one pause per loop
    await worker.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start when its signal is already aborted', async () => {
    let calls = 0;
    const worker = createWorker(
      {
        runDueTimers: async () => {
          calls++;
          return { more: false };
        },
      },
      { signal: AbortSignal.abort() },
    );
    await worker.stopped;
    expect(calls).toBe(0);
  });
});
