import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { defaultSendingBudget, sendingBudgetKey, withSendingBudget } from '../../src/engine/sending-budget.js';
import type { OutboxMessageInput } from '../../src/ports/outbox-store.js';
import { ALICE_PHONE, lastMailedCode, makeFactorDesk, signedInAlice } from '../factors/_harness.js';
import {
  HOUR,
  MINUTE,
  SECOND,
  lastSmsCode,
  makePersonal,
  resultOf,
  toPassword,
  type LoginHarness,
} from '../login/_harness.js';

/**
 * docs/security.md, sending budget: the owner's allowance is the account's own, per recipient. A
 * stranger's account that names the same number or address spends its own allowance (or the shared
 * budget), never the owner's, so his sends cannot make the owner's login answer `SMS_LIMIT`.
 */

/** Registers and activates a personal account `username` with `phone`. */
async function activated(h: LoginHarness, username: string, phone?: string) {
  const account = await makePersonal(h, { username, ...(phone ? { phone } : {}) });
  expect((await h.desk.accounts.activate({ token: account.token })).ok).toBe(true);
  return account;
}

/** Password logins with every resend until the account's codes are refused; the number of codes sent. */
async function spendLoginCodes(h: LoginHarness, username: string, password: string): Promise<number> {
  let sent = 0;
  for (let login = 0; login < 10; login++) {
    const view = await toPassword(h, username, password);
    if (view.state !== 'awaiting_code' || view.error) return sent;
    sent++;
    for (let resend = 0; resend < 3; resend++) {
      h.clock.advance(31 * SECOND);
      if ((await h.desk.login.resendCode({ flowId: view.flowId })).error) return sent;
      sent++;
    }
  }
  return sent;
}

describe("the owner's allowance is per account and recipient", () => {
  it("a stranger's account registered with the owner's number cannot spend the owner's login codes", async () => {
    const h = makeFactorDesk();
    const victim = await activated(h, 'victim', ALICE_PHONE);
    // Mallory registers his own account with the victim's number (numbers are not verified) and logs
    // in to it with every resend until his codes are refused.
    const mallory = await activated(h, 'mallory', ALICE_PHONE);
    const spent = await spendLoginCodes(h, mallory.username, mallory.password);
    // His own codes stay bounded: one account's allowance of the number.
    expect(spent).toBe(defaultSendingBudget.smsPerRecipient);
    h.clock.advance(10 * MINUTE);
    const before = (await h.desk.dispatchOutbox(), h.sms.to(ALICE_PHONE).length);
    const view = await toPassword(h, victim.username, victim.password);
    expect(view.error).toBeNull();
    expect(view.state).toBe('awaiting_code');
    const code = await lastSmsCode(h, ALICE_PHONE);
    expect(h.sms.to(ALICE_PHONE).length).toBe(before + 1);
    expect(resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code })).amr).toEqual(['password', 'sms']);
  });

  it("email-change codes to someone else's address do not spend that address's owner allowance", async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await lastMailedCode(h, alice.email) });
    await h.desk.dispatchOutbox();
    const before = h.mailer.to(alice.email).length;
    // Mallory, signed in to his own account, asks again and again to move his address to Alice's.
    await activated(h, 'mallory', '+36305550199');
    let asked = 0;
    for (let hour = 0; hour < 6; hour++) {
      const view = await toPassword(h, 'mallory', 'alice long passphrase');
      const code = await lastSmsCode(h, '+36305550199');
      const mauth = resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code })).auth;
      for (let i = 0; i < 5; i++) {
        await h.desk.factors.changeEmail({ auth: mauth, email: alice.email });
        asked++;
      }
      h.clock.advance(HOUR);
    }
    await h.desk.dispatchOutbox();
    // The codes to an address Mallory never proved are held to the mailbox's shared budget...
    expect(asked).toBe(30);
    expect(h.mailer.to(alice.email).length - before).toBeLessThanOrEqual(defaultSendingBudget.mailsPerRecipient);
    // ...and Alice's own email-factor login code still arrives.
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_factor');
    const chosen = await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: factor.id });
    expect(chosen.error).toBeNull();
    expect(chosen.state).toBe('awaiting_code');
    const code = await lastMailedCode(h, alice.email);
    expect(resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code })).amr).toEqual(['password', 'email']);
  });

  it("two accounts' allowances for one recipient are two windows, both apart from the shared budget", () => {
    const shared = sendingBudgetKey('sms', '+36301234567');
    const alices = sendingBudgetKey('sms', '+36301234567', { accountId: 'acc_alice' });
    const mallorys = sendingBudgetKey('sms', '+36301234567', { accountId: 'acc_mallory' });
    expect(new Set([shared, alices, mallorys]).size).toBe(3);
    // The mailbox folding applies to the owner's window too.
    expect(sendingBudgetKey('email', 'Alice+x@Example.com', { accountId: 'a' })).toBe(
      sendingBudgetKey('email', 'alice@example.com', { accountId: 'a' }),
    );
  });

  it('a message marked owner that no account charged counts in the shared budget', async () => {
    const inner = createMemoryStorage();
    const storage = withSendingBudget(inner);
    const to = 'someone@example.com';
    const message = (i: number, budget?: string): OutboxMessageInput => ({
      id: `m${i}`,
      channel: 'email',
      payload: { to, subject: 's', text: 't', template: 'email.change_code', ...(budget ? { budget } : {}) },
      idempotencyKey: `k${i}`,
      availableAt: 1_800_000_000_000 + i,
    });
    const commit = (messages: OutboxMessageInput[]) =>
      storage.commit({ writes: [], history: [], outbox: messages, idempotency: [] });
    await commit(Array.from({ length: 20 }, (_, i) => message(i)));
    await commit([message(20, 'owner'), message(21, 'owner')]);
    const queued = await inner.listOutbox({ limit: 1000 });
    expect(queued.map((m) => m.id)).not.toContain('m20');
    expect(queued).toHaveLength(defaultSendingBudget.mailsPerRecipient);
  });
});
