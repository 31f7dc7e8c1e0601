import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/accounts/permissions.js';
import { authFor, createUser, makeAccounts, makeOrganization } from './_harness.js';
import {
  BOB_PHONE,
  errorCode,
  lastSmsCode,
  makeAcme,
  makeLoginDesk,
  resetLinkTo,
  toPassword,
} from '../login/_harness.js';

/** The same text in fullwidth letters: NFKC folds it back, as the password hasher does. */
const fullwidth = (s: string) =>
  [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

async function refusalReason(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
    return 'none';
  } catch (error) {
    return (error as { details?: { reason?: unknown } }).details?.reason ?? String(error);
  }
}

describe('a temporary password is usable once, only to set a new one', () => {
  it('a password reset cannot make the mailed temporary password the permanent one', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    const token = await resetLinkTo(h, 'bob@acme.example', 'bob@acme');
    expect(await refusalReason(() => h.desk.accounts.resetPassword({ token, newPassword: bobTemporary }))).toBe(
      'equals_temporary',
    );
    expect(
      await refusalReason(() => h.desk.accounts.resetPassword({ token, newPassword: fullwidth(bobTemporary) })),
    ).toBe('equals_temporary');
    // Refused before the link was spent: a new password works with it.
    expect(await h.desk.accounts.resetPassword({ token, newPassword: 'bob own passphrase' })).toMatchObject({
      ok: true,
    });
  });

  it('the forced change refuses the temporary password in any spelling NFKC makes equal', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    const view = await toPassword(h, 'bob@acme', bobTemporary);
    await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    const changed = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: fullwidth(bobTemporary) });
    expect(changed.state).toBe('awaiting_new_password');
    expect(changed.error).toEqual({ code: 'PASSWORD_REJECTED', reason: 'equals_temporary' });
  });
});

describe('every reset secret dies with a password change', () => {
  it('a reset code asked for before the first-login change no longer sets a password after it', async () => {
    const h = makeLoginDesk();
    const { bobTemporary } = await makeAcme(h);
    await h.desk.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'sms' });
    const resetCode = await lastSmsCode(h, BOB_PHONE);
    const view = await toPassword(h, 'bob@acme', bobTemporary);
    await h.desk.login.submitCode({ flowId: view.flowId, code: await lastSmsCode(h, BOB_PHONE) });
    const done = await h.desk.login.changePassword({ flowId: view.flowId, newPassword: 'bob own passphrase' });
    expect(done.state).toBe('authenticated');
    const late = await h.desk.accounts.resetPassword({
      identifier: 'bob@acme',
      code: resetCode,
      newPassword: 'someone else pass',
    });
    expect(late).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect((await toPassword(h, 'bob@acme', 'bob own passphrase')).state).toBe('awaiting_code');
  });
});

describe("only the main administrator re-issues the main administrator's temporary password", () => {
  it('a deputy holding every permission is refused', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const deputy = await createUser(h, adminAuth, 'deputy', [...PERMISSIONS]);
    const auth = await authFor(h, deputy.id);
    expect(await errorCode(() => h.accounts.reissueTemporaryPassword({ auth, login: 'admin' }))).toBe(
      'MAIN_ADMIN_REQUIRED',
    );
  });
});
