/**
 * A login flow whose credentials changed since its password step (a reset, a password change, a
 * reissued temporary password, a completed recovery) cannot finish: nor can it send one more
 * code. A resend, a factor choice or a phone enrolment on such a flow ends it `failed`, like its
 * code step, and nothing is sent.
 */
import { describe, expect, it } from 'vitest';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  MINUTE,
  lastSmsCode,
  makeAcme,
  makeAcmeWithBob,
  makeLoginDesk,
  toPassword,
  type LoginHarness,
} from './_harness.js';
import { ALICE_PHONE, lastMailedCode, makeFactorDesk, signedInAlice } from '../factors/_harness.js';
import { agentA, agentB, evidence, makeAlice, NEW_PHONE, openInput, outboxTo, HOUR } from '../recovery/_harness.js';

/** Resets the password of `identifier` through the emailed link. */
async function resetByLink(h: LoginHarness, identifier: string, email: string, newPassword: string) {
  await h.desk.accounts.requestPasswordReset({ identifier, channel: 'email' });
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to(email);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error('no reset mail');
  const reset = await h.desk.accounts.resetPassword({ token, newPassword });
  expect(reset.ok).toBe(true);
}

/** The login codes queued for `to` so far (delivered or not). */
async function loginCodesTo(h: LoginHarness, to: string) {
  return (await outboxTo(h, to)).filter((m) => m.template === 'login.code' || m.template === 'factor.email_code');
}

describe('a flow whose credentials changed sends no more codes', () => {
  it('a resend on a flow started before a password reset ends it failed, and no code is sent', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const flow = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(flow.state).toBe('awaiting_code');
    await resetByLink(h, 'bob@acme', 'bob@acme.example', 'bob brand new pass');
    h.clock.advance(MINUTE);
    const sent = (await loginCodesTo(h, BOB_PHONE)).length;
    const view = await h.desk.login.resendCode({ flowId: flow.flowId });
    expect(view).toMatchObject({ state: 'failed', error: { code: 'WRONG_PASSWORD' } });
    expect(await loginCodesTo(h, BOB_PHONE)).toHaveLength(sent);
    // The flow has ended: its code step is closed too.
    await expect(h.desk.login.submitCode({ flowId: flow.flowId, code: '123456' })).rejects.toMatchObject({
      code: 'STEP_NOT_ALLOWED',
    });
  });

  it('a factor choice on a flow started before a password reset ends it failed, and no code is sent', async () => {
    const h = makeFactorDesk();
    const alice = await signedInAlice(h);
    const { factor } = await h.desk.factors.enrol({ auth: alice.auth, type: 'email' });
    await h.desk.factors.confirm({ auth: alice.auth, factorId: factor.id, code: await lastMailedCode(h, alice.email) });
    const flow = await toPassword(h, 'alice', alice.password);
    expect(flow.state).toBe('awaiting_factor');
    await resetByLink(h, 'alice', alice.email, 'alice brand new pass');
    const mailed = (await loginCodesTo(h, alice.email)).length;
    const texted = (await loginCodesTo(h, ALICE_PHONE)).length;
    const byMail = await h.desk.login.chooseFactor({ flowId: flow.flowId, factorId: factor.id });
    expect(byMail).toMatchObject({ state: 'failed', error: { code: 'WRONG_PASSWORD' } });
    expect(await loginCodesTo(h, alice.email)).toHaveLength(mailed);
    expect(await loginCodesTo(h, ALICE_PHONE)).toHaveLength(texted);
  });

  it('a phone enrolment on a flow started before a password reset ends it failed, and no code is sent', async () => {
    const h = makeLoginDesk();
    const alice = await makeAlice(h);
    const opened = await h.desk.recovery.open(openInput());
    await h.desk.recovery.addEvidence({ caseId: opened.caseId, actor: agentA, evidence });
    await h.desk.recovery.review({ caseId: opened.caseId, actor: agentA, outcome: 'accept' });
    await h.desk.recovery.approve({ caseId: opened.caseId, actor: agentB });
    h.clock.advance(25 * HOUR);
    await h.desk.runDueTimers();
    const flow = await toPassword(h, 'alice', alice.password);
    expect(flow.state).toBe('awaiting_enrolment');
    await resetByLink(h, 'alice', alice.email, 'alice brand new pass');
    const view = await h.desk.login.enrolPhone({ flowId: flow.flowId, number: NEW_PHONE });
    expect(view).toMatchObject({ state: 'failed', error: { code: 'WRONG_PASSWORD' } });
    expect(await loginCodesTo(h, NEW_PHONE)).toHaveLength(0);
    // The owner enrols with the password just set.
    const owner = await toPassword(h, 'alice', 'alice brand new pass');
    expect(owner.state).toBe('awaiting_enrolment');
    expect((await h.desk.login.enrolPhone({ flowId: owner.flowId, number: NEW_PHONE })).state).toBe('awaiting_code');
    expect(await loginCodesTo(h, NEW_PHONE)).toHaveLength(1);
  });

  it('a resend on a first-login flow after the administrator reissues the temporary password ends it failed', async () => {
    const h = makeLoginDesk();
    const { adminAuth, bobTemporary } = await makeAcme(h);
    const flow = await toPassword(h, 'bob@acme', bobTemporary);
    await lastSmsCode(h, BOB_PHONE);
    await h.desk.accounts.reissueTemporaryPassword({ auth: adminAuth, login: 'bob' });
    h.clock.advance(MINUTE);
    const sent = (await loginCodesTo(h, BOB_PHONE)).length;
    const view = await h.desk.login.resendCode({ flowId: flow.flowId });
    expect(view).toMatchObject({ state: 'failed', error: { code: 'TEMPORARY_PASSWORD_EXPIRED' } });
    expect(await loginCodesTo(h, BOB_PHONE)).toHaveLength(sent);
  });

  it('a resend on a flow whose credentials did not change still sends a code', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const flow = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    h.clock.advance(MINUTE);
    const sent = (await loginCodesTo(h, BOB_PHONE)).length;
    expect((await h.desk.login.resendCode({ flowId: flow.flowId })).state).toBe('awaiting_code');
    expect(await loginCodesTo(h, BOB_PHONE)).toHaveLength(sent + 1);
  });
});
