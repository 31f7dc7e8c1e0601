import { describe, expect, it } from 'vitest';
import { lastSmsCode, resultOf, toPassword } from '../login/_harness.js';
import { MINUTE } from '../helpers.js';
import {
  ALICE_PHONE,
  currentTotp,
  errorCode,
  lastMailedCode,
  makeFactorDesk,
  signedInAlice,
  templatesTo,
} from './_harness.js';

type Harness = ReturnType<typeof makeFactorDesk>;
type Alice = Awaited<ReturnType<typeof signedInAlice>>;

async function withTotp(h: Harness, alice: Alice) {
  const { factor, totp } = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
  await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await currentTotp(h, totp!.secret) });
  // The next step, so the login below does not reuse the step the confirmation spent.
  h.clock.advance(30_000);
  return { factorId: factor.id, secret: totp!.secret };
}

describe('choosing a second factor at login', () => {
  it('an email code login', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await lastMailedCode(h, alice.email) });

    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_factor');
    expect(view.factors?.map((f) => f.type)).toEqual(['sms', 'email']);
    const coding = await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: factor.id });
    expect(coding).toMatchObject({ state: 'awaiting_code', attemptsLeft: 5, factor: { type: 'email' } });
    const code = await lastMailedCode(h, alice.email);
    const done = resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code }));
    expect(done.amr).toEqual(['password', 'email']);
    expect(await templatesTo(h, alice.email)).toContain('factor.email_code');
  });

  it('keeps the SMS as the first choice, and the SMS code still works', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await withTotp(h, alice);
    const view = await toPassword(h, 'alice', alice.password);
    const sms = view.factors![0]!;
    expect(sms).toMatchObject({ type: 'sms', maskedAddress: '+36 30 *** **11' });
    await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: sms.id });
    const code = await lastSmsCode(h, ALICE_PHONE);
    expect(resultOf(await h.desk.login.submitCode({ flowId: view.flowId, code })).amr).toEqual(['password', 'sms']);
  });

  it('logs in with the authenticator app, and the same TOTP step is refused in the next login', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const app = await withTotp(h, alice);
    const sentBefore = (await h.storage.listOutbox({ limit: 10_000 })).length;

    const first = await toPassword(h, 'alice', alice.password);
    const coding = await h.desk.login.chooseFactor({ flowId: first.flowId, factorId: app.factorId });
    expect(coding.state).toBe('awaiting_code');
    expect((await h.storage.listOutbox({ limit: 10_000 })).length).toBe(sentBefore);
    const code = await currentTotp(h, app.secret);
    expect(resultOf(await h.desk.login.submitCode({ flowId: first.flowId, code })).amr).toEqual(['password', 'totp']);

    const second = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: second.flowId, factorId: app.factorId });
    const again = await h.desk.login.submitCode({ flowId: second.flowId, code });
    expect(again).toMatchObject({ state: 'awaiting_code', attemptsLeft: 4, error: { code: 'WRONG_CODE' } });
  });

  it('has nothing to resend for an app', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const app = await withTotp(h, alice);
    const view = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: app.factorId });
    h.clock.advance(MINUTE);
    expect((await h.desk.login.resendCode({ flowId: view.flowId })).error?.code).toBe('RESEND_LIMIT');
  });

  it('ends the flow after 5 wrong app codes exactly as after 5 wrong SMS codes (attempts and lockout)', async () => {
    const endings = [];
    for (const choice of ['sms', 'totp'] as const) {
      const h = makeFactorDesk();
      const alice = await signedInAlice(h);
      const app = await withTotp(h, alice);
      const view = await toPassword(h, 'alice', alice.password);
      const factorId = choice === 'totp' ? app.factorId : view.factors![0]!.id;
      await h.desk.login.chooseFactor({ flowId: view.flowId, factorId });
      const right = choice === 'totp' ? await currentTotp(h, app.secret) : await lastSmsCode(h, ALICE_PHONE);
      const wrong = right === '000000' ? '111111' : '000000';
      const states = [];
      for (let i = 0; i < 5; i++) {
        const step = await h.desk.login.submitCode({ flowId: view.flowId, code: wrong });
        states.push(`${step.state}:${step.error?.code ?? ''}:${step.attemptsLeft ?? ''}`);
      }
      endings.push(states);
    }
    expect(endings[1]).toEqual(endings[0]);
    expect(endings[1]!.at(-1)).toMatch(/^(failed|locked):/);
  });

  it('logs in with a backup code, which works once', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor, backupCodes } = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
    const code = backupCodes![0]!;

    const first = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: first.flowId, factorId: factor.id });
    const done = resultOf(await h.desk.login.submitCode({ flowId: first.flowId, code: code.toLowerCase() }));
    expect(done.amr).toEqual(['password', 'backup_code']);
    const listed = await h.desk.factors.list({ auth: done.auth });
    expect(listed.find((f) => f.type === 'backup_codes')?.backupCodesLeft).toBe(9);

    const second = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: second.flowId, factorId: factor.id });
    expect((await h.desk.login.submitCode({ flowId: second.flowId, code })).error?.code).toBe('WRONG_CODE');
  });

  it('refuses a factor the flow did not offer', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await withTotp(h, alice);
    const view = await toPassword(h, 'alice', alice.password);
    expect(await errorCode(() => h.desk.login.chooseFactor({ flowId: view.flowId, factorId: 'fac_not_mine' }))).toBe(
      'STEP_NOT_ALLOWED',
    );
    expect((await h.desk.login.get(view.flowId)).state).toBe('awaiting_factor');
  });

  it('a login with only the phone goes straight to the SMS code, as before', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    expect((await toPassword(h, 'alice', alice.password)).state).toBe('awaiting_code');
  });
});

describe('step-up by SMS follows the factors', () => {
  it('a phone removed as a factor is never texted a step-up code, so it cannot come back through the step-up', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await withTotp(h, alice);
    const left = await h.desk.factors.remove({ auth: alice.auth, factorId: 'phone' });
    expect(left.map((factor) => factor.type)).toEqual(['totp']);
    const smsBefore = h.sms.sent.length;
    await expect(h.desk.login.startStepUp({ auth: alice.auth, method: 'sms' })).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
      details: { reason: 'no_phone' },
    });
    expect(h.sms.sent.length).toBe(smsBefore);
    // Without a method the step-up takes the factor she still holds, the app: still no SMS.
    expect(await h.desk.login.startStepUp({ auth: alice.auth })).toMatchObject({ factor: { type: 'totp' } });
    expect(h.sms.sent.length).toBe(smsBefore);
  });
});
