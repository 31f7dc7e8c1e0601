import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { MINUTE, lastSmsCode, otherCode, resultOf } from '../login/_harness.js';
import {
  ALICE_PHONE,
  currentTotp,
  errorCode,
  lastMailedCode,
  makeFactorDesk,
  signInAliceAgain,
  signedInAlice,
} from './_harness.js';

type Harness = ReturnType<typeof makeFactorDesk>;
type Alice = Awaited<ReturnType<typeof signedInAlice>>;

/** Past the 15 minutes a factor command accepts a second factor for. */
const STALE = 20 * MINUTE;

async function withTotp(h: Harness, alice: Alice) {
  const { factor, totp } = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
  await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await currentTotp(h, totp!.secret) });
  // The next step, so the step-up below does not reuse the step the confirmation spent.
  h.clock.advance(30_000);
  return { factorId: factor.id, secret: totp!.secret };
}

/** Whether a factor command accepts `auth` now (it reads the stored session's second factor). */
async function factorCommandsAccept(h: Harness, auth: AuthContext): Promise<boolean> {
  return (await errorCode(() => h.desk.factors.list({ auth }))) === 'none';
}

describe('step-up by any enrolled factor', () => {
  it('an authenticator-only account steps up with a TOTP code', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { secret } = await withTotp(h, alice);
    await h.desk.factors.remove({ auth: alice.auth, factorId: 'phone' });
    h.clock.advance(STALE);
    expect(await factorCommandsAccept(h, alice.auth)).toBe(false);

    const smsBefore = h.sms.sent.length;
    const stepUp = await h.desk.login.startStepUp({ auth: alice.auth });
    expect(stepUp).toMatchObject({ state: 'awaiting_code', factor: { type: 'totp' }, maskedPhone: null });
    const done = resultOf(await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await currentTotp(h, secret) }));
    expect(done.auth.sessionId).toBe(alice.auth.sessionId);
    expect(done.amr).toEqual(['password', 'totp']);
    expect(done.authenticatedAt).toBe(h.clock.now());
    expect(h.sms.sent.length).toBe(smsBefore);
    // The same session (the caller's own AuthContext, unchanged) now vouches for a fresh factor.
    expect(await factorCommandsAccept(h, alice.auth)).toBe(true);
    const [session] = await h.desk.sessions.list(alice.auth);
    expect(session).toMatchObject({ amr: ['password', 'totp'], authenticatedAt: h.clock.now() });
  });

  it('the same TOTP step does not step up twice', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { secret } = await withTotp(h, alice);
    const code = await currentTotp(h, secret);
    const first = await h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' });
    resultOf(await h.desk.login.submitCode({ flowId: first.flowId, code }));
    const second = await h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' });
    expect((await h.desk.login.submitCode({ flowId: second.flowId, code })).error?.code).toBe('WRONG_CODE');
  });

  it('a backup code steps up once', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { backupCodes } = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    const code = backupCodes![0]!;
    h.clock.advance(STALE);

    const first = await h.desk.login.startStepUp({ auth: alice.auth, method: 'backup_codes' });
    expect(first).toMatchObject({ state: 'awaiting_code', factor: { type: 'backup_codes' } });
    const done = resultOf(await h.desk.login.submitCode({ flowId: first.flowId, code }));
    expect(done.amr).toEqual(['password', 'backup_code']);
    expect(await factorCommandsAccept(h, alice.auth)).toBe(true);
    const listed = await h.desk.factors.list({ auth: alice.auth });
    expect(listed.find((f) => f.type === 'backup_codes')).toMatchObject({ backupCodesLeft: 9 });

    h.clock.advance(STALE);
    const again = await h.desk.login.startStepUp({ auth: alice.auth, method: 'backup_codes' });
    const refused = await h.desk.login.submitCode({ flowId: again.flowId, code });
    expect(refused).toMatchObject({ state: 'awaiting_code', attemptsLeft: 4, error: { code: 'WRONG_CODE' } });
    expect(await factorCommandsAccept(h, alice.auth)).toBe(false);
    resultOf(await h.desk.login.submitCode({ flowId: again.flowId, code: backupCodes![1]! }));
    expect(await factorCommandsAccept(h, alice.auth)).toBe(true);
  });

  it('an email code steps up, mailed to the verified address', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await lastMailedCode(h, alice.email) });
    h.clock.advance(STALE);
    const stepUp = await h.desk.login.startStepUp({ auth: alice.auth, method: 'email' });
    expect(stepUp).toMatchObject({ state: 'awaiting_code', factor: { type: 'email' } });
    const done = resultOf(
      await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastMailedCode(h, alice.email) }),
    );
    expect(done.amr).toEqual(['password', 'email']);
    expect(await factorCommandsAccept(h, alice.auth)).toBe(true);
  });

  it('without a method the SMS comes first, as before', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await withTotp(h, alice);
    const stepUp = await h.desk.login.startStepUp({ auth: alice.auth });
    expect(stepUp).toMatchObject({ factor: { type: 'sms' }, maskedPhone: '+36 30 *** **11' });
    resultOf(await h.desk.login.submitCode({ flowId: stepUp.flowId, code: await lastSmsCode(h, ALICE_PHONE) }));
  });

  it('a removed factor cannot be used to step up', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factorId, secret } = await withTotp(h, alice);
    // Started while the app was a factor, then the app is removed (from another, fresh session).
    const started = await h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' });
    const other = await signInAliceAgain(h, alice.password);
    await h.desk.factors.remove({ auth: other, factorId });
    const before = (await h.desk.sessions.list(alice.auth)).find((s) => s.current)!;
    h.clock.advance(MINUTE);
    const late = await h.desk.login.submitCode({ flowId: started.flowId, code: await currentTotp(h, secret) });
    expect(late).toMatchObject({ state: 'awaiting_code', error: { code: 'WRONG_CODE' } });
    const after = (await h.desk.sessions.list(alice.auth)).find((s) => s.current)!;
    expect(after.authenticatedAt).toBe(before.authenticatedAt);
    // And no new step-up is offered with it.
    await expect(h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' })).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
      details: { reason: 'factor_not_enrolled' },
    });
  });

  it('an SMS step-up code stops working when the phone is removed as a factor meanwhile, and is not sent again', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await withTotp(h, alice); // a second factor, so the phone may be removed
    const started = await h.desk.login.startStepUp({ auth: alice.auth, method: 'sms' });
    const code = await lastSmsCode(h, ALICE_PHONE);
    const other = await signInAliceAgain(h, alice.password);
    await h.desk.factors.remove({ auth: other, factorId: 'phone' });
    const before = (await h.desk.sessions.list(alice.auth)).find((s) => s.current)!;
    const sent = h.sms.sent.length;
    h.clock.advance(MINUTE);
    await expect(h.desk.login.resendCode({ flowId: started.flowId })).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
      details: { reason: 'factor_not_usable' },
    });
    const late = await h.desk.login.submitCode({ flowId: started.flowId, code });
    expect(late).toMatchObject({ state: 'awaiting_code', error: { code: 'WRONG_CODE' } });
    const after = (await h.desk.sessions.list(alice.auth)).find((s) => s.current)!;
    expect(after.authenticatedAt).toBe(before.authenticatedAt);
    expect(h.sms.sent.length).toBe(sent);
  });

  it('a step-up by app code leaves amr as the password and the app: no earlier SMS reads as fresh', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { secret } = await withTotp(h, alice);
    const started = await h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' });
    const done = await h.desk.login.submitCode({ flowId: started.flowId, code: await currentTotp(h, secret) });
    expect(resultOf(done).amr).toEqual(['password', 'totp']);
    expect(resultOf(done).amr).not.toContain('sms');
  });

  it('a factor the account does not hold cannot be used to step up, and nothing is sent', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const sent = h.sms.sent.length;
    for (const method of ['totp', 'email', 'backup_codes'] as const) {
      await expect(h.desk.login.startStepUp({ auth: alice.auth, method })).rejects.toMatchObject({
        code: 'STEP_NOT_ALLOWED',
        details: { reason: 'factor_not_enrolled' },
      });
    }
    expect(h.sms.sent.length).toBe(sent);
  });

  it('wrong app codes count like SMS codes: the 5th in a row locks, and the step-up ends', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { secret } = await withTotp(h, alice);
    h.clock.advance(STALE);
    const stepUp = await h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' });
    const wrong = otherCode(await currentTotp(h, secret));
    const views = [];
    for (let i = 0; i < 5; i++) views.push(await h.desk.login.submitCode({ flowId: stepUp.flowId, code: wrong }));
    expect(views.map((v) => v.state)).toEqual([
      'awaiting_code',
      'awaiting_code',
      'awaiting_code',
      'awaiting_code',
      'locked',
    ]);
    expect(views.map((v) => v.attemptsLeft).slice(0, 4)).toEqual([4, 3, 2, 1]);
    expect(views[4]!.error?.code).toBe('LOCKED');
    expect(await factorCommandsAccept(h, alice.auth)).toBe(false);
  });

  it('a session that ends midway fails the TOTP step-up with session_ended', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { secret } = await withTotp(h, alice);
    const stepUp = await h.desk.login.startStepUp({ auth: alice.auth, method: 'totp' });
    await h.desk.sessions.revoke({ auth: alice.auth, sessionId: alice.auth.sessionId! });
    await expect(
      h.desk.login.submitCode({ flowId: stepUp.flowId, code: await currentTotp(h, secret) }),
    ).rejects.toMatchObject({ code: 'STEP_NOT_ALLOWED', details: { reason: 'session_ended' } });
  });
});
