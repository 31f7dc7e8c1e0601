import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { defaultSendingBudget, sendingBudgetKey, withSendingBudget } from '../../src/engine/sending-budget.js';
import { isHelpdeskError } from '../../src/errors.js';
import { checkRate } from '../../src/security/rate-limiter.js';
import { createHelpdesk } from '../../src/helpdesk.js';
import type { Storage } from '../../src/ports/storage.js';
import type { UnitOfWork } from '../../src/engine/unit-of-work.js';
import { CapturingMailer, ManualClock } from '../../src/testing/index.js';

/**
 * A burst of commands that mail one address (a requester submitting many tickets at once, a script
 * replying on all of one customer's tickets) all write that address's budget window. Such commands
 * must all land, with the budget held exactly: in one process the commits to one window take
 * turns; a window another process moved is read again and the commit sent again, without
 * re-running the command.
 */

const T0 = 1_800_000_000_000;
const policy = { ...defaultSendingBudget, mailsPerRecipient: 3 };
const WINDOW = sendingBudgetKey('email', 'owner@example.com');
let n = 0;

/**
 * The memory store with every commit applied a little later (as over a network): commands that
 * read a window at once write it one after another, so every guard after the first would miss.
 */
function slow(inner: Storage): { storage: Storage; commits: () => number; misses: () => number } {
  let commits = 0;
  let misses = 0;
  const storage = new Proxy(inner, {
    get: (target, key) => {
      if (key === 'commit')
        return async (commit: Parameters<Storage['commit']>[0]) => {
          commits++;
          await new Promise((resolve) => setTimeout(resolve, 1));
          const result = await inner.commit(commit);
          if (result === null) misses++;
          return result;
        };
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { storage, commits: () => commits, misses: () => misses };
}

/** One command that queues one mail to the owner; `runs` counts how often its handler ran. */
function send(storage: Storage, runs: { count: number }): Promise<void> {
  return runCommand(
    storage,
    () => T0,
    async (uow) => {
      runs.count++;
      uow.create('note', `note${++n}`, { state: { n }, nextDueAt: null }); // the command's own record
      mailOwner(uow);
    },
  );
}

/** Queues one mail to the owner in `uow`. */
function mailOwner(uow: UnitOfWork): void {
  const id = `m${++n}`;
  uow.outbox({
    id,
    channel: 'email',
    payload: { to: 'owner@example.com', subject: 's', text: 't', template: 'ticket.replied' },
    idempotencyKey: id,
    availableAt: T0,
  });
}

/** Writes the shared note record straight into the store (another writer), at `expectedVersion`. */
const writeShared = (inner: Storage, expectedVersion: number, value: number) =>
  inner.commit({
    writes: [{ kind: 'note', id: 'shared', expectedVersion, state: { n: value }, nextDueAt: null }],
    history: [],
    outbox: [],
    idempotency: [],
  });

const queued = async (inner: Storage) => (await inner.listOutbox({ limit: 1000 })).length;
const suppressed = async (inner: Storage) =>
  (await inner.readEvents({ after: 0, limit: 1000 })).filter((e) => e.type === 'notice.suppressed').length;

describe('a burst of commands mailing one address', () => {
  it('in one process, 40 at once all land with one commit each, and the budget holds exactly', async () => {
    const inner = createMemoryStorage();
    const { storage, commits, misses } = slow(inner);
    const desk = withSendingBudget(storage, policy);
    const runs = { count: 0 };
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => send(desk, runs)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(runs.count).toBe(40);
    expect(commits()).toBe(40);
    expect(misses()).toBe(0);
    expect(await queued(inner)).toBe(3);
    expect(await suppressed(inner)).toBe(37);
    expect((await inner.list('note', { where: {}, limit: 1000 })).length).toBe(40);
  });

  it('a send held back by a spent budget writes no window, so it cannot collide with another', async () => {
    const inner = createMemoryStorage();
    const desk = withSendingBudget(inner, policy);
    const runs = { count: 0 };
    for (let i = 0; i < 3; i++) await send(desk, runs);
    const spent = await inner.load('rate_window', WINDOW);
    expect(spent?.version).toBe(3);
    for (let i = 0; i < 5; i++) await send(desk, runs);
    expect((await inner.load('rate_window', WINDOW))?.version).toBe(3);
    expect(await queued(inner)).toBe(3);
    expect(await suppressed(inner)).toBe(5);
  });

  it('two processes on one store, 30 sends each at once: all land, a moved window is read again instead of the command re-run, and the budget holds', async () => {
    const inner = createMemoryStorage();
    const { storage } = slow(inner);
    // A budget of 45 for 60 sends: every one of the first 45 writes the window.
    const wide = { ...policy, mailsPerRecipient: 45 };
    const a = withSendingBudget(storage, wide);
    const b = withSendingBudget(storage, wide);
    const runs = { count: 0 };
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => send(i % 2 ? a : b, runs)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(runs.count).toBe(60);
    expect(await queued(inner)).toBe(45);
    expect(await suppressed(inner)).toBe(15);
    expect((await inner.load('rate_window', WINDOW))?.version).toBe(45);
  });

  it("a miss on another record than the window is still the command's lost race: it re-runs", async () => {
    const inner = createMemoryStorage();
    const desk = withSendingBudget(inner, policy);
    await writeShared(inner, 0, 0);
    let runs = 0;
    await runCommand(
      desk,
      () => T0,
      async (uow) => {
        runs++;
        const shared = await uow.load('note', 'shared');
        if (runs === 1) {
          // Another writer moves the record after this run read it: this run's guard on it misses.
          await writeShared(inner, shared!.version, -1);
        }
        uow.put('note', 'shared', { state: { n: runs }, nextDueAt: null });
        mailOwner(uow);
      },
    );
    expect(runs).toBe(2);
    expect(await queued(inner)).toBe(1);
    expect((await inner.load('rate_window', WINDOW))?.version).toBe(1);
  });
});

describe('a commit sent again after another process moved its windows', () => {
  const PHONE = '+3612345678';
  const sms = (id: string) => ({
    id,
    channel: 'sms' as const,
    payload: { to: PHONE, text: 'code' },
    idempotencyKey: id,
    availableAt: T0,
  });
  const plain = (storage: Storage) =>
    runCommand(
      storage,
      () => T0,
      async (uow) => uow.outbox(sms(`p${++n}`)),
    );

  const smsPolicy = { ...defaultSendingBudget, smsPerRecipient: 3 };

  /**
   * As login/sms-budget.ts does: the command reads the shared window (which it does not write) and
   * answers from it; before its commit, `b` spends the last SMS. Its code's class is `budget`.
   */
  async function codeAfterCheck(a: Storage, b: Storage, budget?: 'checked') {
    await plain(b);
    await plain(b); // 2 of 3 spent
    let runs = 0;
    const answer = await runCommand(
      a,
      () => T0,
      async (uow) => {
        runs++;
        const slot = await checkRate(uow, sendingBudgetKey('sms', PHONE), {
          limit: smsPolicy.smsPerRecipient,
          windowMs: smsPolicy.windowMs,
        });
        if (runs === 1) await plain(b);
        if (!slot.allowed) return 'SMS_LIMIT';
        const id = `login${++n}`;
        uow.create('login_flow', id, { state: {}, nextDueAt: null });
        uow.outbox({ ...sms(id), payload: { to: PHONE, text: 'code', ...(budget ? { budget } : {}) } });
        return 'code sent';
      },
    );
    return { runs, answer };
  }

  const loginCodes = async (inner: Storage) =>
    (await inner.listOutbox({ limit: 100 })).filter((m) => m.id.startsWith('login'));

  it('a command that answered from the budget (a login code "sent") re-runs when a re-send finds the budget ran out', async () => {
    const inner = createMemoryStorage();
    const b = withSendingBudget(inner, smsPolicy); // another process
    expect(await codeAfterCheck(withSendingBudget(inner, smsPolicy), b)).toEqual({ runs: 2, answer: 'SMS_LIMIT' });
    expect(await loginCodes(inner)).toEqual([]);
  });

  for (const [name, sameDesk, cacheSize] of [
    ['in the same desk', true, undefined],
    ['in another process, with no cache', false, 0],
  ] as const)
    it(`a code the command checked the budget for ("checked") is never held back silently: ${name}, its command re-runs`, async () => {
      const inner = createMemoryStorage();
      const a = withSendingBudget(inner, smsPolicy, cacheSize === undefined ? {} : { cacheSize });
      const b = sameDesk ? a : withSendingBudget(inner, smsPolicy);
      expect(await codeAfterCheck(a, b, 'checked')).toEqual({ runs: 2, answer: 'SMS_LIMIT' });
      expect(await loginCodes(inner)).toEqual([]);
    });

  it('a window deleted below the wrapper (an erasure) is read again before a cached entry a second old holds a send back', async () => {
    const inner = createMemoryStorage();
    let elapsed = 0;
    const desk = withSendingBudget(inner, policy, { elapsed: () => elapsed });
    const runs = { count: 0 };
    for (let i = 0; i < 3; i++) await send(desk, runs);
    const spent = await inner.load('rate_window', WINDOW);
    await inner.commit({
      writes: [],
      deletes: [{ kind: 'rate_window', id: WINDOW, expectedVersion: spent!.version }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    elapsed += 1_000; // a cached window older than a second does not hold a send back on its own word
    await send(desk, runs);
    expect(await queued(inner)).toBe(4);
    expect((await inner.load('rate_window', WINDOW))?.version).toBe(1);
  });

  it("a miss on the command's own record is its lost race at once, even while another process moves the window", async () => {
    const inner = createMemoryStorage();
    let commits = 0;
    const counting = new Proxy(inner, {
      get: (target, key) => {
        if (key === 'commit')
          return (commit: Parameters<Storage['commit']>[0]) => {
            commits++;
            return inner.commit(commit);
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const a = withSendingBudget(counting, policy);
    const b = withSendingBudget(inner, policy);
    await writeShared(inner, 0, 0);
    const runs = { count: 0 };
    await send(a, runs); // a caches the window
    commits = 0;
    let attempt = 0;
    await runCommand(
      a,
      () => T0,
      async (uow) => {
        attempt++;
        const shared = await uow.load('note', 'shared');
        if (attempt === 1) {
          // Another writer moves the command's record, and another process mails the same address.
          await writeShared(inner, shared!.version, -1);
          await send(b, runs);
        }
        uow.put('note', 'shared', { state: { n: attempt }, nextDueAt: null });
        mailOwner(uow);
      },
    );
    expect(attempt).toBe(2);
    expect(commits).toBe(2); // the miss, then the re-run's commit: no re-send of a commit bound to miss
    expect(await queued(inner)).toBe(3);
  });
});

describe('a requester who submits many tickets at once', () => {
  it('gets every ticket, each with its own number, and no more acknowledgements than the budget', async () => {
    const inner = createMemoryStorage();
    const { storage } = slow(inner);
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const desk = createHelpdesk({ storage, clock, mailer: new CapturingMailer() });
    const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        desk.tickets.submit({ requester: { id: 'cust-1', email: 'bob@example.test' }, content }),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.map((r) => (isHelpdeskError(r.reason) ? r.reason.code : String(r.reason)))).toEqual([]);
    const numbers = results.map(
      (r) => (r as PromiseFulfilledResult<{ ticket: { number: number } }>).value.ticket.number,
    );
    expect(new Set(numbers).size).toBe(50);
    const toBob = (await inner.listOutbox({ limit: 1000 })).filter(
      (m) => (m.payload as { to?: string }).to === 'bob@example.test',
    );
    expect(toBob.length).toBe(defaultSendingBudget.mailsPerRecipient);
  });
});
