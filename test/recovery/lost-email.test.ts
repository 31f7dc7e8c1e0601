import { describe, expect, it } from 'vitest';
import { resultOf, toPassword } from '../login/_harness.js';
import { ENCRYPTION_KEY, lastMailedCode } from '../factors/_harness.js';
import { ALICE_PHONE, lastSmsCode, makeAlice, makeRecoveryDesk, outboxTo, recoveredCase } from './_harness.js';

describe('after a lost-email recovery', () => {
  it('a lost-email recovery ends with a new verified address', async () => {
    const h = makeRecoveryDesk({
      secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY },
    });
    const alice = await makeAlice(h);
    await recoveredCase(h, { lostFactor: 'email' });
    expect((await h.desk.accounts.getAccount(alice.accountId)).emailVerified).toBe(false);

    // The next login goes through the phone on record, the factor left (no enrolment: whoever
    // holds the lost mailbox may have the password by a reset link) ...
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_code');
    const auth = resultOf(
      await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, ALICE_PHONE) }),
    ).auth;
    // ... the unverified address cannot be enrolled as the email factor ...
    const refused = await h.desk.factors.enrol({ auth, type: 'email' }).catch((e: { code?: string }) => e.code);
    expect(refused).toBe('INVALID_INPUT');

    // ... and the user sets a new address, proven by a code mailed to it.
    await h.desk.factors.changeEmail({ auth, email: 'alice.fresh@example.org' });
    const code = await lastMailedCode(h, 'alice.fresh@example.org');
    expect(await h.desk.factors.confirmEmailChange({ auth, code })).toEqual({
      ok: true,
      email: 'alice.fresh@example.org',
    });
    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({
      email: 'alice.fresh@example.org',
      emailVerified: true,
      mustEnrolFactor: false,
    });
    // Password resets go to the new address again; the lost one was told of the change.
    await h.desk.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
    expect((await outboxTo(h, 'alice.fresh@example.org')).map((m) => m.template)).toContain('password.reset_link');
    expect((await outboxTo(h, alice.email)).map((m) => m.template)).toContain('email.changed');
  });
});
