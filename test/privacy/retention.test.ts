import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { DAY, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

const SECOND = 1000;

describe('retention', () => {
  it('erases delivered outbox payloads 7 days after delivery, not 1 s before', async () => {
    const h = makePrivacyDesk();
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
    const h = makePrivacyDesk();
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
    const h = makePrivacyDesk({ policy: { retention: { spentSecrets: null } } });
    const alice = await registerPerson(h, 'alice');
    const [token] = await h.storage.list('link_token', { where: { account: alice.accountId }, limit: 1 });
    h.clock.advance(8 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load('link_token', token!.id)).not.toBeNull();

    const h2 = makePrivacyDesk();
    const bob = await registerPerson(h2, 'bob');
    const [bobToken] = await h2.storage.list('link_token', { where: { account: bob.accountId }, limit: 1 });
    h2.clock.advance(7 * DAY - SECOND);
    await h2.desk.runDueTimers();
    expect(await h2.storage.load('link_token', bobToken!.id)).not.toBeNull();
    h2.clock.advance(SECOND);
    await h2.desk.runDueTimers();
    expect(await h2.storage.load('link_token', bobToken!.id)).toBeNull();
  });
});
