import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { RATE_WINDOW_GRACE_MS } from '../../src/privacy/retention.js';
import { DAY, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/**
 * The boundary cases run a retention slice every second, so the calls at 7 days − 1 s and at
 * 7 days each run one (the clock is then just past the throttle); the throttle has its own cases.
 */
const everySecond = { retention: { every: SECOND } };
/** The payload rule's cases keep the messages (`outboxMessages: null`) so the erased payloads can be read. */
const keepMessages = { retention: { every: SECOND, outboxMessages: null } };

describe('retention', () => {
  it('erases delivered outbox payloads 7 days after delivery, not 1 s before, when the messages are kept', async () => {
    const h = makePrivacyDesk({ policy: keepMessages });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    const storage = h.storage as MemoryStorage;
    const delivered = await storage.listOutbox({ status: 'delivered' });
    expect(delivered.length).toBeGreaterThan(0);
    const lastDelivery = Math.max(...delivered.map((m) => m.deliveredAt!));

    h.clock.set(lastDelivery + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect((await storage.listOutbox({ status: 'delivered' })).map((m) => m.payload)).toEqual(
      delivered.map((m) => m.payload),
    );

    h.clock.set(lastDelivery + 7 * DAY);
    await h.desk.runDueTimers();
    const after = await storage.listOutbox({ status: 'delivered' });
    expect(after.map((m) => m.payload)).toEqual(delivered.map(() => ({ retention: 'erased', channel: 'email' })));
    expect(after.map((m) => [m.id, m.status, m.deliveredAt])).toEqual(
      delivered.map((m) => [m.id, m.status, m.deliveredAt]),
    );
  });

  it('deletes an ended login flow 7 days after it ended, not 1 s before', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    await registerPerson(h, 'alice');
    const view = await h.desk.login.start({});
    const live = await h.storage.load('login_flow', view.flowId);
    h.clock.set((live!.state as { context: { expiresAt: number } }).context.expiresAt);
    await h.desk.runDueTimers(); // the flow expires: it ends now
    const ended = await h.storage.load('login_flow', view.flowId);
    const endedAt = (ended!.state as { context: { endedAt: number | null } }).context.endedAt;
    expect(endedAt).toBe(h.clock.now());

    h.clock.set(endedAt! + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load('login_flow', view.flowId)).not.toBeNull();

    h.clock.set(endedAt! + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load('login_flow', view.flowId)).toBeNull();
    expect(await h.storage.history('login_flow', view.flowId)).toEqual([]);
  });

  it('deletes a used activation token 7 days after its use, and keeps nothing when turned off', async () => {
    const h = makePrivacyDesk({ policy: { retention: { spentSecrets: null, every: SECOND } } });
    const alice = await registerPerson(h, 'alice');
    const [token] = await h.storage.list('link_token', { where: { account: alice.accountId }, limit: 1 });
    h.clock.advance(8 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load('link_token', token!.id)).not.toBeNull();

    const h2 = makePrivacyDesk({ policy: everySecond });
    const bob = await registerPerson(h2, 'bob');
    const [bobToken] = await h2.storage.list('link_token', { where: { account: bob.accountId }, limit: 1 });
    h2.clock.advance(7 * DAY - SECOND);
    await h2.desk.runDueTimers();
    expect(await h2.storage.load('link_token', bobToken!.id)).not.toBeNull();
    h2.clock.advance(SECOND);
    await h2.desk.runDueTimers();
    expect(await h2.storage.load('link_token', bobToken!.id)).toBeNull();
  });

  it('runs a slice at most every 5 minutes by default: a payload due just after a slice waits for the next', async () => {
    const h = makePrivacyDesk({ policy: { retention: { outboxMessages: null } } });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    const storage = h.storage as MemoryStorage;
    const delivered = await storage.listOutbox({ status: 'delivered' });
    const lastDelivery = Math.max(...delivered.map((m) => m.deliveredAt!));
    const erased = async () =>
      (await storage.listOutbox({ status: 'delivered' })).filter(
        (m) => (m.payload as { retention?: string }).retention === 'erased',
      ).length;

    h.clock.set(lastDelivery + 7 * DAY - SECOND);
    await h.desk.runDueTimers(); // a slice: nothing is 7 days old yet
    h.clock.set(lastDelivery + 7 * DAY);
    await h.desk.runDueTimers(); // 1 s after that slice: none runs
    expect(await erased()).toBe(0);
    h.clock.set(lastDelivery + 7 * DAY - SECOND + 5 * MINUTE - 1);
    await h.desk.runDueTimers();
    expect(await erased()).toBe(0);
    h.clock.set(lastDelivery + 7 * DAY - SECOND + 5 * MINUTE);
    await h.desk.runDueTimers();
    expect(await erased()).toBe(delivered.length);
  });

  it('goes on at the next call, without waiting, while slices find full pages', async () => {
    const h = makePrivacyDesk({ policy: { retention: { batchSize: 2, outboxMessages: null } } });
    const alice = await registerPerson(h, 'alice');
    for (const text of ['one', 'two', 'three', 'four', 'five']) await fileTicket(h, alice, `Tracker ${text} offline.`);
    await h.desk.dispatchOutbox();
    const storage = h.storage as MemoryStorage;
    const delivered = await storage.listOutbox({ status: 'delivered' });
    expect(delivered.length).toBeGreaterThan(4); // more than two full pages
    h.clock.set(Math.max(...delivered.map((m) => m.deliveredAt!)) + 7 * DAY);
    const erasedAfterEachCall: number[] = [];
    for (let call = 0; call < Math.ceil(delivered.length / 2) + 1; call++) {
      await h.desk.runDueTimers(); // the clock stands still: only full pages let a slice follow
      erasedAfterEachCall.push(
        (await storage.listOutbox({ status: 'delivered' })).filter(
          (m) => (m.payload as { retention?: string }).retention === 'erased',
        ).length,
      );
    }
    expect(erasedAfterEachCall[erasedAfterEachCall.length - 1]).toBe(delivered.length);
    expect(erasedAfterEachCall[0]).toBeLessThanOrEqual(2);
  });

  it('deletes delivered mails 7 days after delivery, not 1 s before', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    const storage = h.storage as MemoryStorage;
    const delivered = await storage.listOutbox({ status: 'delivered' });
    expect(delivered.length).toBeGreaterThan(1);
    const lastDelivery = Math.max(...delivered.map((m) => m.deliveredAt!));

    h.clock.set(lastDelivery + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await storage.listOutbox({})).toEqual(delivered);

    h.clock.set(lastDelivery + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await storage.listOutbox({})).toEqual([]);
    expect(await storage.scanOutbox(0, 1_000)).toEqual([]);
  });

  it('deletes a dead message 7 days after its last attempt, not after its queueing; a pending or claimed message never leaves', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    const storage = h.storage as MemoryStorage;
    const alice = await registerPerson(h, 'alice');
    await h.desk.dispatchOutbox(); // the activation mails are delivered; they leave too
    await fileTicket(h, alice, 'Tracker one offline.');
    await fileTicket(h, alice, 'Tracker two offline.');
    await fileTicket(h, alice, 'Tracker three offline.');
    const [dead, claimed, pending] = (await storage.listOutbox({ status: 'pending' })).slice(-3);
    const at = h.clock.now();
    const taken = await storage.claimOutbox(['email'], at, at + 30 * DAY, 1_000);
    expect(taken.map((m) => m.id)).toEqual([dead!.id, claimed!.id, pending!.id]);
    // The last attempt, 3 days after it was queued: the 7 days count from there, not from the queueing.
    const died = at + 3 * DAY;
    expect(await storage.markDead(dead!.id, 'gave up', died)).toBe(true);
    expect(await storage.markFailed(pending!.id, at + 365 * DAY, 'later')).toBe(true);

    h.clock.set(at + 7 * DAY);
    await h.desk.runDueTimers();
    h.clock.set(died + 7 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect((await storage.listOutbox({ status: 'dead' })).map((m) => m.id)).toEqual([dead!.id]);

    h.clock.set(died + 7 * DAY);
    await h.desk.runDueTimers();
    expect(await storage.listOutbox({ status: 'dead' })).toEqual([]);
    expect(await storage.listOutbox({ status: 'delivered' })).toEqual([]);
    expect((await storage.listOutbox({ status: 'claimed' })).map((m) => m.id)).toEqual([claimed!.id]);
    expect((await storage.listOutbox({ status: 'pending' })).map((m) => m.id)).toContain(pending!.id);

    h.clock.set(at + 400 * DAY); // long after: what was never settled is still there
    await h.desk.runDueTimers();
    expect((await storage.listOutbox({})).map((m) => m.id)).toEqual(expect.arrayContaining([claimed!.id, pending!.id]));
  });

  it('a store without deleteSettledOutbox keeps its messages and still runs every other rule', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    const storage = h.storage as MemoryStorage;
    Object.defineProperty(storage, 'deleteSettledOutbox', { value: undefined }); // a store written before it
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    const delivered = await storage.listOutbox({});
    h.clock.advance(8 * DAY);
    await h.desk.runDueTimers();
    const kept = await storage.listOutbox({});
    expect(kept.map((m) => m.id)).toEqual(delivered.map((m) => m.id));
    expect(kept.every((m) => (m.payload as { retention?: string }).retention === 'erased')).toBe(true);
    expect(await storage.load('rate_window', 'send_budget:email:alice@example.com')).toBeNull();
  });

  it('keeps settled messages when outboxMessages is null, and a deleted message is never claimed again', async () => {
    const kept = makePrivacyDesk({ policy: keepMessages });
    const alice = await registerPerson(kept, 'alice');
    await fileTicket(kept, alice, 'Tracker offline.');
    await kept.desk.dispatchOutbox();
    const keptStorage = kept.storage as MemoryStorage;
    const keptIds = (await keptStorage.listOutbox({})).map((m) => m.id);
    kept.clock.advance(400 * DAY);
    await kept.desk.runDueTimers();
    expect((await keptStorage.listOutbox({})).map((m) => m.id)).toEqual(keptIds);

    const h = makePrivacyDesk({ policy: everySecond });
    const bob = await registerPerson(h, 'bob');
    await fileTicket(h, bob, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    const storage = h.storage as MemoryStorage;
    const sent = h.mailer.sent.length;
    h.clock.advance(7 * DAY);
    await h.desk.runDueTimers();
    expect(await storage.listOutbox({})).toEqual([]);
    h.clock.advance(400 * DAY); // past every lease and retry the message ever had
    expect(await storage.claimOutbox(['email', 'sms'], h.clock.now(), h.clock.now() + 60_000, 1_000)).toEqual([]);
    await h.desk.dispatchOutbox();
    expect(h.mailer.sent.length).toBe(sent);
  });

  it('erases the payload of a kept message after outboxPayloads and deletes it after outboxMessages', async () => {
    const h = makePrivacyDesk({
      policy: { retention: { every: SECOND, outboxPayloads: 7 * DAY, outboxMessages: 30 * DAY } },
    });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    const storage = h.storage as MemoryStorage;
    const delivered = await storage.listOutbox({ status: 'delivered' });
    const last = Math.max(...delivered.map((m) => m.deliveredAt!));

    h.clock.set(last + 7 * DAY);
    await h.desk.runDueTimers();
    const erased = await storage.listOutbox({});
    expect(erased.map((m) => m.id)).toEqual(delivered.map((m) => m.id));
    expect(erased.map((m) => m.payload)).toEqual(delivered.map(() => ({ retention: 'erased', channel: 'email' })));

    h.clock.set(last + 30 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect((await storage.listOutbox({})).map((m) => m.id)).toEqual(delivered.map((m) => m.id));

    h.clock.set(last + 30 * DAY);
    await h.desk.runDueTimers();
    expect(await storage.listOutbox({})).toEqual([]);
  });

  it('deletes a rate window 10 minutes after its last hit left the window, not 1 s before, and the budget still counts after', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    const key = 'send_budget:email:alice@example.com';
    const window = await h.storage.load('rate_window', key);
    const state = window!.state as { hits: number[]; until: number };
    expect(state.until).toBe(Math.max(...state.hits) + DAY); // the default budget window: 24 h

    // Deleted 10 minutes after its end (RATE_WINDOW_GRACE_MS), for hosts whose clocks disagree.
    h.clock.set(state.until + RATE_WINDOW_GRACE_MS - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load('rate_window', key)).not.toBeNull();

    h.clock.set(state.until + RATE_WINDOW_GRACE_MS);
    await h.desk.runDueTimers();
    expect(await h.storage.load('rate_window', key)).toBeNull();

    await fileTicket(h, alice, 'Tracker offline again.'); // a new window, counting from one
    const fresh = await h.storage.load('rate_window', key);
    expect((fresh!.state as { hits: number[] }).hits).toEqual([h.clock.now()]);
  });

  it('keeps a rate window written without an end (before windows kept one)', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
    const written = await h.storage.commit({
      writes: [{ kind: 'rate_window', id: 'legacy:window', expectedVersion: 0, state: { hits: [0] }, nextDueAt: null }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    expect(written).not.toBeNull();
    h.clock.advance(400 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load('rate_window', 'legacy:window')).not.toBeNull();
  });
});
