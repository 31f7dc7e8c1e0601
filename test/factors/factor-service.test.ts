import { describe, expect, it } from 'vitest';
import { jsonStrings, MINUTE } from '../helpers.js';
import { makeLoginDesk } from '../login/_harness.js';
import {
  currentTotp,
  errorCode,
  lastMailedCode,
  makeFactorDesk,
  signedInAlice,
  signInAliceAgain,
  signedInBob,
  templatesTo,
} from './_harness.js';

describe('enrolling an authenticator app (TOTP)', () => {
  it('activates the app with its first code and mails the address on record', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const started = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp', label: 'My phone app' });
    expect(started.factor).toMatchObject({ type: 'totp', status: 'pending', label: 'My phone app' });
    expect(started.totp?.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.totp?.uri).toContain(`secret=${started.totp!.secret}`);

    const confirmed = await h.desk.factors.confirm({
      auth: alice.auth,
      factorId: started.factor.id,
      code: await currentTotp(h, started.totp!.secret),
    });
    expect(confirmed).toMatchObject({ ok: true, factor: { status: 'active', type: 'totp' } });
    expect(await templatesTo(h, alice.email)).toContain('factor.added');
    const listed = await h.desk.factors.list({ auth: alice.auth });
    expect(listed.map((f) => [f.type, f.status])).toEqual([
      ['sms', 'active'],
      ['totp', 'active'],
    ]);
  });

  it('stores the TOTP secret sealed, never in clear', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { totp } = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
    const record = await h.storage.load('account_factors', alice.accountId);
    const strings = jsonStrings(record?.state);
    expect(strings.some((s) => s.includes(totp!.secret))).toBe(false);
    expect(JSON.stringify(record?.state)).toContain('"sealedSecret"');
  });

  it('refuses TOTP enrolment with CONFIGURATION_INVALID when the host set no encryption key', async () => {
    const h = makeLoginDesk();
    const alice = await signedInAlice(h);
    expect(await errorCode(() => h.desk.factors.enrol({ auth: alice.auth, type: 'totp' }))).toBe(
      'CONFIGURATION_INVALID',
    );
  });

  it('burns a pending app after 5 wrong first codes', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor, totp } = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
    const right = await currentTotp(h, totp!.secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const outcomes = [];
    for (let i = 0; i < 5; i++)
      outcomes.push(await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: wrong }));
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual([
      'TOKEN_INVALID',
      'TOKEN_INVALID',
      'TOKEN_INVALID',
      'TOKEN_INVALID',
      'TOO_MANY_ATTEMPTS',
    ]);
    expect(await errorCode(() => h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: right }))).toBe(
      'INVALID_INPUT',
    );
  });
});

describe('backup codes', () => {
  it('are shown once as 10 codes, stored only as HMACs, and listed with the count left', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { backupCodes, factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    expect(backupCodes).toHaveLength(10);
    expect(factor).toMatchObject({ status: 'active', backupCodesLeft: 10 });
    const stored = JSON.stringify(await h.storage.load('account_factors', alice.accountId));
    for (const code of backupCodes!) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
    expect(await templatesTo(h, alice.email)).toContain('factor.added');
  });

  it('a new set replaces the old one', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    const listed = await h.desk.factors.list({ auth: alice.auth });
    expect(listed.filter((f) => f.type === 'backup_codes')).toHaveLength(1);
  });
});

describe('the email code factor', () => {
  it('is confirmed with a code mailed to the verified address', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    expect(factor.maskedAddress).toBe('a***@example.com');
    const wrong = await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: '000000' });
    const code = await lastMailedCode(h, alice.email);
    if (code === '000000') expect(wrong.ok).toBe(true);
    else expect(wrong).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    const done = await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code });
    expect(done).toMatchObject({ ok: true, factor: { type: 'email', status: 'active' } });
  });
});

describe('step-up for factor commands', () => {
  it('step-up required to remove a factor', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });

    // A second factor older than 15 minutes is not recent.
    h.clock.advance(16 * MINUTE);
    expect(await errorCode(() => h.desk.factors.remove({ auth: alice.auth, factorId: factor.id }))).toBe(
      'SECOND_FACTOR_REQUIRED',
    );
    // Rewriting the context's time (now, or in the future) changes nothing: the stored session counts.
    for (const authenticatedAt of [h.clock.now(), h.clock.now() + MINUTE]) {
      const rewritten = { ...alice.auth, authenticatedAt };
      expect(await errorCode(() => h.desk.factors.remove({ auth: rewritten, factorId: factor.id }))).toBe(
        'SECOND_FACTOR_REQUIRED',
      );
    }

    // A fresh login with the SMS code is the step-up.
    const fresh = await signInAliceAgain(h, alice.password);
    expect((await h.desk.factors.list({ auth: fresh })).length).toBe(2);
    const left = await h.desk.factors.remove({ auth: fresh, factorId: factor.id });
    expect(left.map((f) => f.type)).toEqual(['sms']);
    expect(await templatesTo(h, alice.email)).toContain('factor.removed');
  });

  it('needs a recent second factor from a stored session for every factor command', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    // The same context without the session it came from: what a host-side forgery looks like.
    const { sessionId: _session, ...forged } = alice.auth;
    const calls = [
      () => h.desk.factors.enrol({ auth: forged, type: 'backup_codes' }),
      () => h.desk.factors.confirm({ auth: forged, factorId: 'fac_x', code: '123456' }),
      () => h.desk.factors.list({ auth: forged }),
      () => h.desk.factors.rename({ auth: forged, factorId: 'phone', label: 'x' }),
      () => h.desk.factors.changeEmail({ auth: forged, email: 'new@example.com' }),
      () => h.desk.factors.confirmEmailChange({ auth: forged, code: '123456' }),
    ];
    for (const call of calls) expect(await errorCode(call)).toBe('SECOND_FACTOR_REQUIRED');
  });
});

describe("the organisation's factor rules", () => {
  it('lets only the main administrator choose factors, and refuses a factor it does not allow', async () => {
    const h = makeFactorDesk();
    const { adminAuth, bobAuth, organization } = await signedInBob(h);
    const admin = { ...adminAuth, authenticatedAt: h.clock.now() };
    expect(
      await errorCode(() =>
        h.desk.factors.setOrganizationFactors({ auth: bobAuth, allowed: ['sms'], secondFactorRequired: true }),
      ),
    ).toBe('PERMISSION_DENIED');
    expect(
      await h.desk.factors.setOrganizationFactors({
        auth: admin,
        allowed: ['sms', 'email'],
        secondFactorRequired: true,
      }),
    ).toEqual({ allowedFactors: ['sms', 'email'], secondFactorRequired: true });
    expect(await errorCode(() => h.desk.factors.enrol({ auth: bobAuth, type: 'totp' }))).toBe('PERMISSION_DENIED');
    // The SMS switch reads the same rule.
    expect((await h.desk.accounts.getOrganization(organization.id)).settings.smsCodeForLogin).toBe(true);
  });

  it('refuses removing the last factor when the organisation requires a second factor', async () => {
    const h = makeFactorDesk();
    const { bobAuth } = await signedInBob(h);
    const [phone] = await h.desk.factors.list({ auth: bobAuth });
    expect(await errorCode(() => h.desk.factors.remove({ auth: bobAuth, factorId: phone!.id }))).toBe(
      'PERMISSION_DENIED',
    );
  });
});
