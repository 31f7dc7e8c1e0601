import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { defaultSendingBudget, sendingBudgetKey, withSendingBudget } from '../../src/engine/sending-budget.js';
import type { Storage } from '../../src/ports/storage.js';

const T0 = 1_800_000_000_000;
const policy = { ...defaultSendingBudget, mailsPerRecipient: 3 };
const WINDOW = sendingBudgetKey('email', 'owner@example.com');
let n = 0;

/** `inner` with some methods replaced (the rest bound to it: the memory store is a class). */
function overriding(inner: Storage, methods: Partial<Storage>): Storage {
  return new Proxy(inner, {
    get: (target, key) => {
      const own = (methods as Record<PropertyKey, unknown>)[key];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The store with its loads of the recipient's window counted. */
function counted(inner: Storage): { storage: Storage; windowLoads: () => number } {
  let loads = 0;
  const storage = overriding(inner, {
    load: (kind, id) => {
      if (id === WINDOW) loads++;
      return inner.load(kind, id);
    },
  });
  return { storage, windowLoads: () => loads };
}

/** One command that queues one mail to the owner, re-run by runCommand when its commit loses a race. */
function send(storage: Storage): Promise<void> {
  return sendAt(storage, T0);
}

const queued = async (inner: Storage) => (await inner.listOutbox({ limit: 1000 })).length;

describe('the sending budget caches windows per wrapper and still never overspends', () => {
  it('reads a window once per wrapper: later commits write at the version it last stored', async () => {
    const inner = createMemoryStorage();
    const { storage, windowLoads } = counted(inner);
    let elapsed = 0;
    const desk = withSendingBudget(storage, policy, { elapsed: () => elapsed });
    for (let i = 0; i < 3; i++) await send(desk);
    expect(windowLoads()).toBe(1);
    expect(await queued(storage)).toBe(3);
    expect((await inner.load('rate_window', WINDOW))?.version).toBe(3);
    // Sends the spent budget holds back write nothing (test/engine/sending-budget-burst.test.ts);
    // a cached window holds them back on its own word for a second, then it is read again.
    await send(desk);
    expect(windowLoads()).toBe(1);
    elapsed += 1_000;
    await send(desk);
    expect(windowLoads()).toBe(2);
    expect(await queued(storage)).toBe(3);
    expect((await inner.load('rate_window', WINDOW))?.version).toBe(3);
  });

  it('two desks over one store, sending to one recipient in turn and at once, queue no more than the budget', async () => {
    const inner = createMemoryStorage();
    const a = withSendingBudget(inner, policy);
    const b = withSendingBudget(inner, policy);
    await send(a); // a remembers version 1
    await send(b); // b reads version 1, writes 2: a's entry is now stale
    await send(a); // a's commit misses its guard, a re-reads and writes 3
    expect(await queued(inner)).toBe(3);
    await Promise.all([send(a), send(b), send(a), send(b)]);
    expect(await queued(inner)).toBe(3);
    const held = await inner.readEvents({ after: 0, limit: 100 });
    expect(held.filter((e) => e.type === 'notice.suppressed')).toHaveLength(4);
  });

  it('drops the entry when a commit fails after the cache was consulted, so the next command reads again', async () => {
    const inner = createMemoryStorage();
    const { storage, windowLoads } = counted(inner);
    let failNext: 'throw-after-apply' | 'refuse' | null = null;
    const flaky = overriding(storage, {
      commit: async (commit) => {
        const mode = failNext;
        failNext = null;
        if (mode === 'refuse') return null; // another guard of the command missed: nothing applied
        const result = await storage.commit(commit);
        if (mode === 'throw-after-apply') throw new Error('connection lost after the server committed');
        return result;
      },
    });
    // A budget of 4, so the refused fourth send still spends it.
    const desk = withSendingBudget(flaky, { ...policy, mailsPerRecipient: 4 });
    await send(desk);
    expect(windowLoads()).toBe(1);
    failNext = 'throw-after-apply';
    await expect(send(desk)).rejects.toThrow('connection lost');
    // The window moved to version 2 although the command failed: a cache kept at version 1 would
    // only miss, but one advanced to 2 without the store's word could count a send twice or not at all.
    await send(desk);
    expect(windowLoads()).toBe(2);
    failNext = 'refuse';
    await send(desk); // refused once: the window is read again, found unmoved, and the command re-runs
    expect(windowLoads()).toBe(3);
    expect(await queued(inner)).toBe(4);
    await send(desk);
    expect(await queued(inner)).toBe(4);
  });

  it('a command that writes a budget window itself leaves the cache to the store', async () => {
    const inner = createMemoryStorage();
    const { storage, windowLoads } = counted(inner);
    const desk = withSendingBudget(storage, policy);
    await send(desk);
    const stored = await inner.load('rate_window', WINDOW);
    // E.g. a reset of the window by a host tool, through the same wrapper.
    await desk.commit({
      writes: [
        { kind: 'rate_window', id: WINDOW, expectedVersion: stored!.version, state: { hits: [] }, nextDueAt: null },
      ],
      history: [],
      outbox: [],
      idempotency: [],
    });
    const loadsBefore = windowLoads();
    for (let i = 0; i < 3; i++) await send(desk);
    expect(windowLoads()).toBe(loadsBefore + 1);
    expect(await queued(inner)).toBe(1 + 3);
  });

  it('with cacheSize 0 every budgeted commit reads its windows', async () => {
    const { storage, windowLoads } = counted(createMemoryStorage());
    const desk = withSendingBudget(storage, policy, { cacheSize: 0 });
    for (let i = 0; i < 3; i++) await send(desk);
    expect(windowLoads()).toBe(3);
  });

  it('a cached window that is over is read again: retention may have deleted it and another writer rebuilt it to the same version', async () => {
    const inner = createMemoryStorage();
    const budget = { ...defaultSendingBudget, mailsPerRecipient: 2 };
    const a = withSendingBudget(inner, budget);
    const b = withSendingBudget(inner, budget); // another process on the same store
    const at = (time: number) => (storage: Storage) => sendAt(storage, time);
    await at(T0)(a); // a caches the window at version 1, its hit at T0
    const later = T0 + budget.windowMs + 1;
    const stale = await inner.load('rate_window', WINDOW);
    expect((stale!.state as { until: number }).until).toBe(T0 + budget.windowMs);
    // Retention (another process): the window is over, so it is deleted.
    await inner.commit({
      writes: [],
      deletes: [{ kind: 'rate_window', id: WINDOW, expectedVersion: stale!.version }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    await at(later)(b); // b re-creates it: version 1 again, one hit
    await at(later)(a); // a must count b's hit, not write over it at the version it cached
    await at(later)(b); // the third within one window: over the budget of 2
    expect((await inner.listOutbox({ limit: 1000 })).filter((m) => m.availableAt === later)).toHaveLength(2);
  });
});

/** One command that queues one mail to the owner at `time`. */
function sendAt(storage: Storage, time: number): Promise<void> {
  return runCommand(
    storage,
    () => time,
    async (uow) => {
      const id = `m${++n}`;
      uow.outbox({
        id,
        channel: 'email',
        payload: { to: 'owner@example.com', subject: 's', text: 't', template: 'ticket.replied' },
        idempotencyKey: id,
        availableAt: time,
      });
    },
  );
}
