import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/accounts/permissions.js';
import {
  BOB_PASSWORD,
  BOB_PHONE,
  DESK_PHONE,
  loginWithCode,
  makeAcmeWithBob,
  makeLoginDesk,
  type LoginHarness,
} from '../login/_harness.js';

// Finding 6 of issue 15: every command on another user or phone number needs every permission
// the target holds (or the main administrator). Bob manages users and phones but cannot read bills.

const BOB_CAN: Permission[] = ['users.manage', 'phones.manage', 'tickets.read'];

async function setUp() {
  const h: LoginHarness = makeLoginDesk();
  const acme = await makeAcmeWithBob(h, BOB_CAN);
  const bobAuth = (await loginWithCode(h, 'bob@acme', BOB_PASSWORD, BOB_PHONE)).auth;
  const create = (username: string, permissions: Permission[]) =>
    h.desk.accounts.createBusinessUser({
      auth: acme.adminAuth,
      username,
      email: `${username}@acme.example`,
      permissions,
    });
  // Carol can read bills, which Bob cannot; Erin holds nothing Bob lacks.
  await create('carol', ['tickets.read', 'billing.read']);
  await create('erin', ['tickets.read']);
  return { h, ...acme, bobAuth };
}

const missingBilling = { code: 'PERMISSION_DENIED', details: { missing: ['billing.read'] } };

describe('a users.manage holder cannot act on a user holding permissions they lack', () => {
  it('stops a temporary-password takeover attempt: no re-issue for a user above the caller', async () => {
    const { h, bobAuth, adminAuth } = await setUp();
    await expect(h.desk.accounts.reissueTemporaryPassword({ auth: bobAuth, login: 'carol' })).rejects.toMatchObject(
      missingBilling,
    );
    await h.desk.accounts.reissueTemporaryPassword({ auth: bobAuth, login: 'erin' });
    await h.desk.accounts.reissueTemporaryPassword({ auth: adminAuth, login: 'carol' });
  });

  it('stops a privilege-stripping attempt: no permission change on a user above the caller', async () => {
    const { h, bobAuth, adminAuth } = await setUp();
    // Bob holds tickets.read, so before the rule he could take it from Carol.
    await expect(
      h.desk.accounts.setPermissions({ auth: bobAuth, login: 'carol', permissions: ['billing.read'] }),
    ).rejects.toMatchObject(missingBilling);
    expect(
      (await h.desk.accounts.setPermissions({ auth: bobAuth, login: 'erin', permissions: [] })).permissions,
    ).toEqual([]);
    const carol = await h.desk.accounts.setPermissions({
      auth: adminAuth,
      login: 'carol',
      permissions: ['billing.read'],
    });
    expect(carol.permissions).toEqual(['billing.read']);
  });

  it('stops a lock-out attempt: no disabling or re-enabling a user above the caller', async () => {
    const { h, bobAuth } = await setUp();
    await expect(
      h.desk.accounts.setUserStatus({ auth: bobAuth, login: 'carol', status: 'disabled' }),
    ).rejects.toMatchObject(missingBilling);
    expect((await h.desk.accounts.setUserStatus({ auth: bobAuth, login: 'erin', status: 'disabled' })).status).toBe(
      'disabled',
    );
  });

  it('stops the same against the main administrator, who holds every permission', async () => {
    const { h, bobAuth } = await setUp();
    await expect(h.desk.accounts.reissueTemporaryPassword({ auth: bobAuth, login: 'admin' })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    await expect(
      h.desk.accounts.setUserStatus({ auth: bobAuth, login: 'admin', status: 'disabled' }),
    ).rejects.toMatchObject({ code: 'MAIN_ADMIN_REQUIRED' });
  });

  it('stops a phone-restriction attempt: no permission change on a number holding what the caller lacks', async () => {
    const { h, bobAuth, adminAuth } = await setUp();
    await h.desk.accounts.registerPhoneNumber({
      auth: adminAuth,
      phone: DESK_PHONE,
      permissions: ['tickets.read', 'billing.read'],
    });
    await expect(
      h.desk.accounts.setPhonePermissions({ auth: bobAuth, phone: DESK_PHONE, permissions: ['billing.read'] }),
    ).rejects.toMatchObject(missingBilling);
    const restricted = await h.desk.accounts.setPhonePermissions({
      auth: adminAuth,
      phone: DESK_PHONE,
      permissions: ['tickets.read'],
    });
    expect(restricted.permissions).toEqual(['tickets.read']);
    const byBob = await h.desk.accounts.setPhonePermissions({ auth: bobAuth, phone: DESK_PHONE, permissions: [] });
    expect(byBob.permissions).toEqual([]);
  });
});
