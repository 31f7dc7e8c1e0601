import { describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ADMIN_PHONE,
  BOB_PASSWORD,
  BOB_PHONE,
  lastSmsCode,
  lastTemporaryPassword,
  makeLoginDesk,
  resultOf,
  type LoginHarness,
} from './_harness.js';

// A host that passes a client key (a cookie of the browser) on every login must be able to run a
// business user's first login too: temporary password, SMS code (when the organisation asks for
// one), then the user's own password. The client becomes a known client of the account.

async function firstLogin(h: LoginHarness, clientKey: string) {
  const { flowId } = await h.desk.login.start({ clientKey });
  await h.desk.login.submitIdentifier({ flowId, identifier: 'admin@acme' });
  const afterPassword = await h.desk.login.submitPassword({
    flowId,
    password: await lastTemporaryPassword(h, 'boss@acme.example'),
  });
  if (afterPassword.state === 'awaiting_code')
    await h.desk.login.submitCode({ flowId, code: await lastSmsCode(h, ADMIN_PHONE) });
  return h.desk.login.changePassword({ flowId, newPassword: ADMIN_PASSWORD });
}

describe("a business user's first login with a client key", () => {
  it('sets the new password and signs in, with the SMS code', async () => {
    const h = makeLoginDesk();
    await h.desk.accounts.createOrganization({
      slug: 'acme',
      name: 'Acme Kft.',
      admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: 'Boss' },
    });
    const done = await firstLogin(h, 'boss-laptop-cookie');
    expect(resultOf(done).amr).toEqual(['password', 'sms']);

    // The new password works from then on, from the same client.
    const { flowId } = await h.desk.login.start({ clientKey: 'boss-laptop-cookie' });
    await h.desk.login.submitIdentifier({ flowId, identifier: 'admin@acme' });
    expect((await h.desk.login.submitPassword({ flowId, password: ADMIN_PASSWORD })).state).toBe('awaiting_code');
  });

  it('sets the new password and signs in when the organisation asks for no SMS code', async () => {
    const h = makeLoginDesk();
    await h.desk.accounts.createOrganization({
      slug: 'acme',
      name: 'Acme Kft.',
      admin: { email: 'boss@acme.example', phone: ADMIN_PHONE, displayName: 'Boss' },
    });
    const admin = resultOf(await firstLogin(h, 'boss-laptop-cookie')).auth;
    await h.desk.accounts.setOrganizationSettings({
      auth: admin,
      settings: { smsCodeForLogin: false },
    });
    await h.desk.accounts.createBusinessUser({
      auth: admin,
      username: 'bob',
      email: 'bob@acme.example',
      phone: BOB_PHONE,
      permissions: ['tickets.read'],
    });
    const { flowId } = await h.desk.login.start({ clientKey: 'bob-desktop-cookie' });
    await h.desk.login.submitIdentifier({ flowId, identifier: 'bob@acme' });
    const afterPassword = await h.desk.login.submitPassword({
      flowId,
      password: await lastTemporaryPassword(h, 'bob@acme.example'),
    });
    expect(afterPassword.state).toBe('awaiting_new_password');
    const done = await h.desk.login.changePassword({ flowId, newPassword: BOB_PASSWORD });
    expect(resultOf(done).amr).toEqual(['password']);
  });
});
