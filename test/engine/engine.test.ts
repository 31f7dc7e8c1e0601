import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { assign, initialTransition, setup } from 'xstate';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { dispatchOutbox, retryDelay, defaultOutboxPolicy } from '../../src/engine/dispatcher.js';
import { persistSnapshot, restoreSnapshot, stepMachine } from '../../src/engine/machine-step.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { sweepDueTimers } from '../../src/engine/timers.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Storage } from '../../src/ports/storage.js';
import { CapturingMailer, ManualClock } from '../../src/testing/index.js';

/** A small machine for engine tests: a counter that accepts `add` up to a limit. */
const counter = setup({
  types: { context: {} as { n: number; limit: number }, events: {} as { type: 'add'; by: number } },
  actions: { notify: (_, _p: { n: number }) => {} },
  guards: { fits: ({ context, event }) => context.n + event.by <= context.limit },
}).createMachine({
  context: { n: 0, limit: 1_000_000 },
  initial: 'counting',
  states: {
    counting: {
      on: {
        add: {
          guard: 'fits',
          actions: [
            assign({ n: ({ context, event }) => context.n + event.by }),
            { type: 'notify', params: ({ context }) => ({ n: context.n }) },
          ],
        },
      },
    },
  },
});

async function createCounter(storage: Storage, id: string) {
  const [snapshot] = initialTransition(counter);
  await storage.commit({
    writes: [{ kind: 'counter', id, expectedVersion: 0, state: persistSnapshot(snapshot), nextDueAt: null }],
    history: [],
    outbox: [],
    idempotency: [],
  });
}

/** A command on counter `c` that loses its race every time: another writer commits between its load and its commit. */
async function alwaysLosing(storage: Storage): Promise<{ error: unknown; attempts: number }> {
  await createCounter(storage, 'c');
  let attempts = 0;
  const error = await runCommand(
    storage,
    () => 0,
    async (uow) => {
      attempts++;
      await uow.load('counter', 'c');
      await add(storage, 'c', 1);
      uow.put('counter', 'c', { state: {}, nextDueAt: null });
    },
  ).catch((e: unknown) => e);
  return { error, attempts };
}

/** One command through the pipeline: load → transition → effects → atomic commit (retried). */
function add(storage: Storage, id: string, by: number, at = 0) {
  return runCommand(
    storage,
    () => at,
    async (uow) => {
      const record = await uow.load('counter', id);
      if (!record) throw new Error('missing');
      const { snapshot, effects, accepted } = stepMachine(counter, restoreSnapshot(counter, record.state as never), {
        type: 'add',
        by,
      });
      if (!accepted) return false;
      uow.put('counter', id, { state: persistSnapshot(snapshot), nextDueAt: null });
      uow.history({ kind: 'counter', id, at: uow.now, type: 'add', actor: null, data: { by } });
      for (const e of effects) {
        const n = (e.params as { n: number }).n;
        uow.outbox({
          id: `${id}-msg-${n}-${by}-${Math.random()}`,
          channel: 'email',
          payload: { to: 'x@example.test', subject: `n=${n}`, text: '', template: 't', locale: 'en' },
          idempotencyKey: `${id}-${n}`,
          availableAt: at,
        });
      }
      return true;
    },
  );
}

/** Wraps every storage call in the fast-check scheduler so the test controls the interleaving. */
function scheduled(storage: Storage, s: fc.Scheduler): Storage {
  return new Proxy(storage, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        s
          .schedule(Promise.resolve(), String(prop))
          .then(() => (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

describe('command engine', () => {
  it('under any interleaving of concurrent commands: no lost update, history = accepted commands = version − 1', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }),
        async (s, amounts) => {
          const raw = createMemoryStorage();
          await createCounter(raw, 'c');
          const storage = scheduled(raw, s);
          const results = amounts.map((by) =>
            add(storage, 'c', by).then(
              () => 'ok' as const,
              (e: unknown) => (isHelpdeskError(e, 'VERSION_CONFLICT') ? ('conflict' as const) : Promise.reject(e)),
            ),
          );
          await s.waitFor(Promise.all(results));
          const outcomes = await Promise.all(results);
          const accepted = amounts.filter((_, i) => outcomes[i] === 'ok');
          const record = await raw.load('counter', 'c');
          const history = await raw.history('counter', 'c');
          expect((record!.state as { context: { n: number } }).context.n).toBe(accepted.reduce((a, b) => a + b, 0));
          expect(history).toHaveLength(accepted.length);
          expect(record!.version).toBe(accepted.length + 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('retries a lost race and finally gives VERSION_CONFLICT, writing nothing', async () => {
    const storage = createMemoryStorage();
    const { error, attempts } = await alwaysLosing(storage);
    expect(isHelpdeskError(error, 'VERSION_CONFLICT')).toBe(true);
    expect(attempts).toBe(8);
    expect((await storage.load('counter', 'c'))!.version).toBe(9); // only the interfering writers
  });

  it('waits a little, at random, before the third and later tries: racing writers spread out, bounded in all', async () => {
    const waits: number[] = [];
    const real = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      waits.push(ms ?? 0);
      return real(fn, 0);
    }) as typeof setTimeout);
    let attempts = 0;
    try {
      ({ attempts } = await alwaysLosing(createMemoryStorage()));
    } finally {
      spy.mockRestore();
    }
    expect(attempts).toBe(8);
    // None before the second try (one lost race is common), one before each of the six after it,
    // up to 2^(n-2) ms before try n, at most 50: ~110 ms at most in all.
    expect(waits.length).toBe(6);
    const caps = [2, 4, 8, 16, 32, 50];
    waits.forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(caps[i]!);
    });
    expect(new Set(waits).size).toBeGreaterThan(1); // random, not one fixed pause
  });

  it('commits nothing when a handler throws', async () => {
    const storage = createMemoryStorage();
    await createCounter(storage, 'c');
    await expect(
      runCommand(
        storage,
        () => 0,
        async (uow) => {
          await uow.load('counter', 'c');
          uow.put('counter', 'c', { state: { broken: true }, nextDueAt: null });
          uow.history({ kind: 'counter', id: 'c', at: 0, type: 'x', actor: null, data: null });
          throw new Error('boom');
        },
      ),
    ).rejects.toThrow('boom');
    expect((await storage.load('counter', 'c'))!.version).toBe(1);
    expect(await storage.history('counter', 'c')).toEqual([]);
  });
});

describe('outbox dispatcher', () => {
  it('with a failing mailer loses nothing and sends nothing twice', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(0);
    await createCounter(storage, 'c');
    for (let i = 0; i < 40; i++) await add(storage, 'c', 1);
    const mailer = new CapturingMailer();
    let calls = 0;
    mailer.failWith(() => ++calls % 3 !== 0); // two of three calls fail
    for (let round = 0; round < 40 && mailer.sent.length < 40; round++) {
      await dispatchOutbox(storage, () => clock.now(), { email: mailer }, { ...defaultOutboxPolicy, maxAttempts: 100 });
      clock.advance(defaultOutboxPolicy.maxDelayMs);
    }
    expect(mailer.sent).toHaveLength(40);
    expect(mailer.duplicates).toHaveLength(0);
    expect(new Set(mailer.sent.map((m) => m.message.subject)).size).toBe(40);
    expect(await storage.listOutbox({ status: 'pending' })).toHaveLength(0);
  });

  it('backs off exponentially and sends a message to dead after the maximum attempts', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(0);
    await createCounter(storage, 'c');
    await add(storage, 'c', 1);
    const mailer = new CapturingMailer().failWith(() => true);
    const policy = { ...defaultOutboxPolicy, maxAttempts: 4 };
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await dispatchOutbox(storage, () => clock.now(), { email: mailer }, policy);
      seen.push(result.failed + result.dead * 10);
      const [pending] = await storage.listOutbox({ status: 'pending' });
      if (pending) {
        expect(pending.availableAt - clock.now()).toBe(retryDelay(policy, pending.attempts));
        clock.set(pending.availableAt);
      }
    }
    expect(seen).toEqual([1, 1, 1, 10]);
    expect([retryDelay(policy, 1), retryDelay(policy, 2), retryDelay(policy, 3)]).toEqual([30_000, 60_000, 120_000]);
    const [dead] = await storage.listOutbox({ status: 'dead' });
    expect(dead?.attempts).toBe(4);
    expect(dead?.lastError).toContain('simulated failure');
    // Dead from its last attempt: retention (outboxMessages) counts the message's age from there.
    expect(dead?.availableAt).toBe(clock.now());
    expect(clock.now()).toBeGreaterThan(0);
  });

  it('delivers a message after a crash between commit and dispatch', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(0);
    await createCounter(storage, 'c');
    await add(storage, 'c', 5);
    // The process dies after the commit, before any dispatch: a new process with the same storage.
    const mailer = new CapturingMailer();
    await dispatchOutbox(storage, () => clock.now(), { email: mailer });
    expect(mailer.sent.map((m) => m.message.subject)).toEqual(['n=5']);
  });

  it('redelivers a message whose dispatcher died mid-delivery, with the same idempotency key', async () => {
    const storage = createMemoryStorage();
    const clock = new ManualClock(0);
    await createCounter(storage, 'c');
    await add(storage, 'c', 5);
    const [claimed] = await storage.claimOutbox(['email'], 0, defaultOutboxPolicy.leaseMs, 10); // then the process dies
    const mailer = new CapturingMailer();
    await dispatchOutbox(storage, () => clock.now(), { email: mailer });
    expect(mailer.sent).toHaveLength(0); // still leased
    clock.advance(defaultOutboxPolicy.leaseMs);
    await dispatchOutbox(storage, () => clock.now(), { email: mailer });
    expect(mailer.sent.map((m) => m.context.idempotencyKey)).toEqual([claimed!.idempotencyKey]);
  });

  it('leaves messages of a channel without a sender in the outbox', async () => {
    const storage = createMemoryStorage();
    await createCounter(storage, 'c');
    await add(storage, 'c', 1);
    expect(await dispatchOutbox(storage, () => 0, {})).toEqual({ delivered: 0, failed: 0, dead: 0, more: false });
    expect(await storage.listOutbox({ status: 'pending' })).toHaveLength(1);
  });
});

describe('timer sweep', () => {
  it('fires each due deadline exactly once across concurrent sweepers', async () => {
    const storage = createMemoryStorage();
    const writes = Array.from({ length: 300 }, (_, i) => ({
      kind: 'job',
      id: `j${i}`,
      expectedVersion: 0,
      state: { fired: 0 },
      nextDueAt: i % 3 === 0 ? 10_000 : 100 + i,
    }));
    await storage.commit({ writes, history: [], outbox: [], idempotency: [] });
    const handler = async (
      uow: Parameters<Parameters<typeof runCommand>[2]>[0],
      record: { kind: string; id: string; state: unknown; nextDueAt: number | null },
    ) => {
      uow.put(record.kind, record.id, {
        state: { fired: (record.state as { fired: number }).fired + 1 },
        nextDueAt: null,
      });
      return [{ kind: record.kind, id: record.id, event: 'fire', dueAt: record.nextDueAt! }];
    };
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => sweepDueTimers(storage, 5_000, { job: handler }, { batchSize: 7 })),
    );
    const fired = results.flatMap((r) => r.fired.map((f) => f.id));
    expect(fired).toHaveLength(200);
    expect(new Set(fired).size).toBe(200);
    for (let i = 0; i < 300; i++) {
      const r = await storage.load('job', `j${i}`);
      expect((r!.state as { fired: number }).fired).toBe(i % 3 === 0 ? 0 : 1);
    }
  });
});
