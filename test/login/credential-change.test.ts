/**
 * A login flow proves the credentials the account held when its password step ran. A password
 * reset, a password change, a reissued temporary password or a completed recovery ends that
 * proof: a flow started before it can never finish after it (nor set a password).
 */
import { describe, expect, it } from 'vitest';
import type { Commit } from '../../src/ports/storage.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  MINUTE,
  controllableStorage,
  lastSmsCode,
  lastTemporaryPassword,
  makeAcme,
  makeAcmeWithBob,
  makeLoginDesk,
  resultOf,
  stepOf,
  toPassword,
  type LoginHarness,
} from './_harness.js';

/** Resets bob's password through the emailed link. */
async function resetByLink(h: LoginHarness, newPassword: string) {
  await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
  await h.desk.dispatchOutbox();
  const mails = h.mailer.to('bob@acme.example');
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.text ?? '')?.[1];
  if (!token) throw new Error('no reset mail');
  return h.desk.accounts.resetPassword({ token, newPassword });
}

const historyOf = (type: string) => (c: Commit) => c.history.some((e) => e.type === type);

describe('a password reset ends the login flows started before it', () => {
  it('a login flow started before a password reset cannot finish after it', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    const attacker = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    expect(attacker.state).toBe('awaiting_code');
    const code = await lastSmsCode(h, BOB_PHONE);
    expect((await resetByLink(h, 'bob brand new pass')).ok).toBe(true);
    h.clock.advance(MINUTE);
    const done = await h.desk.login.submitCode({ flowId: attacker.flowId, code });
    expect(done).toMatchObject({ state: 'failed', error: { code: 'WRONG_PASSWORD' } });
    expect(done.session).toBeUndefined();
    expect(done.result).toBeUndefined();
    // The owner logs in with the password he just set.
    const owner = await toPassword(h, 'bob@acme', 'bob brand new pass');
    expect(owner.state).toBe('awaiting_code');
  });

  it('a first-login flow started before a password reset cannot set a password after it', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    const attacker = await toPassword(h, 'bob@acme', bobTemporary);
    await h.desk.login.submitCode({ flowId: attacker.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect((await h.desk.login.get(attacker.flowId)).state).toBe('awaiting_new_password');
    expect((await resetByLink(h, 'bob own new passphrase')).ok).toBe(true);
    h.clock.advance(MINUTE);
    const done = await h.desk.login.changePassword({ flowId: attacker.flowId, newPassword: 'attacker chosen pass' });
    expect(done).toMatchObject({ state: 'failed', error: { code: 'TEMPORARY_PASSWORD_EXPIRED' } });
    expect(done.session).toBeUndefined();
    // The password the owner set stands; the attacker's never took.
    expect((await toPassword(h, 'bob@acme', 'bob own new passphrase')).state).toBe('awaiting_code');
    expect((await toPassword(h, 'bob@acme', 'attacker chosen pass')).error?.code).toBe('WRONG_PASSWORD');
  });

  it('a reset racing a login that completes at the same moment: the login re-runs after the reset and fails', async () => {
    const control = controllableStorage();
    const h = makeLoginDesk({ storage: control.storage });
    await makeAcmeWithBob(h);
    const attacker = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const code = await lastSmsCode(h, BOB_PHONE);
    const held = control.hold(stepOf(attacker.flowId, 'login.code'));
    const login = h.desk.login.submitCode({ flowId: attacker.flowId, code });
    await held.reached;
    expect((await resetByLink(h, 'bob brand new pass')).ok).toBe(true);
    held.release();
    const done = await login;
    expect(done).toMatchObject({ state: 'failed', error: { code: 'WRONG_PASSWORD' } });
    expect(done.session).toBeUndefined();
  });

  it('a login that commits while a reset waits to commit: the reset re-runs and ends the session it opened', async () => {
    const control = controllableStorage();
    const h = makeLoginDesk({ storage: control.storage });
    await makeAcmeWithBob(h);
    const owner = await toPassword(h, 'bob@acme', BOB_PASSWORD);
    const code = await lastSmsCode(h, BOB_PHONE);
    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    await h.desk.dispatchOutbox();
    const mails = h.mailer.to('bob@acme.example');
    const token = /token=([A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]!.text)![1]!;
    const held = control.hold(historyOf('account.password_reset'));
    const reset = h.desk.accounts.resetPassword({ token, newPassword: 'bob brand new pass' });
    await held.reached;
    const done = await h.desk.login.submitCode({ flowId: owner.flowId, code });
    const session = done.session?.token;
    expect(done.state).toBe('authenticated');
    held.release();
    expect((await reset).ok).toBe(true);
    await expect(h.desk.sessions.verify(session!)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
  });
});

describe('a reissued temporary password ends the flows bound to the old one', () => {
  it('a first-login flow bound to a temporary password cannot set a password after the administrator reissues one', async () => {
    const h = makeLoginDesk();
    const { adminAuth, bobTemporary } = await makeAcme(h);
    const attacker = await toPassword(h, 'bob@acme', bobTemporary);
    await h.desk.login.submitCode({ flowId: attacker.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    await h.desk.accounts.reissueTemporaryPassword({ auth: adminAuth, login: 'bob' });
    const fresh = await lastTemporaryPassword(h, 'bob@acme.example');
    h.clock.advance(2 * MINUTE);
    const done = await h.desk.login.changePassword({ flowId: attacker.flowId, newPassword: 'attacker chosen pass' });
    expect(done).toMatchObject({ state: 'failed', error: { code: 'TEMPORARY_PASSWORD_EXPIRED' } });
    expect(done.session).toBeUndefined();
    // The fresh temporary password works once, for the owner.
    const bob = await toPassword(h, 'bob@acme', fresh);
    expect(bob.state).toBe('awaiting_code');
    await h.desk.login.submitCode({ flowId: bob.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    expect(resultOf(await h.desk.login.changePassword({ flowId: bob.flowId, newPassword: BOB_PASSWORD })).amr).toEqual([
      'password',
      'sms',
    ]);
  });

  it('a first-login flow at the code step cannot go on after the administrator reissues the temporary password', async () => {
    const h = makeLoginDesk();
    const { adminAuth, bobTemporary } = await makeAcme(h);
    const attacker = await toPassword(h, 'bob@acme', bobTemporary);
    const code = await lastSmsCode(h, BOB_PHONE);
    await h.desk.accounts.reissueTemporaryPassword({ auth: adminAuth, login: 'bob' });
    const done = await h.desk.login.submitCode({ flowId: attacker.flowId, code });
    expect(done).toMatchObject({ state: 'failed', error: { code: 'TEMPORARY_PASSWORD_EXPIRED' } });
  });

  it('a password change by the flow itself completes that flow', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    const bob = await toPassword(h, 'bob@acme', bobTemporary);
    await h.desk.login.submitCode({ flowId: bob.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    const done = await h.desk.login.changePassword({ flowId: bob.flowId, newPassword: BOB_PASSWORD });
    expect(done.state).toBe('authenticated');
    expect(done.session?.token).toEqual(expect.any(String));
  });
});
