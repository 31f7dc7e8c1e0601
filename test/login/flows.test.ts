import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import {
  ADMIN_PASSWORD,
  ADMIN_PHONE,
  BOB_PASSWORD,
  BOB_PHONE,
  HOUR,
  MINUTE,
  SECOND,
  lastSmsCode,
  lastTemporaryPassword,
  loginWithCode,
  makeAcme,
  fastHasher,
  makeAcmeWithBob,
  makeLoginDesk,
  makePersonal,
  otherCode,
  resultOf,
  toPassword,
} from './_harness.js';

const code = (error: unknown) => (isHelpdeskError(error) ? error.code : String(error));

describe('business login with the SMS code (identifier → Tovább → password → Tovább → code)', () => {
  it('starts at the identifier page with a 15-minute lifetime', async () => {
    const h = makeLoginDesk();
    const view = await h.desk.login.start();
    expect(view).toEqual({
      flowId: view.flowId,
      state: 'awaiting_identifier',
      attemptsLeft: null,
      resendAvailableAt: null,
      resendsLeft: null,
      maskedPhone: null,
      expiresAt: h.clock.now() + 15 * MINUTE,
      error: null,
    });
    expect(Object.isFrozen(view)).toBe(true);
    expect(view.flowId).toMatch(/^lgn_[A-Za-z0-9_-]{22}$/);
  });

  it('asks for the SMS code after the right password and logs in with it', async () => {
    const h = makeLoginDesk();
    const { organization } = await makeAcmeWithBob(h);
    const { flowId } = await h.desk.login.start();
    const identified = await h.desk.login.submitIdentifier({ flowId, identifier: ' Bob@ACME ' });
    expect(identified.state).toBe('awaiting_password');
    const coded = await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD });
    expect(coded).toEqual({
      flowId,
      state: 'awaiting_code',
      attemptsLeft: 5,
      resendAvailableAt: h.clock.now() + 30 * SECOND,
      resendsLeft: 3,
      maskedPhone: '+36 30 *** **02',
      expiresAt: identified.expiresAt,
      error: null,
    });
    const sms = await lastSmsCode(h, BOB_PHONE);
    const done = await h.desk.login.submitCode({ flowId, code: sms });
    expect(done.state).toBe('authenticated');
    const result = resultOf(done);
    expect(result).toMatchObject({
      organizationId: organization.id,
      permissions: ['tickets.read'],
      amr: ['password', 'sms'],
      authenticatedAt: h.clock.now(),
      principal: { type: 'account', login: 'bob@acme', isMainAdmin: false },
    });
    expect(result.auth).toEqual({
      principal: result.principal,
      amr: ['password', 'sms'],
      authenticatedAt: h.clock.now(),
      sessionId: expect.stringMatching(/^ses_/),
    });
    // The result is handed out once: `get` shows the state only.
    expect((await h.desk.login.get(flowId)).result).toBeUndefined();
    expect((await h.desk.login.get(flowId)).state).toBe('authenticated');
  });

  it('sends the login code SMS in the account locale, free of charge', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    await toPassword(h, 'bob@acme', BOB_PASSWORD);
    await h.desk.dispatchOutbox();
    const text = h.sms.to(BOB_PHONE).at(-1)?.text ?? '';
    expect(text).toMatch(/\d{6}/);
    expect(text).toMatch(/free of charge/);
  });

  it('logs straight in after the password when the main administrator switched the SMS code off', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcmeWithBob(h);
    await h.desk.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } });
    await h.desk.dispatchOutbox();
    const smsBefore = h.sms.sent.length;
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(view.state).toBe('authenticated');
    expect(resultOf(view).amr).toEqual(['password']);
    await h.desk.dispatchOutbox();
    expect(h.sms.sent.length).toBe(smsBefore);
  });

  it('a wrong password keeps the password page with WRONG_PASSWORD', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', 'not the password');
    expect(view.state).toBe('awaiting_password');
    expect(view.error).toEqual({ code: 'WRONG_PASSWORD' });
    const again = await h.desk.login.submitPassword({ flowId: view.flowId, password: BOB_PASSWORD });
    expect(again.state).toBe('awaiting_code');
    expect(again.error).toBeNull();
  });

  it('a wrong code costs one of 5 attempts; with the default lockout (also 5) the 5th ends the flow locked', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const { flowId } = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const right = await lastSmsCode(h, BOB_PHONE);
    for (let left = 4; left >= 1; left--) {
      const view = await h.desk.login.submitCode({ flowId, code: otherCode(right) });
      expect(view).toMatchObject({ state: 'awaiting_code', attemptsLeft: left, error: { code: 'WRONG_CODE' } });
    }
    const last = await h.desk.login.submitCode({ flowId, code: otherCode(right) });
    // The 5th consecutive failure also locks the account for a minute: the lock is what the view says.
    expect(last).toMatchObject({ state: 'locked', error: { code: 'LOCKED', retryAfter: h.clock.now() + 60_000 } });
    await expect(h.desk.login.submitCode({ flowId, code: right })).rejects.toMatchObject({ code: 'STEP_NOT_ALLOWED' });
  });

  it('ends the flow with TOO_MANY_ATTEMPTS when the account lockout is not reached', async () => {
    const h = makeLoginDesk({ policy: { login: { lockoutThreshold: 10 } } });
    await makeAcmeWithBob(h);
    const { flowId } = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const right = await lastSmsCode(h, BOB_PHONE);
    let view = await h.desk.login.get(flowId);
    for (let i = 0; i < 5; i++) view = await h.desk.login.submitCode({ flowId, code: otherCode(right) });
    expect(view).toMatchObject({ state: 'failed', attemptsLeft: null, error: { code: 'TOO_MANY_ATTEMPTS' } });
  });

  it('accepts the code at TTL−1 s and answers CODE_EXPIRED at TTL+1 s (5 minutes)', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const first = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const firstCode = await lastSmsCode(h, BOB_PHONE);
    h.clock.advance(5 * MINUTE - SECOND);
    expect((await h.desk.login.submitCode({ flowId: first.flowId, code: firstCode })).state).toBe('authenticated');

    const second = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const secondCode = await lastSmsCode(h, BOB_PHONE);
    h.clock.advance(5 * MINUTE + SECOND);
    const late = await h.desk.login.submitCode({ flowId: second.flowId, code: secondCode });
    expect(late).toMatchObject({ state: 'awaiting_code', attemptsLeft: 5, error: { code: 'CODE_EXPIRED' } });
    // A resend helps: a fresh code works.
    await h.desk.login.resendCode({ flowId: second.flowId });
    const fresh = await lastSmsCode(h, BOB_PHONE);
    expect((await h.desk.login.submitCode({ flowId: second.flowId, code: fresh })).state).toBe('authenticated');
  });
});

describe('first login with a temporary password', () => {
  it('goes password → SMS code → new password → authenticated, and the temporary password stops working', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    const view = await toPassword(h, 'bob@acme', bobTemporary);
    expect(view.state).toBe('awaiting_code');
    const sms = await lastSmsCode(h, BOB_PHONE);
    const coded = await h.desk.login.submitCode({ flowId: view.flowId, code: sms });
    expect(coded).toMatchObject({ state: 'awaiting_new_password', error: null, attemptsLeft: null });
    // Nothing but a new password leads on.
    await expect(h.desk.login.resendCode({ flowId: view.flowId })).rejects.toMatchObject({ code: 'STEP_NOT_ALLOWED' });
    await expect(h.desk.login.submitCode({ flowId: view.flowId, code: sms })).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
    });

    const same = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: bobTemporary });
    expect(same).toMatchObject({
      state: 'awaiting_new_password',
      error: { code: 'PASSWORD_REJECTED', reason: 'equals_temporary' },
    });
    const short = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: 'short' });
    expect(short.error).toEqual({ code: 'PASSWORD_REJECTED', reason: 'too_short' });

    const done = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: BOB_PASSWORD });
    expect(done.state).toBe('authenticated');
    expect(resultOf(done).amr).toEqual(['password', 'sms']);

    expect((await toPassword(h, 'bob@acme', bobTemporary)).error).toEqual({ code: 'WRONG_PASSWORD' });
    expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).state).toBe('awaiting_code');
  });

  it('with the SMS code off, goes password → new password → authenticated with amr password', async () => {
    const h = makeLoginDesk();
    const { adminAuth, bobTemporary } = await makeAcme(h);
    await h.desk.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } });
    const view = await toPassword(h, 'bob@acme', bobTemporary);
    expect(view.state).toBe('awaiting_new_password');
    const done = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: BOB_PASSWORD });
    expect(resultOf(done).amr).toEqual(['password']);
  });

  it('refuses changePassword before the temporary password step', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    await expect(
      h.desk.login.changePassword({ flowId: view.flowId, newPassword: 'another passphrase' }),
    ).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
    });
    // and nothing changed: the old password still works.
    expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).state).toBe('awaiting_code');
  });

  it('a temporary password past its 72 h ends the flow with TEMPORARY_PASSWORD_EXPIRED', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    h.clock.advance(72 * HOUR + SECOND);
    const view = await toPassword(h, 'bob@acme', bobTemporary);
    expect(view).toMatchObject({ state: 'failed', error: { code: 'TEMPORARY_PASSWORD_EXPIRED' } });
  });

  it('the temporary password is judged at the step’s instant, however long the password hash takes', async () => {
    // A hasher as slow as PBKDF2 at 600k: the clock moves 300 ms while it runs.
    const clock = { advance: (_ms: number) => {} };
    const slowHasher = {
      hash: (password: string) => fastHasher.hash(password),
      verify: async (password: string, stored: string) => {
        const ok = await fastHasher.verify(password, stored);
        clock.advance(300);
        return ok;
      },
    };
    const h = makeLoginDesk({ passwordHasher: slowHasher });
    clock.advance = (ms) => h.clock.advance(ms);
    const { bobTemporary } = await makeAcme(h);
    h.clock.advance(72 * HOUR - 100); // 100 ms before the temporary password expires
    const flow = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId: flow.flowId, identifier: 'bob@acme' });
    const view = await h.desk.login.submitPassword({ flowId: flow.flowId, password: bobTemporary });
    expect(view.error ?? null).toBeNull();
    expect(view.state).toBe('awaiting_code');
  });
});

describe('account states after the password step', () => {
  it('a personal account that is not activated gets ACCOUNT_NOT_ACTIVATED only after the right password', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h);
    expect((await toPassword(h, 'alice', 'wrong passphrase')).error).toEqual({ code: 'WRONG_PASSWORD' });
    const view = await toPassword(h, 'alice', alice.password);
    expect(view).toMatchObject({ state: 'failed', error: { code: 'ACCOUNT_NOT_ACTIVATED' } });
  });

  it('a personal account without a phone logs in with the password only', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h);
    await h.desk.accounts.activate({ token: alice.token });
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('authenticated');
    expect(resultOf(view)).toMatchObject({ amr: ['password'], organizationId: null, permissions: [] });
  });

  it('a personal account with a phone on record needs the SMS code', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h, { phone: '+36 70 111 2233' });
    await h.desk.accounts.activate({ token: alice.token });
    const result = await loginWithCode(h, 'alice', alice.password, '+36701112233');
    expect(result.amr).toEqual(['password', 'sms']);
  });

  it('a disabled business user gets ACCOUNT_DISABLED after the right password', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcmeWithBob(h);
    await h.desk.accounts.setUserStatus({ auth: adminAuth, login: 'bob@acme', status: 'disabled' });
    expect(await toPassword(h, 'bob@acme', BOB_PASSWORD)).toMatchObject({
      state: 'failed',
      error: { code: 'ACCOUNT_DISABLED' },
    });
  });

  it('a business user without a phone, in an organisation requiring the code, gets PHONE_REQUIRED', async () => {
    const h = makeLoginDesk();
    const { adminAuth } = await makeAcme(h);
    await h.desk.accounts.createBusinessUser({
      auth: adminAuth,
      username: 'carol',
      email: 'carol@acme.example',
      permissions: [],
    });
    const temporary = await lastTemporaryPassword(h, 'carol@acme.example');
    expect(await toPassword(h, 'carol@acme', temporary)).toMatchObject({
      state: 'failed',
      error: { code: 'PHONE_REQUIRED' },
    });
  });
});

describe('enumeration: unknown identifiers', () => {
  it('an unknown identifier gets the same views as a known one with a wrong password', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const strip = <T extends { flowId: string }>({ flowId: _f, ...rest }: T) => rest;
    const known = await h.desk.login.start();
    const unknown = await h.desk.login.start();
    expect(strip(await h.desk.login.submitIdentifier({ flowId: known.flowId, identifier: 'bob@acme' }))).toEqual(
      strip(await h.desk.login.submitIdentifier({ flowId: unknown.flowId, identifier: 'nobody@acme' })),
    );
    for (let i = 0; i < 5; i++) {
      const a = await h.desk.login.submitPassword({ flowId: known.flowId, password: `guess ${i}` });
      const b = await h.desk.login.submitPassword({ flowId: unknown.flowId, password: `guess ${i}` });
      expect(strip(a)).toEqual(strip(b));
      expect(a.state).toBe(i < 4 ? 'awaiting_password' : 'locked');
    }
    // The lockout holds for both in a new flow, with the same answer.
    const again = async (identifier: string) => strip(await toPassword(h, identifier, 'guess 6'));
    expect(await again('bob@acme')).toEqual(await again('nobody@acme'));
    expect((await again('bob@acme')).error).toEqual({ code: 'LOCKED', retryAfter: h.clock.now() + MINUTE });
  });
});

describe('flow lifetime (15 minutes)', () => {
  it('works at TTL−1 s; at TTL+1 s answers FLOW_EXPIRED and the flow reads expired', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const early = await h.desk.login.start();
    h.clock.advance(15 * MINUTE - SECOND);
    expect((await h.desk.login.submitIdentifier({ flowId: early.flowId, identifier: 'bob@acme' })).state).toBe(
      'awaiting_password',
    );
    h.clock.advance(2 * SECOND);
    await expect(h.desk.login.submitPassword({ flowId: early.flowId, password: BOB_PASSWORD })).rejects.toMatchObject({
      code: 'FLOW_EXPIRED',
    });
    const view = await h.desk.login.get(early.flowId);
    expect(view).toMatchObject({ state: 'expired', error: null });
    await expect(h.desk.login.submitPassword({ flowId: early.flowId, password: BOB_PASSWORD })).rejects.toMatchObject({
      code: 'FLOW_EXPIRED',
    });
    const history = await h.desk.login.history(early.flowId);
    expect(history.map((e) => e.type)).toEqual(['login.started', 'login.identifier', 'login.expired']);
  });

  it('the sweep marks a forgotten flow expired once, after its deadline', async () => {
    const h = makeLoginDesk();
    const { flowId } = await h.desk.login.start();
    h.clock.advance(15 * MINUTE - SECOND);
    expect((await h.desk.runDueTimers()).fired).toEqual([]);
    h.clock.advance(2 * SECOND);
    const { fired } = await h.desk.runDueTimers();
    expect(fired).toEqual([{ kind: 'login_flow', id: flowId, event: 'expire', dueAt: h.clock.now() - SECOND }]);
    expect((await h.desk.runDueTimers()).fired).toEqual([]);
    const [record] = await h.storage.list('login_flow', { where: { state: 'expired' }, limit: 10 });
    expect(record?.id).toBe(flowId);
    expect(record?.nextDueAt).toBeNull();
  });

  it('a code step that ends the flow after its lifetime answers FLOW_EXPIRED even with the right code', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const sms = await lastSmsCode(h, BOB_PHONE);
    h.clock.advance(15 * MINUTE + SECOND);
    await expect(h.desk.login.submitCode({ flowId: view.flowId, code: sms })).rejects.toMatchObject({
      code: 'FLOW_EXPIRED',
    });
  });
});

describe('resending the code ("Nem kaptam meg az SMS-t")', () => {
  it('refuses before 30 s (TTL−1 s), sends at 30 s, invalidates the earlier code and keeps the attempts', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const first = await lastSmsCode(h, BOB_PHONE);
    await h.desk.login.submitCode({ flowId: view.flowId, code: otherCode(first) });
    h.clock.advance(29 * SECOND);
    const early = await h.desk.login.resendCode({ flowId: view.flowId });
    expect(early).toMatchObject({
      state: 'awaiting_code',
      resendsLeft: 3,
      error: { code: 'RESEND_TOO_SOON', retryAfter: view.resendAvailableAt },
    });
    h.clock.advance(SECOND);
    const resent = await h.desk.login.resendCode({ flowId: view.flowId });
    expect(resent).toMatchObject({
      resendsLeft: 2,
      attemptsLeft: 4,
      error: null,
      resendAvailableAt: h.clock.now() + 30 * SECOND,
    });
    const second = await lastSmsCode(h, BOB_PHONE);
    if (first !== second) {
      expect((await h.desk.login.submitCode({ flowId: view.flowId, code: first })).error).toEqual({
        code: 'WRONG_CODE',
      });
    }
    expect((await h.desk.login.submitCode({ flowId: view.flowId, code: second })).state).toBe('authenticated');
  });

  it('allows at most 3 resends per flow', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(30 * SECOND);
      expect((await h.desk.login.resendCode({ flowId: view.flowId })).error).toBeNull();
    }
    h.clock.advance(30 * SECOND);
    expect(await h.desk.login.resendCode({ flowId: view.flowId })).toMatchObject({
      resendsLeft: 0,
      error: { code: 'RESEND_LIMIT' },
    });
  });

  it('with no resends left a resend is RESEND_LIMIT at once, and the view promises no resend time', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    let last = view;
    for (let i = 0; i < 3; i++) {
      h.clock.advance(30 * SECOND);
      last = await h.desk.login.resendCode({ flowId: view.flowId });
      expect(last.error).toBeNull();
    }
    expect(last).toMatchObject({ resendsLeft: 0, resendAvailableAt: null });
    h.clock.advance(30 * SECOND - 1); // inside the cool-down of the last resend
    expect(await h.desk.login.resendCode({ flowId: view.flowId })).toMatchObject({
      resendsLeft: 0,
      resendAvailableAt: null,
      error: { code: 'RESEND_LIMIT' },
    });
  });

  it('sends at most 10 login SMS per number per 24 h, the first codes included', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h); // bob's first login used 1 SMS
    const start = h.clock.now();
    for (let i = 0; i < 9; i++) expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).error).toBeNull();
    const spent = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(spent).toMatchObject({
      state: 'awaiting_code',
      error: { code: 'SMS_LIMIT', retryAfter: start + 24 * HOUR },
      resendAvailableAt: start + 24 * HOUR,
    });
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE)).toHaveLength(10);
    h.clock.advance(30 * SECOND);
    expect((await h.desk.login.resendCode({ flowId: spent.flowId })).error).toMatchObject({ code: 'RESEND_TOO_SOON' });
    // A day later the budget has room again.
    h.clock.set(start + 24 * HOUR);
    expect((await toPassword(h, 'bob@acme', BOB_PASSWORD)).error).toBeNull();
  });
});

describe('codes are bound to their purpose', () => {
  it('a password-reset code fails at login, and a login code fails for a reset', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'sms' });
    const resetCode = await lastSmsCode(h, BOB_PHONE);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const loginCode = await lastSmsCode(h, BOB_PHONE);
    if (resetCode !== loginCode) {
      expect((await h.desk.login.submitCode({ flowId: view.flowId, code: resetCode })).error).toEqual({
        code: 'WRONG_CODE',
      });
      const reset = await h.desk.accounts.resetPassword({
        identifier: 'bob@acme',
        code: loginCode,
        newPassword: 'reset with a login code',
      });
      expect(reset).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    }
    expect((await h.desk.login.submitCode({ flowId: view.flowId, code: loginCode })).state).toBe('authenticated');
  });
});

describe('bad input and calls out of order', () => {
  it('a code before the password is STEP_NOT_ALLOWED and leaves the flow as it was', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const { flowId } = await h.desk.login.start();
    await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
    const before = await h.desk.login.get(flowId);
    const historyBefore = await h.desk.login.history(flowId);
    for (const call of [
      () => h.desk.login.submitCode({ flowId, code: '123456' }),
      () => h.desk.login.resendCode({ flowId }),
      () => h.desk.login.changePassword({ flowId, newPassword: 'a brand new passphrase' }),
      () => h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'STEP_NOT_ALLOWED', details: { state: 'awaiting_password' } });
    }
    expect(await h.desk.login.get(flowId)).toEqual(before);
    expect(await h.desk.login.history(flowId)).toEqual(historyBefore);
    expect((await h.desk.login.submitPassword({ flowId, password: BOB_PASSWORD })).state).toBe('awaiting_code');
  });

  it('an unknown flow is FLOW_NOT_FOUND', async () => {
    const h = makeLoginDesk();
    await expect(h.desk.login.get('lgn_nope')).rejects.toMatchObject({ code: 'FLOW_NOT_FOUND' });
    await expect(h.desk.login.submitCode({ flowId: 'lgn_nope', code: '123456' })).rejects.toMatchObject({
      code: 'FLOW_NOT_FOUND',
    });
  });

  it('malformed input is INVALID_INPUT and changes nothing', async () => {
    const h = makeLoginDesk();
    const { flowId } = await h.desk.login.start();
    const bad: Array<() => Promise<unknown>> = [
      () => h.desk.login.submitIdentifier({ flowId, identifier: 'not an identifier!' }),
      () => h.desk.login.submitIdentifier({ flowId, identifier: 42 } as never),
      () => h.desk.login.submitIdentifier({ flowId } as never),
      () => h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme', extra: 1 } as never),
      () => h.desk.login.submitPassword({ flowId, password: null } as never),
      () => h.desk.login.submitCode({ flowId, code: '12ab56' }),
      () => h.desk.login.submitCode({ flowId, code: '123' }),
      () => h.desk.login.startPhoneLogin({ number: '12345' }),
      () => h.desk.login.startPhoneLogin({ number: '+44 20 7946 0958' }),
      () => h.desk.login.get(''),
      () => h.desk.login.resendCode(undefined as never),
    ];
    const before = await h.desk.login.get(flowId);
    for (const call of bad) expect(code(await call().catch((e: unknown) => e))).toBe('INVALID_INPUT');
    expect(await h.desk.login.get(flowId)).toEqual(before);
  });

  it('accepts the code typed with spaces', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const sms = await lastSmsCode(h, BOB_PHONE);
    const spaced = `${sms.slice(0, 3)} ${sms.slice(3)}`;
    expect((await h.desk.login.submitCode({ flowId: view.flowId, code: spaced })).state).toBe('authenticated');
  });

  it('without a pepper every call is CONFIGURATION_INVALID', async () => {
    const h = makeLoginDesk({ secrets: undefined as never });
    await expect(h.desk.login.start()).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });
});

describe('audit', () => {
  it('writes one history entry per step on the flow, and the login on the account', async () => {
    const h = makeLoginDesk();
    const { admin } = await makeAcmeWithBob(h);
    const view = await toPassword(h, 'admin@acme', 'wrong passphrase');
    await h.desk.login.submitPassword({ flowId: view.flowId, password: ADMIN_PASSWORD });
    await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, ADMIN_PHONE) });
    const history = await h.desk.login.history(view.flowId);
    expect(
      history.map((e) => [e.type, (e.data as { to: string }).to, (e.data as { error: string | null }).error]),
    ).toEqual([
      ['login.started', 'awaiting_identifier', undefined],
      ['login.identifier', 'awaiting_password', null],
      ['login.password', 'awaiting_password', 'WRONG_PASSWORD'],
      ['login.password', 'awaiting_code', null],
      ['login.code', 'authenticated', null],
    ]);
    expect(history[3]?.data).toMatchObject({ sms: 'sent', accountId: admin.id });
    const accountHistory = await h.desk.accounts.accountHistory(admin.id);
    expect(accountHistory.filter((e) => e.type === 'account.login_succeeded').length).toBeGreaterThanOrEqual(2);
  });
});
