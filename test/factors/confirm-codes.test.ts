// The code that adds a second factor says that it adds one: a login or sign-in code read aloud to a
// caller who "only needs it to log you in" would hand them a factor on the account instead.
import { describe, expect, it } from 'vitest';
import { lastSmsCode } from '../login/_harness.js';
import { ALICE_PHONE, lastMailedCode, makeFactorDesk, signedInAlice, templatesTo } from './_harness.js';

describe('the code that confirms a new factor', () => {
  it('texts a new SMS factor a code that says it adds this phone to the account, not a login code', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const before = h.sms.to(ALICE_PHONE).length;

    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'sms' });
    const code = await lastSmsCode(h, ALICE_PHONE);

    const sent = h.sms.to(ALICE_PHONE).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('add this phone to your account');
    expect(sent[0]!.text).not.toMatch(/login|sign-in/i);
    expect((await templatesTo(h, ALICE_PHONE)).at(-1)).toBe('factor.sms_confirm_code');
    expect(await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code })).toMatchObject({
      ok: true,
      factor: { type: 'sms', status: 'active' },
    });
  });

  it('mails a new email factor a code that says it adds this address to the account, not a sign-in code', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);

    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    const code = await lastMailedCode(h, alice.email);

    const mail = h.mailer.to(alice.email).at(-1)!;
    expect(mail.text).toContain('add this email address as a second factor to your account alice');
    expect(`${mail.subject}\n${mail.text}`).not.toMatch(/login|sign-in/i);
    expect((await templatesTo(h, alice.email)).at(-1)).toBe('factor.email_confirm_code');
    expect(await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code })).toMatchObject({
      ok: true,
      factor: { type: 'email', status: 'active' },
    });
  });
});
