import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { defaultSendingBudget, sendingBudgetKey, withSendingBudget } from '../../src/engine/sending-budget.js';
import type { OutboxMessageInput } from '../../src/ports/outbox-store.js';
import { HOUR, MINUTE, loginWithCode, makeAcmeWithBob, makeLoginDesk, BOB_PHONE } from '../login/_harness.js';

const T0 = 1_800_000_000_000;

function message(i: number, template: string, to = 'owner@example.com'): OutboxMessageInput {
  return {
    id: `m${i}`,
    channel: 'email',
    payload: { to, subject: 's', text: 't', template },
    idempotencyKey: `k${i}`,
    availableAt: T0 + i,
  };
}

describe('one sending budget per recipient', () => {
  it('holds back what is over budget and keeps a reserve only for notices a stranger cannot trigger', async () => {
    const inner = createMemoryStorage();
    const storage = withSendingBudget(inner);
    const commit = (messages: OutboxMessageInput[]) =>
      storage.commit({ writes: [], history: [], outbox: messages, idempotency: [] });
    await commit(Array.from({ length: 20 }, (_, i) => message(i, 'account.already_registered')));
    // Over budget: anyone can open a recovery case, so its notice does not get the reserve...
    await commit([message(20, 'recovery.opened'), message(21, 'recovery.sms_opened')]);
    // ...while a password change (caused by the owner) does, up to the reserve of 3.
    await commit([20, 21, 22, 23].map((i) => message(100 + i, 'password.changed')));
    const queued = (await inner.listOutbox({ limit: 1000 })).map((m) => (m.payload as { template: string }).template);
    expect(queued.filter((t) => t === 'account.already_registered')).toHaveLength(20);
    expect(queued.filter((t) => t.startsWith('recovery.'))).toEqual([]);
    expect(queued.filter((t) => t === 'password.changed')).toHaveLength(defaultSendingBudget.securityReserve);
    // One entry per held-back message, keyed by the message (its event names no address).
    const suppressed = await Promise.all(['m20', 'm21', 'm123'].map((id) => inner.history('sending_budget', id)));
    expect(suppressed.map((entries) => entries.map((e) => e.type))).toEqual([
      ['notice.suppressed'],
      ['notice.suppressed'],
      ['notice.suppressed'],
    ]);
    const events = await inner.readEvents({ after: 0, limit: 100 });
    const held = events.filter((e) => e.type === 'notice.suppressed');
    expect(held).toHaveLength(3);
    for (const event of held) expect(JSON.stringify(event)).not.toContain('owner@example.com');
  });

  it("support's mails beyond the budget never spend the security notices' reserve", async () => {
    const inner = createMemoryStorage();
    const storage = withSendingBudget(inner);
    const commit = (messages: OutboxMessageInput[]) =>
      storage.commit({ writes: [], history: [], outbox: messages, idempotency: [] });
    const support = (i: number): OutboxMessageInput => {
      const m = message(i, 'ticket.status_solved');
      return { ...m, payload: { ...(m.payload as object), budget: 'support' } };
    };
    const { mailsPerRecipient, supportReserve, securityReserve } = defaultSendingBudget;
    await commit(Array.from({ length: mailsPerRecipient }, (_, i) => message(i, 'ticket.confirmation')));
    await commit(Array.from({ length: supportReserve + 2 }, (_, i) => support(100 + i)));
    await commit(Array.from({ length: securityReserve + 1 }, (_, i) => message(200 + i, 'recovery.approved')));
    const queued = (await inner.listOutbox({ limit: 1000 })).map((m) => (m.payload as { template: string }).template);
    expect(queued.filter((t) => t === 'ticket.status_solved')).toHaveLength(supportReserve);
    expect(queued.filter((t) => t === 'recovery.approved')).toHaveLength(securityReserve);
  });

  it('plus-addressing does not multiply a mailbox: victim+1@ and victim+2@ share victim@ budget', () => {
    expect(sendingBudgetKey('email', 'Victim+1@Example.com')).toBe(sendingBudgetKey('email', 'victim@example.com'));
    expect(sendingBudgetKey('email', 'victim+a+b@example.com')).toBe(sendingBudgetKey('email', 'victim@example.com'));
    expect(sendingBudgetKey('sms', '+36301234567')).not.toBe(
      sendingBudgetKey('sms', '+36301234567', { accountId: 'acc_1' }),
    );
  });

  it("ten anonymous reset SMS do not keep the owner's own login code from arriving", async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    await h.desk.dispatchOutbox();
    const before = h.sms.to(BOB_PHONE).length;
    // A stranger who knows only the login asks for reset codes by SMS until the number's shared budget is spent.
    for (let i = 0; i < 10; i++) {
      await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'sms' });
      h.clock.advance(13 * MINUTE);
    }
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE).length - before).toBe(10);
    const result = await loginWithCode(h, 'bob@acme', 'bob chosen passphrase', BOB_PHONE);
    expect(result.amr).toEqual(['password', 'sms']);
  });

  it('when the budget would hold a code back, the view says SMS_LIMIT instead of claiming a code was sent', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h, ['tickets.read']);
    await h.desk.accounts.registerPhoneNumber({
      auth: (await loginWithCode(h, 'admin@acme', 'admin chosen passphrase', '+36305550101')).auth,
      phone: BOB_PHONE,
      permissions: ['tickets.read'],
    });
    for (let i = 0; i < 10; i++) {
      await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'sms' });
      h.clock.advance(13 * MINUTE);
    }
    await h.desk.dispatchOutbox();
    const before = h.sms.to(BOB_PHONE).length;
    // A phone-number login is anonymous: it counts in the number's shared budget, which is spent.
    const view = await h.desk.login.startPhoneLogin({ number: BOB_PHONE });
    expect(view.error?.code).toBe('SMS_LIMIT');
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE).length).toBe(before);
    h.clock.advance(24 * HOUR);
    expect((await h.desk.login.startPhoneLogin({ number: BOB_PHONE })).error).toBeNull();
  });
});
