import { describe, expect, it } from 'vitest';
import { errorCode, lastMailedCode, makeFactorDesk, signedInAlice, templatesTo } from './_harness.js';

describe('changing the email address', () => {
  it('changes it only once a code mailed to the new address is entered, and tells the old address', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const started = await h.desk.factors.changeEmail({ auth: alice.auth, email: 'alice.new@example.org' });
    expect(started.maskedEmail).toBe('a***@example.org');
    expect((await h.desk.accounts.getAccount(alice.accountId)).email).toBe(alice.email);

    const code = await lastMailedCode(h, 'alice.new@example.org');
    const done = await h.desk.factors.confirmEmailChange({ auth: alice.auth, code });
    expect(done).toEqual({ ok: true, email: 'alice.new@example.org' });
    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({
      email: 'alice.new@example.org',
      emailVerified: true,
    });
    expect(await templatesTo(h, alice.email)).toContain('email.changed');
    // The code works once.
    expect(await errorCode(() => h.desk.factors.confirmEmailChange({ auth: alice.auth, code }))).toBe('INVALID_INPUT');
  });

  it('refuses a wrong code as an outcome and changes nothing', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'alice.new@example.org' });
    const code = await lastMailedCode(h, 'alice.new@example.org');
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await h.desk.factors.confirmEmailChange({ auth: alice.auth, code: wrong })).toMatchObject({
      ok: false,
      code: 'TOKEN_INVALID',
    });
    expect((await h.desk.accounts.getAccount(alice.accountId)).email).toBe(alice.email);
  });
});
