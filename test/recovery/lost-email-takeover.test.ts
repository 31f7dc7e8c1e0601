import { describe, expect, it } from 'vitest';
import { resetLinkTo, toPassword } from '../login/_harness.js';
import { approvedCase, HOUR, makeAlice, makeRecoveryDesk, outboxTo } from './_harness.js';

// A lost mailbox is in someone else's hands: after the recovery the address counts for nothing,
// and the phone still on record remains the second factor. A password alone (which the mailbox
// holder can get by a reset link) never replaces it.

async function lostEmailCase() {
  const h = makeRecoveryDesk();
  const alice = await makeAlice(h);
  const { caseId, waitingEndsAt } = await approvedCase(h, { lostFactor: 'email' });
  return { h, alice, caseId, waitingEndsAt };
}

async function resetCodeTo(h: ReturnType<typeof makeRecoveryDesk>, email: string): Promise<string> {
  await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email', method: 'code' });
  const mails = (await outboxTo(h, email)).filter((m) => m.template === 'password.reset_code');
  return /\b(\d{6})\b/.exec(mails[mails.length - 1]!.text)![1]!;
}

async function complete(h: ReturnType<typeof makeRecoveryDesk>, caseId: string, waitingEndsAt: number) {
  h.clock.advance(Math.max(0, waitingEndsAt - h.clock.now()) + 1_000);
  await h.desk.runDueTimers();
  await h.desk.runDueTimers();
  expect((await h.desk.recovery.get(caseId)).status).toBe('completed');
}

describe('after a lost-email recovery', () => {
  it('the phone on record stays the second factor: a password alone does not reach enrolment', async () => {
    const { h, alice, caseId, waitingEndsAt } = await lostEmailCase();
    // The mailbox holder resets the password during the waiting period.
    h.clock.advance(HOUR);
    const token = await resetLinkTo(h, alice.email);
    expect((await h.desk.accounts.resetPassword({ token, newPassword: 'mailbox thief passphrase' })).ok).toBe(true);
    await complete(h, caseId, waitingEndsAt);
    const view = await toPassword(h, 'alice', 'mailbox thief passphrase');
    expect(view.state).not.toBe('awaiting_enrolment');
    expect(view.state).toBe('awaiting_code');
    expect((await h.desk.accounts.getAccount(alice.accountId)).phone).toBe('+36305550111');
  });

  it('a reset link mailed to the lost address before the completion no longer works after it', async () => {
    const { h, alice, caseId, waitingEndsAt } = await lostEmailCase();
    h.clock.advance(waitingEndsAt - h.clock.now() - 30 * 60_000);
    const token = await resetLinkTo(h, alice.email);
    await complete(h, caseId, waitingEndsAt);
    for (let i = 0; i < 2; i++) {
      const result = await h.desk.accounts.resetPassword({ token, newPassword: 'mailbox thief passphrase' });
      expect(result).toMatchObject({ ok: false, code: 'TOKEN_INVALID' }); // each time, never TOKEN_USED
    }
  });

  it('a password reset code sent before a recovery completes no longer works after it', async () => {
    const { h, alice, caseId, waitingEndsAt } = await lostEmailCase();
    h.clock.advance(waitingEndsAt - h.clock.now() - 2 * 60_000);
    const code = await resetCodeTo(h, alice.email);
    await complete(h, caseId, waitingEndsAt);
    const result = await h.desk.accounts.resetPassword({
      identifier: 'alice',
      code,
      newPassword: 'mailbox thief passphrase',
    });
    expect(result.ok).toBe(false);
  });
});
