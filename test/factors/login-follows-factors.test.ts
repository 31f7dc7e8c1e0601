import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { HOUR } from '../helpers.js';
import { BOB_PASSWORD, BOB_PHONE, lastSmsCode, resultOf, toPassword } from '../login/_harness.js';
import {
  ALICE_PHONE,
  currentTotp,
  errorCode,
  lastMailedCode,
  makeFactorDesk,
  signedInAlice,
  signedInBob,
  templatesTo,
} from './_harness.js';

// The login offers and accepts only the factors the account holds and its organisation allows,
// as the step-up does (docs/factors.md: "`allowed` limits what users may enrol and what the login
// offers"). A phone removed as a factor, or an SMS the organisation no longer allows, is never
// texted a login code; a factor removed while a login waits for its code no longer signs in.

type Harness = ReturnType<typeof makeFactorDesk>;

async function withTotp(h: Harness, auth: AuthContext) {
  const { factor, totp } = await h.desk.factors.enrol({ auth, type: 'totp' });
  await h.desk.factors.confirm({ auth, factorId: factor.id, code: await currentTotp(h, totp!.secret) });
  h.clock.advance(30_000); // the next TOTP step
  return { factorId: factor.id, secret: totp!.secret };
}

describe('the login follows the factors', () => {
  it('a phone removed as a factor is never texted a login code: with nothing else held, the password alone signs in', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    expect(await h.desk.factors.remove({ auth: alice.auth, factorId: 'phone' })).toEqual([]);
    const texted = h.sms.to(ALICE_PHONE).length;
    const view = await toPassword(h, 'alice', alice.password);
    await h.desk.dispatchOutbox();
    expect(view.state).toBe('authenticated');
    expect(resultOf(view).amr).toEqual(['password']);
    expect(h.sms.to(ALICE_PHONE).length).toBe(texted);
    // A password alone is no second factor: the session cannot manage factors.
    expect(await errorCode(() => h.desk.factors.enrol({ auth: resultOf(view).auth, type: 'backup_codes' }))).toBe(
      'SECOND_FACTOR_REQUIRED',
    );
  });

  it('a phone removed as a factor is not offered beside the app that is left', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const app = await withTotp(h, alice.auth);
    await h.desk.factors.remove({ auth: alice.auth, factorId: 'phone' });
    const texted = h.sms.to(ALICE_PHONE).length;
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_factor');
    expect(view.factors!.map((factor) => factor.type)).toEqual(['totp']);
    await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: app.factorId });
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code: await currentTotp(h, app.secret) });
    expect(resultOf(done).amr).toEqual(['password', 'totp']);
    await h.desk.dispatchOutbox();
    expect(h.sms.to(ALICE_PHONE).length).toBe(texted);
  });

  it('an organisation that no longer allows SMS offers only allowed factors; a user who holds none is still texted, so the rule locks nobody out', async () => {
    const h = makeFactorDesk();
    const { adminAuth } = await signedInBob(h);
    await h.desk.factors.setOrganizationFactors({
      auth: adminAuth,
      allowed: ['totp', 'backup_codes'],
      secondFactorRequired: true,
    });
    // Bob holds only his phone: he signs in with its code, and enrols an allowed factor.
    const first = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(first.state).toBe('awaiting_code');
    const bob = resultOf(
      await h.desk.login.submitCode({ flowId: first.flowId, code: await lastSmsCode(h, BOB_PHONE) }),
    ).auth;
    expect(await errorCode(() => h.desk.factors.enrol({ auth: bob, type: 'sms' }))).toBe('PERMISSION_DENIED');
    const app = await withTotp(h, bob);
    // From then on the login offers the app alone and texts nothing.
    const texted = h.sms.to(BOB_PHONE).length;
    const next = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(next.state).toBe('awaiting_factor');
    expect(next.factors!.map((factor) => factor.type)).toEqual(['totp']);
    await h.desk.login.chooseFactor({ flowId: next.flowId, factorId: app.factorId });
    const done = await h.desk.login.submitCode({ flowId: next.flowId, code: await currentTotp(h, app.secret) });
    expect(resultOf(done).amr).toEqual(['password', 'totp']);
    await h.desk.dispatchOutbox();
    expect(h.sms.to(BOB_PHONE).length).toBe(texted);
  });

  it('a phone removed while the login waits for its SMS code: the code no longer signs in, nor is it sent again', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_code');
    const code = await lastSmsCode(h, ALICE_PHONE);
    await h.desk.factors.remove({ auth: alice.auth, factorId: 'phone' });
    h.clock.advance(60_000);
    await expect(h.desk.login.resendCode({ flowId: view.flowId })).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
    });
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code });
    expect(done).toMatchObject({ state: 'awaiting_code', error: { code: 'WRONG_CODE' } });
  });

  it('an email factor removed while the login waits for its code: the mailed code no longer signs in', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await lastMailedCode(h, alice.email) });
    const view = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: factor.id });
    const code = await lastMailedCode(h, alice.email);
    await h.desk.factors.remove({ auth: alice.auth, factorId: factor.id });
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code });
    expect(done).toMatchObject({ state: 'awaiting_code', error: { code: 'WRONG_CODE' } });
  });

  it('a login code mailed to the address before an email change no longer signs in', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await lastMailedCode(h, alice.email) });
    const view = await toPassword(h, 'alice', alice.password);
    await h.desk.login.chooseFactor({ flowId: view.flowId, factorId: factor.id });
    const code = await lastMailedCode(h, alice.email);
    await h.desk.factors.changeEmail({ auth: alice.auth, email: 'zoe.new@example.org' });
    const changed = await h.desk.factors.confirmEmailChange({
      auth: alice.auth,
      code: await lastMailedCode(h, 'zoe.new@example.org'),
    });
    expect(changed).toMatchObject({ ok: true });
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code });
    expect(done).toMatchObject({ state: 'awaiting_code', error: { code: 'WRONG_CODE' } });
  });

  it('a recovery of a lost app, with the phone removed as a factor, asks for a new factor at the next login', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    await withTotp(h, alice.auth);
    await h.desk.factors.remove({ auth: alice.auth, factorId: 'phone' });
    const agent = { role: 'agent', id: 'agent-anna' } as const;
    const opened = await h.desk.recovery.open({
      login: 'alice',
      lostFactor: 'authenticator',
      channel: 'web',
      requester: { email: 'alice.private@example.net', name: 'Alice' },
      description: 'Lost the phone with the app.',
    });
    await h.desk.recovery.addEvidence({
      caseId: opened.caseId,
      actor: { role: 'requester', ticketId: opened.ticketId },
      evidence: { kind: 'identity_document', description: 'ID card scan', attachments: [] },
    } as never);
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agent, outcome: 'accept' } as never);
    await h.desk.recovery.approve({ caseId: opened.caseId, actor: agent });
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    expect((await h.desk.accounts.getAccount(alice.accountId)).mustEnrolFactor).toBe(true);

    await h.desk.dispatchOutbox(); // the recovery's own notices
    const texted = h.sms.to(ALICE_PHONE).length;
    const view = await toPassword(h, 'alice', alice.password);
    expect(view.state).toBe('awaiting_enrolment');
    // She enrols her phone again: it is her login factor from then on.
    await h.desk.login.enrolPhone({ flowId: view.flowId, number: ALICE_PHONE });
    const done = await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, ALICE_PHONE) });
    expect(resultOf(done).amr).toEqual(['password', 'sms']);
    expect(h.sms.to(ALICE_PHONE).length).toBe(texted + 1);
    const next = await toPassword(h, 'alice', alice.password);
    expect(next.state).toBe('awaiting_code');
  });

  it('renaming a factor is mailed to the address on record', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const app = await withTotp(h, alice.auth);
    await h.desk.factors.rename({ auth: alice.auth, factorId: app.factorId, label: 'Attacker phone' });
    await h.desk.dispatchOutbox();
    expect(await templatesTo(h, alice.email)).toContain('factor.renamed');
    const mail = h.mailer.to(alice.email).at(-1)!;
    expect(mail.text).toContain('Attacker phone');
  });
});
