import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { HOUR, SECOND, alice, dumpStorage, lastMail, makeAccounts, registerActive, tokenFrom } from './_harness.js';

describe('registration and activation', () => {
  it('creates an account that cannot log in until activated, and mails a 24 h activation link', async () => {
    const h = makeAccounts();
    expect(await h.accounts.register(alice)).toEqual({ accepted: true });
    const found = await h.internal.findAccountByLogin('alice');
    expect(found?.value.status).toBe('pending_activation');
    expect(found?.value.phone).toBe('+36301234567');
    const mail = await lastMail(h, 'alice@example.com');
    expect(mail.template).toBe('account.activation');
    expect(mail.text).toContain('https://helpdesk.invalid/activate?token=');
    expect(mail.text).toContain('The link expires in 1 day.');
    expect(tokenFrom(mail.text)).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
  });

  it('activates with the link at TTL − 1 s', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    const token = tokenFrom((await lastMail(h, alice.email)).text);
    h.clock.advance(24 * HOUR - SECOND);
    const result = await h.accounts.activate({ token });
    expect(result).toMatchObject({ ok: true, login: 'alice' });
    expect((await h.internal.findAccountByLogin('alice'))?.value.status).toBe('active');
    const history = await h.accounts.accountHistory(result.ok ? result.accountId : '');
    expect(history.map((e) => e.type)).toEqual(['account.registered', 'account.activated']);
  });

  it('refuses the activation link at TTL + 1 s with TOKEN_EXPIRED', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    const token = tokenFrom((await lastMail(h, alice.email)).text);
    h.clock.advance(24 * HOUR + SECOND);
    expect(await h.accounts.activate({ token })).toMatchObject({ ok: false, code: 'TOKEN_EXPIRED' });
    expect((await h.internal.findAccountByLogin('alice'))?.value.status).toBe('pending_activation');
  });

  it('uses an activation link once: the second use is TOKEN_USED', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    const token = tokenFrom((await lastMail(h, alice.email)).text);
    expect((await h.accounts.activate({ token })).ok).toBe(true);
    expect(await h.accounts.activate({ token })).toMatchObject({ ok: false, code: 'TOKEN_USED' });
  });

  it('answers an unknown token with TOKEN_INVALID', async () => {
    const h = makeAccounts();
    expect(await h.accounts.activate({ token: 'A'.repeat(43) })).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
  });

  it('resendActivation issues a new link and invalidates the old one', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    const first = tokenFrom((await lastMail(h, alice.email)).text);
    expect(await h.accounts.resendActivation({ identifier: 'ALICE' })).toEqual({ accepted: true });
    const second = tokenFrom((await lastMail(h, alice.email)).text);
    expect(second).not.toBe(first);
    expect(await h.accounts.activate({ token: first })).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect((await h.accounts.activate({ token: second })).ok).toBe(true);
  });

  it('resendActivation by email works too, and does nothing for an active account', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const before = h.mailer.sent.length;
    expect(await h.accounts.resendActivation({ identifier: alice.email })).toEqual({ accepted: true });
    await h.deliver();
    expect(h.mailer.sent.length).toBe(before);
  });

  it('limits activation re-sends to 5 per hour, silently', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    for (let i = 0; i < 7; i++)
      expect(await h.accounts.resendActivation({ identifier: 'alice' })).toEqual({ accepted: true });
    await h.deliver();
    expect(h.mailer.to(alice.email).length).toBe(1 + 5);
  });

  it('answers a taken email the same way and tells the existing owner by mail', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const answer = await h.accounts.register({ ...alice, username: 'alice2' });
    expect(answer).toEqual({ accepted: true });
    const mail = await lastMail(h, alice.email);
    expect(mail.template).toBe('account.already_registered');
    expect(mail.text).toContain('alice');
    expect(await h.internal.findAccountByLogin('alice2')).toBeNull();
  });

  it('answers a taken username the same way and creates nothing', async () => {
    const h = makeAccounts();
    await registerActive(h);
    expect(await h.accounts.register({ ...alice, email: 'other@example.com' })).toEqual({ accepted: true });
    const all = await h.storage.list('account', { where: {}, limit: 10 });
    expect(all).toHaveLength(1);
  });

  it('tells the registrant of a taken username by mail to the address they gave', async () => {
    const h = makeAccounts();
    await registerActive(h);
    await h.accounts.register({ ...alice, email: 'other@example.com' });
    const mail = await lastMail(h, 'other@example.com');
    expect(mail?.template).toBe('account.username_unavailable');
    expect(mail?.text).toContain(alice.username);
  });

  it('gives deep-equal answers for a new and a taken registration', async () => {
    const fresh = makeAccounts();
    const taken = makeAccounts();
    await registerActive(taken);
    const a = await fresh.accounts.register(alice);
    const b = await taken.accounts.register(alice);
    expect(a).toStrictEqual(b);
  });

  it('canonicalises the username and email (case, NFKC, surrounding spaces)', async () => {
    const h = makeAccounts();
    await h.accounts.register({ ...alice, username: '  ＡＬＩＣＥ ', email: ' Alice@Example.COM ' });
    const found = await h.internal.findAccountByLogin('alice');
    expect(found?.value).toMatchObject({ username: 'alice', email: 'alice@example.com' });
  });

  it('two concurrent registrations of one username create one account', async () => {
    const h = makeAccounts();
    await Promise.all([h.accounts.register(alice), h.accounts.register({ ...alice, email: 'twin@example.com' })]);
    expect(await h.storage.list('account', { where: {}, limit: 10 })).toHaveLength(1);
  });

  describe('bad input is INVALID_INPUT with the reason, and nothing is stored', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a malformed email', { email: 'not-an-email' }, 'email'],
      ['a malformed username', { username: 'a b' }, 'username'],
      ['a too-short username', { username: 'ab' }, 'username'],
      ['a landline phone', { phone: '+36 1 234 5678' }, 'Hungarian mobile'],
      ['a foreign phone', { phone: '+44 20 7946 0000' }, 'Hungarian mobile'],
      ['a short password', { password: 'short' }, 'at least 8'],
      [
        'a password equal to the username',
        { username: 'alicealice', password: ' ALICEALICE ' },
        'differs from the username',
      ],
      ['a password equal to the email', { password: 'alice@example.com' }, 'differs from the username'],
      ['an unknown field', { role: 'admin' }, 'role'],
    ];
    for (const [what, patch, expected] of cases) {
      it(`refuses ${what}`, async () => {
        const h = makeAccounts();
        const error = await h.accounts.register({ ...alice, ...patch } as typeof alice).catch((e: unknown) => e);
        expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
        expect((error as Error).message).toContain(expected);
        const dump = await dumpStorage(h.storage);
        expect(dump.records).toEqual([]);
        expect(dump.outbox).toEqual([]);
      });
    }

    it('reports the password reason in details', async () => {
      const h = makeAccounts();
      const error = await h.accounts.register({ ...alice, password: 'x'.repeat(129) }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'too_long' } });
    });
  });

  it('knows every record kind it writes', () => {
    expect(ACCOUNT_RECORD_KINDS).toContain('account');
  });
});

describe('username reminder', () => {
  it('mails the logins tied to an email there', async () => {
    const h = makeAccounts();
    await registerActive(h);
    expect(await h.accounts.requestUsernameReminder({ email: ' ALICE@example.com' })).toEqual({ accepted: true });
    const mail = await lastMail(h, alice.email);
    expect(mail.template).toBe('username.reminder');
    expect(mail.text).toContain('alice');
  });

  it('gives deep-equal answers for a known and an unknown email, and sends nothing for the unknown', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const known = await h.accounts.requestUsernameReminder({ email: alice.email });
    const unknown = await h.accounts.requestUsernameReminder({ email: 'nobody@example.com' });
    expect(known).toStrictEqual(unknown);
    await h.deliver();
    expect(h.mailer.to('nobody@example.com')).toEqual([]);
  });

  it('refuses a malformed email with INVALID_INPUT', async () => {
    const h = makeAccounts();
    await expect(h.accounts.requestUsernameReminder({ email: 'nope' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
