import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { DAY, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/**
 * The boundary cases run a retention slice every second, so the calls at 7 days − 1 s and at
 * 7 days each run one (the clock is then just past the throttle); the throttle has its own cases.
 */
const everySecond = { retention: { every: SECOND } };

describe('retention', () => {
  it('erases delivered outbox payloads 7 days after delivery, not 1 s before', async () => {
    const h = makePrivacyDesk({ policy: everySecond });
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
    const h = makePrivacyDesk();
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
    const h = makePrivacyDesk({ policy: { retention: { batchSize: 2 } } });
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
});
