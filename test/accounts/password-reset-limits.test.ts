/**
 * Password-reset abuse limits: wrong reset codes are one rolling budget per account, and reset
 * SMS one budget per number. Each of these failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { HOUR, alice, codeFrom, lastMail, makeAccounts, registerActive, tokenFrom, type Harness } from './_harness.js';

const ALICE_PHONE = '+36301234567';

/** A code that is certainly not `code`. */
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

async function guessResetCode(h: Harness, code: string) {
  return h.accounts.resetPassword({ identifier: 'alice', code, newPassword: 'the attacker chose this' });
}

async function mailsOf(h: Harness, to: string, template: string) {
  await h.deliver();
  return h.mailer.to(to).filter((m) => m.template === template);
}

describe('wrong reset codes are counted per account across requests', () => {
  it('after 10 wrong codes in 24 h no code is issued: email gets the link instead, SMS nothing; a reset clears the count', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const codes: string[] = [];
    for (let round = 0; round < 2; round++) {
      await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email', method: 'code' });
      const code = codeFrom((await lastMail(h, alice.email)).text);
      codes.push(code);
      for (let i = 0; i < 5; i++) expect((await guessResetCode(h, otherCode(code))).ok).toBe(false);
    }
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email', method: 'code' });
    const mail = await lastMail(h, alice.email);
    expect(mail.template).toBe('password.reset_link');
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
    await h.deliver();
    expect(h.sms.to(ALICE_PHONE)).toHaveLength(0);
    expect(await mailsOf(h, alice.email, 'password.reset_code')).toHaveLength(2);

    // The link still resets the password, and that clears the count.
    const reset = await h.accounts.resetPassword({ token: tokenFrom(mail.text), newPassword: 'a new passphrase' });
    expect(reset.ok).toBe(true);
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email', method: 'code' });
    expect((await lastMail(h, alice.email)).template).toBe('password.reset_code');
  });

  it('a code issued near the cap allows only the guesses left in the 24 h budget', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const request = async () => {
      await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email', method: 'code' });
      return codeFrom((await lastMail(h, alice.email)).text);
    };
    const first = await request();
    for (let i = 0; i < 4; i++) await guessResetCode(h, otherCode(first));
    const second = await request();
    for (let i = 0; i < 5; i++) await guessResetCode(h, otherCode(second));
    // 9 failures: the next code allows one wrong try, then it is burned.
    const third = await request();
    await guessResetCode(h, otherCode(third));
    expect(await guessResetCode(h, third)).toMatchObject({ ok: false, code: 'TOO_MANY_ATTEMPTS' });
  });

  it('an attacker who knows only the login gets a handful of codes in 48 h, not hundreds', async () => {
    const h = makeAccounts();
    await registerActive(h);
    for (let hour = 0; hour < 48; hour++) {
      for (let request = 0; request < 5; request++) {
        await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email', method: 'code' });
        for (let i = 0; i < 5; i++) await guessResetCode(h, String(100_000 + hour * 100 + request * 10 + i));
      }
      h.clock.advance(HOUR);
    }
    // At most 10 counted guesses per rolling 24 h: two or three codes a day.
    expect((await mailsOf(h, alice.email, 'password.reset_code')).length).toBeLessThanOrEqual(6);
  });
});

describe('password-reset SMS cannot be pumped to one number', () => {
  it('sends no reset SMS to an account that was never activated', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
    await h.deliver();
    expect(h.sms.to(ALICE_PHONE)).toHaveLength(0);
  });

  it('sends at most 10 reset SMS per number per 24 h, across accounts', async () => {
    const h = makeAccounts();
    const usernames = ['anna', 'bela', 'cili'];
    for (const username of usernames)
      await registerActive(h, { ...alice, username, email: `${username}@example.com`, password: 'long enough pass' });
    for (const username of usernames)
      for (let i = 0; i < 5; i++) await h.accounts.requestPasswordReset({ identifier: username, channel: 'sms' });
    await h.deliver();
    expect(h.sms.to(ALICE_PHONE)).toHaveLength(10);
    h.clock.advance(24 * HOUR);
    await h.accounts.requestPasswordReset({ identifier: 'anna', channel: 'sms' });
    await h.deliver();
    expect(h.sms.to(ALICE_PHONE)).toHaveLength(11);
  });
});
