import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import {
  MINUTE,
  HOUR,
  SECOND,
  alice,
  codeFrom,
  lastMail,
  lastSms,
  makeAccounts,
  registerActive,
  tokenFrom,
  type Harness,
} from './_harness.js';

const NEW_PASSWORD = 'a brand new passphrase';

async function resetLink(h: Harness) {
  await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
  return tokenFrom((await lastMail(h, alice.email)).text);
}

async function smsCode(h: Harness) {
  await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
  return codeFrom((await lastSms(h, '+36301234567')).text);
}

async function loginWorks(h: Harness, password: string) {
  const found = await h.internal.findAccountByLogin('alice');
  return found ? h.internal.verifyPassword(found.value, password) : false;
}

describe('password reset by link', () => {
  it('mails a single-use link valid for 1 h to the address on record', async () => {
    const h = makeAccounts();
    await registerActive(h);
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
    const mail = await lastMail(h, alice.email);
    expect(mail.template).toBe('password.reset_link');
    expect(mail.text).toContain('https://helpdesk.invalid/reset-password?token=');
    expect(mail.text).toContain('valid for 1 hour');
  });

  it('accepts the link at TTL − 1 s, sets the password, revokes sessions and notifies the owner', async () => {
    const h = makeAccounts();
    const id = await registerActive(h);
    const token = await resetLink(h);
    h.clock.advance(HOUR - SECOND);
    const result = await h.accounts.resetPassword({ token, newPassword: NEW_PASSWORD });
    expect(result).toEqual({ ok: true, accountId: id, login: 'alice', sessionsRevoked: true });
    expect(await loginWorks(h, NEW_PASSWORD)).toBe(true);
    expect(await loginWorks(h, alice.password)).toBe(false);
    expect(h.revoked).toEqual([{ accountId: id, reason: 'password_reset' }]);
    expect((await lastMail(h, alice.email)).template).toBe('password.changed');
  });

  it('refuses the link at TTL + 1 s with TOKEN_EXPIRED and keeps the old password', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const token = await resetLink(h);
    h.clock.advance(HOUR + SECOND);
    expect(await h.accounts.resetPassword({ token, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: 'TOKEN_EXPIRED',
    });
    expect(await loginWorks(h, alice.password)).toBe(true);
  });

  it('uses a link once: TOKEN_USED the second time', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const token = await resetLink(h);
    expect((await h.accounts.resetPassword({ token, newPassword: NEW_PASSWORD })).ok).toBe(true);
    expect(await h.accounts.resetPassword({ token, newPassword: 'yet another passphrase' })).toMatchObject({
      ok: false,
      code: 'TOKEN_USED',
    });
  });

  it('a new request invalidates the previous link', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const first = await resetLink(h);
    const second = await resetLink(h);
    expect(await h.accounts.resetPassword({ token: first, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: 'TOKEN_INVALID',
    });
    expect((await h.accounts.resetPassword({ token: second, newPassword: NEW_PASSWORD })).ok).toBe(true);
  });

  it('an activation token is not a reset token (purpose-bound)', async () => {
    const h = makeAccounts();
    await h.accounts.register(alice);
    const activation = tokenFrom((await lastMail(h, alice.email)).text);
    expect(await h.accounts.resetPassword({ token: activation, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: 'TOKEN_INVALID',
    });
  });

  it('a new password outside the policy is INVALID_INPUT and does not use up the link', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const token = await resetLink(h);
    await expect(h.accounts.resetPassword({ token, newPassword: 'short' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'too_short' },
    });
    await expect(h.accounts.resetPassword({ token, newPassword: 'alice@example.com' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'equals_identifier' },
    });
    expect((await h.accounts.resetPassword({ token, newPassword: NEW_PASSWORD })).ok).toBe(true);
  });

  it('uses the configured link builder', async () => {
    const h = makeAccounts({
      links: { activation: (t) => `app://activate/${t}`, passwordReset: (t) => `app://reset?token=${t}` },
    });
    await h.accounts.register(alice);
    expect((await lastMail(h, alice.email)).text).toContain('app://activate/');
  });
});

describe('password reset by code', () => {
  it('sends a 6-digit code by SMS to the phone on record, valid 5 min', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const code = await smsCode(h);
    expect(code).toMatch(/^\d{6}$/);
    const sms = await lastSms(h, '+36301234567');
    expect(sms.template).toBe('password.reset_code');
    expect(sms.text).toContain('5 minutes');
  });

  it('accepts the code at TTL − 1 s', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const code = await smsCode(h);
    h.clock.advance(5 * MINUTE - SECOND);
    expect(await h.accounts.resetPassword({ identifier: 'alice', code, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: true,
    });
    expect(await loginWorks(h, NEW_PASSWORD)).toBe(true);
  });

  it('refuses the code at TTL + 1 s with TOKEN_EXPIRED', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const code = await smsCode(h);
    h.clock.advance(5 * MINUTE + SECOND);
    expect(await h.accounts.resetPassword({ identifier: 'alice', code, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: 'TOKEN_EXPIRED',
    });
  });

  it('burns the code after 5 wrong tries: the right one then gets TOO_MANY_ATTEMPTS', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const code = await smsCode(h);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect(
        await h.accounts.resetPassword({ identifier: 'alice', code: wrong, newPassword: NEW_PASSWORD }),
      ).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    }
    expect(await h.accounts.resetPassword({ identifier: 'alice', code, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: 'TOO_MANY_ATTEMPTS',
    });
    expect(await loginWorks(h, alice.password)).toBe(true);
  });

  it('accepts the right code after 4 wrong tries', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const code = await smsCode(h);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      await h.accounts.resetPassword({ identifier: 'alice', code: wrong, newPassword: NEW_PASSWORD });
    expect((await h.accounts.resetPassword({ identifier: 'alice', code, newPassword: NEW_PASSWORD })).ok).toBe(true);
  });

  it('can send the code by email instead of a link', async () => {
    const h = makeAccounts();
    await registerActive(h);
    await h.accounts.requestPasswordReset({ identifier: alice.email, channel: 'email', method: 'code' });
    const mail = await lastMail(h, alice.email);
    expect(mail.template).toBe('password.reset_code');
    const code = codeFrom(mail.text);
    expect((await h.accounts.resetPassword({ identifier: alice.email, code, newPassword: NEW_PASSWORD })).ok).toBe(
      true,
    );
  });

  it('a code for one account does not work for another', async () => {
    const h = makeAccounts();
    await registerActive(h);
    await registerActive(h, { ...alice, username: 'bob', email: 'bob@example.com', phone: '+36 20 123 4567' });
    const code = await smsCode(h);
    expect(await h.accounts.resetPassword({ identifier: 'bob', code, newPassword: NEW_PASSWORD })).toMatchObject({
      ok: false,
      code: 'TOKEN_INVALID',
    });
  });

  it('two racing resets with one code: exactly one wins', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const code = await smsCode(h);
    // Both submissions read the live code before either commits: the first commit is held until
    // the second arrives, so the loser's commit misses its guard whatever the scheduling.
    let lostRaces = 0;
    let arrivals = 0;
    let release!: () => void;
    const bothArrived = new Promise<void>((resolve) => (release = resolve));
    const commit = h.storage.commit.bind(h.storage);
    h.storage.commit = async (c) => {
      arrivals++;
      if (arrivals === 2) release();
      if (arrivals <= 2) await Promise.race([bothArrived, new Promise((r) => setTimeout(r, 2_000))]);
      const result = await commit(c);
      if (result === null) lostRaces++;
      return result;
    };
    const results = await Promise.all([
      h.accounts.resetPassword({ identifier: 'alice', code, newPassword: 'first racing password' }),
      h.accounts.resetPassword({ identifier: 'alice', code, newPassword: 'second racing password' }),
    ]);
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ code: 'TOKEN_USED' });
    expect(lostRaces).toBeGreaterThanOrEqual(1);
    const winner = results[0]!.ok ? 'first racing password' : 'second racing password';
    expect(await loginWorks(h, winner)).toBe(true);
    const history = await h.accounts.accountHistory((await h.internal.findAccountByLogin('alice'))!.value.id);
    expect(history.filter((e) => e.type === 'account.password_reset')).toHaveLength(1);
  });

  it('two racing resets with one link: exactly one wins', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const token = await resetLink(h);
    const results = await Promise.all(
      [1, 2, 3].map((n) => h.accounts.resetPassword({ token, newPassword: `racing password ${n}` })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe('uniform answers and silent limits', () => {
  it('gives deep-equal answers for an existing and a missing account, on both channels', async () => {
    const h = makeAccounts();
    await registerActive(h);
    for (const channel of ['email', 'sms'] as const) {
      const existing = await h.accounts.requestPasswordReset({ identifier: 'alice', channel });
      const missing = await h.accounts.requestPasswordReset({ identifier: 'nobody', channel });
      const missingEmail = await h.accounts.requestPasswordReset({ identifier: 'nobody@example.com', channel });
      expect(existing).toStrictEqual(missing);
      expect(existing).toStrictEqual(missingEmail);
    }
  });

  it('answers a code for a missing account like a wrong code', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const missing = await h.accounts.resetPassword({ identifier: 'nobody', code: '123456', newPassword: NEW_PASSWORD });
    const wrong = await h.accounts.resetPassword({ identifier: 'alice', code: '123456', newPassword: NEW_PASSWORD });
    expect(missing).toStrictEqual(wrong);
  });

  it('sends nothing by SMS for an account without a phone, with the same answer', async () => {
    const h = makeAccounts();
    const { phone: _phone, ...noPhone } = alice;
    await registerActive(h, noPhone as typeof alice);
    expect(await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' })).toEqual({ accepted: true });
    await h.deliver();
    expect(h.sms.sent).toEqual([]);
  });

  it('limits reset requests to 5 per hour per account, silently, and allows more after the hour', async () => {
    const h = makeAccounts();
    await registerActive(h);
    for (let i = 0; i < 8; i++)
      expect(await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' })).toEqual({
        accepted: true,
      });
    await h.deliver();
    expect(h.sms.to('+36301234567')).toHaveLength(5);
    h.clock.advance(HOUR + SECOND);
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
    await h.deliver();
    expect(h.sms.to('+36301234567')).toHaveLength(6);
  });

  it('refuses a link by SMS and a malformed identifier with INVALID_INPUT', async () => {
    const h = makeAccounts();
    await expect(
      h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms', method: 'link' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.accounts.requestPasswordReset({ identifier: 'a b c', channel: 'email' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const error = await h.accounts
      .requestPasswordReset({ identifier: 'alice', channel: 'fax' as 'sms' })
      .catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
  });
});

describe('a reset never weakens the second factor', () => {
  it('keeps the phone and the organisation SMS setting, and logs nobody in', async () => {
    const h = makeAccounts();
    const created = await h.accounts.createOrganization({
      slug: 'acme',
      name: 'Acme',
      admin: { email: 'boss@acme.example', phone: '+36 70 111 2233' },
    });
    await h.accounts.requestPasswordReset({ identifier: 'admin@acme', channel: 'sms' });
    const code = codeFrom((await lastSms(h, '+36701112233')).text);
    const result = await h.accounts.resetPassword({ identifier: 'ADMIN@acme', code, newPassword: NEW_PASSWORD });
    expect(Object.keys(result).sort()).toEqual(['accountId', 'login', 'ok', 'sessionsRevoked']);
    const admin = await h.accounts.getAccount(created.admin.id);
    expect(admin.phone).toBe('+36701112233');
    expect((await h.accounts.getOrganization(created.organization.id)).settings.smsCodeForLogin).toBe(true);
    // Setting a password ends the temporary-password state.
    expect(admin.mustChangePassword).toBe(false);
  });
});
