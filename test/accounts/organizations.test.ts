import { describe, expect, it } from 'vitest';
import { PERMISSIONS, can } from '../../src/accounts/permissions.js';
import {
  HOUR,
  MINUTE,
  SECOND,
  authFor,
  createUser,
  dumpStorage,
  lastMail,
  makeAccounts,
  makeOrganization,
  codeFrom,
  temporaryPasswordFrom,
  tokenFrom,
} from './_harness.js';

describe('organisations and the main administrator', () => {
  it('creates the organisation and its main administrator admin@company with a mailed temporary password', async () => {
    const h = makeAccounts();
    const { organization, admin } = await makeOrganization(h);
    expect(organization).toMatchObject({
      slug: 'acme',
      name: 'Acme Ltd',
      mainAdminLogin: 'admin@acme',
      settings: { smsCodeForLogin: true },
    });
    expect(admin).toMatchObject({
      login: 'admin@acme',
      kind: 'business',
      isMainAdmin: true,
      status: 'active',
      mustChangePassword: true,
      phone: '+36305550101',
    });
    expect(admin.permissions).toEqual([...PERMISSIONS]);
    const mail = await lastMail(h, 'boss@acme.example');
    expect(mail.template).toBe('business.temporary_password');
    expect(mail.text).toContain('admin@acme');
    expect(mail.text).toContain('valid for 3 days');
    expect(temporaryPasswordFrom(mail.text).length).toBeGreaterThanOrEqual(16);
    expect((await h.accounts.organizationHistory(organization.id)).map((e) => e.type)).toEqual([
      'organization.created',
    ]);
  });

  it('canonicalises the company slug and refuses a taken one with ORGANIZATION_EXISTS', async () => {
    const h = makeAccounts();
    await makeOrganization(h);
    await expect(
      h.accounts.createOrganization({ slug: ' ACME ', name: 'Other', admin: { email: 'x@other.example' } }),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_EXISTS' });
  });

  it('refuses a malformed slug with INVALID_INPUT and stores nothing', async () => {
    const h = makeAccounts();
    await expect(
      h.accounts.createOrganization({ slug: 'acme.hu', name: 'Acme', admin: { email: 'boss@acme.example' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      h.accounts.createOrganization({ slug: 'acme', name: 'Acme', admin: { email: 'boss' } }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await dumpStorage(h.storage)).records).toEqual([]);
  });

  it('the temporary password is valid at TTL − 1 s and expired at TTL + 1 s (72 h)', async () => {
    const h = makeAccounts();
    const { admin } = await makeOrganization(h);
    const temporary = temporaryPasswordFrom((await lastMail(h, 'boss@acme.example')).text);
    const account = (await h.internal.findAccountById(admin.id))!.value;
    expect(await h.internal.verifyTemporaryPassword(account, 'wrong password here')).toBe('wrong');
    h.clock.advance(72 * HOUR - SECOND);
    expect(await h.internal.verifyTemporaryPassword(account, temporary)).toBe('valid');
    h.clock.advance(2 * SECOND);
    expect(await h.internal.verifyTemporaryPassword(account, temporary)).toBe('expired');
  });

  it('the temporary password only sets a new password, once: afterwards it is gone', async () => {
    const h = makeAccounts();
    const { admin } = await makeOrganization(h);
    const temporary = temporaryPasswordFrom((await lastMail(h, 'boss@acme.example')).text);
    await expect(
      h.internal.setPassword({ accountId: admin.id, newPassword: temporary, reason: 'forced_change' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { reason: 'equals_temporary' } });
    expect(
      await h.internal.setPassword({
        accountId: admin.id,
        newPassword: 'my own admin passphrase',
        reason: 'forced_change',
      }),
    ).toEqual({ sessionsRevoked: false });
    const account = (await h.internal.findAccountById(admin.id))!.value;
    expect(account.mustChangePassword).toBe(false);
    expect(await h.internal.verifyTemporaryPassword(account, temporary)).toBe('none');
    expect(await h.internal.verifyPassword(account, 'my own admin passphrase')).toBe(true);
    expect((await lastMail(h, 'boss@acme.example')).template).toBe('password.changed');
  });

  it('gives each business user a unique temporary password', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await createUser(h, adminAuth, 'bob', ['tickets.read']);
    await createUser(h, adminAuth, 'carol', ['tickets.read']);
    const bob = temporaryPasswordFrom((await lastMail(h, 'bob@acme.example')).text);
    const carol = temporaryPasswordFrom((await lastMail(h, 'carol@acme.example')).text);
    expect(bob).not.toBe(carol);
  });
});

describe('business users and permissions', () => {
  it('the main administrator creates username@company with permissions', async () => {
    const h = makeAccounts();
    const { adminAuth, organization } = await makeOrganization(h);
    const bob = await h.accounts.createBusinessUser({
      auth: adminAuth,
      username: '  Bob ',
      email: 'Bob@Acme.example',
      permissions: ['tickets.read', 'tickets.create', 'tickets.read'],
    });
    expect(bob).toMatchObject({
      login: 'bob@acme',
      organizationId: organization.id,
      isMainAdmin: false,
      permissions: ['tickets.read', 'tickets.create'],
      mustChangePassword: true,
    });
    expect((await h.internal.findAccountByLogin(' BOB@ACME '))?.value.id).toBe(bob.id);
    expect((await lastMail(h, 'bob@acme.example')).text).toContain('bob@acme');
  });

  it('refuses a further user called admin, and a taken login, with USERNAME_TAKEN', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await expect(createUser(h, adminAuth, 'ADMIN', [])).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
    await createUser(h, adminAuth, 'bob', []);
    await expect(createUser(h, adminAuth, 'bob', [])).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  it('a user without users.manage cannot create users: PERMISSION_DENIED', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const bob = await createUser(h, adminAuth, 'bob', ['tickets.read']);
    await expect(createUser(h, await authFor(h, bob.id), 'eve', [])).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('a user manager cannot grant what they do not hold', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const manager = await createUser(h, adminAuth, 'manager', ['users.manage', 'tickets.read']);
    const auth = await authFor(h, manager.id);
    await expect(createUser(h, auth, 'eve', ['billing.read'])).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect((await createUser(h, auth, 'dan', ['tickets.read'])).permissions).toEqual(['tickets.read']);
  });

  it('setPermissions replaces the grant and writes history; the stale AuthContext of a demoted user no longer works', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const manager = await createUser(h, adminAuth, 'manager', ['users.manage']);
    const managerAuth = await authFor(h, manager.id);
    const updated = await h.accounts.setPermissions({
      auth: adminAuth,
      login: 'manager',
      permissions: ['tickets.read'],
    });
    expect(updated.permissions).toEqual(['tickets.read']);
    expect((await h.accounts.accountHistory(manager.id)).map((e) => e.type)).toContain('account.permissions_changed');
    await expect(createUser(h, managerAuth, 'eve', [])).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it("names a user by any spelling login accepts: case, spaces and a full-width '＠' (NFKC)", async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await createUser(h, adminAuth, 'bob', ['tickets.read']);
    for (const login of ['bob＠acme', ' Bob@ACME ', 'ｂｏｂ']) {
      const updated = await h.accounts.setPermissions({ auth: adminAuth, login, permissions: ['tickets.create'] });
      expect(updated.login, login).toBe('bob@acme');
      await h.accounts.setUserStatus({ auth: adminAuth, login, status: 'active' });
    }
    await expect(
      h.accounts.setPermissions({ auth: adminAuth, login: 'bob＠other', permissions: [] }),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('disabling a user lets go of the reset link and code sent before: they stay invalid after re-enabling, never "used"', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const newPassword = 'a fresh passphrase';
    const toggle = async (login: string) => {
      await h.accounts.setUserStatus({ auth: adminAuth, login, status: 'disabled' });
      await h.accounts.setUserStatus({ auth: adminAuth, login, status: 'active' });
    };
    // bob's link, tried while he is disabled and again after.
    await createUser(h, adminAuth, 'bob', []);
    await h.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    const link = tokenFrom((await lastMail(h, 'bob@acme.example')).text);
    await h.accounts.setUserStatus({ auth: adminAuth, login: 'bob', status: 'disabled' });
    expect(await h.accounts.resetPassword({ token: link, newPassword })).toMatchObject({ code: 'TOKEN_INVALID' });
    await h.accounts.setUserStatus({ auth: adminAuth, login: 'bob', status: 'active' });
    expect(await h.accounts.resetPassword({ token: link, newPassword })).toMatchObject({ code: 'TOKEN_INVALID' });
    // carol's link and dave's code, first tried after a disable and an enable.
    await createUser(h, adminAuth, 'carol', []);
    await h.accounts.requestPasswordReset({ identifier: 'carol@acme', channel: 'email' });
    const carols = tokenFrom((await lastMail(h, 'carol@acme.example')).text);
    await toggle('carol');
    expect(await h.accounts.resetPassword({ token: carols, newPassword })).toMatchObject({ code: 'TOKEN_INVALID' });
    await createUser(h, adminAuth, 'dave', []);
    await h.accounts.requestPasswordReset({ identifier: 'dave@acme', channel: 'email', method: 'code' });
    const code = codeFrom((await lastMail(h, 'dave@acme.example')).text);
    await toggle('dave');
    expect(await h.accounts.resetPassword({ identifier: 'dave@acme', code, newPassword })).toMatchObject({ ok: false });
    // One asked for after re-enabling works.
    await h.accounts.requestPasswordReset({ identifier: 'bob@acme', channel: 'email' });
    const fresh = tokenFrom((await lastMail(h, 'bob@acme.example')).text);
    expect(await h.accounts.resetPassword({ token: fresh, newPassword })).toMatchObject({ ok: true });
  });

  it('the main administrator implicitly holds every permission', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    for (const permission of PERMISSIONS) expect(can(adminAuth.principal, permission)).toBe(true);
  });

  it('an organisation can never be left without its main administrator', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await expect(
      h.accounts.setUserStatus({ auth: adminAuth, login: 'admin@acme', status: 'disabled' }),
    ).rejects.toMatchObject({ code: 'MAIN_ADMIN_REQUIRED' });
    await expect(h.accounts.setPermissions({ auth: adminAuth, login: 'admin', permissions: [] })).rejects.toMatchObject(
      { code: 'MAIN_ADMIN_REQUIRED' },
    );
    const manager = await createUser(h, adminAuth, 'manager', ['users.manage']);
    await expect(
      h.accounts.setUserStatus({ auth: await authFor(h, manager.id), login: 'admin', status: 'disabled' }),
    ).rejects.toMatchObject({ code: 'MAIN_ADMIN_REQUIRED' });
    expect(
      (await h.accounts.getAccount(adminAuth.principal.type === 'account' ? adminAuth.principal.accountId : '')).status,
    ).toBe('active');
  });

  it('disabling a user revokes their sessions, and re-enabling works', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const bob = await createUser(h, adminAuth, 'bob', []);
    expect((await h.accounts.setUserStatus({ auth: adminAuth, login: 'bob', status: 'disabled' })).status).toBe(
      'disabled',
    );
    expect(h.revoked).toEqual([{ accountId: bob.id, reason: 'account_disabled' }]);
    expect((await h.accounts.setUserStatus({ auth: adminAuth, login: 'bob', status: 'active' })).status).toBe('active');
  });

  it('cannot act on another organisation’s users: ACCOUNT_NOT_FOUND', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await createUser(h, adminAuth, 'bob', []);
    const other = await makeOrganization(h, 'globex');
    await expect(
      h.accounts.setPermissions({ auth: other.adminAuth, login: 'bob@acme', permissions: [] }),
    ).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('a personal account has no organisation rights', async () => {
    const h = makeAccounts();
    await makeOrganization(h);
    await h.accounts.register({
      username: 'alice',
      email: 'alice@example.com',
      password: 'correct horse battery',
      displayName: 'Alice',
    });
    const alice = (await h.internal.findAccountByLogin('alice'))!.value;
    await expect(createUser(h, await authFor(h, alice.id), 'eve', [])).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
  });

  it('reissues an expired temporary password, replacing the old one', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const bob = await createUser(h, adminAuth, 'bob', []);
    const first = temporaryPasswordFrom((await lastMail(h, 'bob@acme.example')).text);
    h.clock.advance(73 * HOUR);
    await h.accounts.reissueTemporaryPassword({
      auth: await authFor(h, (await h.internal.findAccountByLogin('admin@acme'))!.value.id),
      login: 'bob',
    });
    const second = temporaryPasswordFrom((await lastMail(h, 'bob@acme.example')).text);
    const account = (await h.internal.findAccountById(bob.id))!.value;
    expect(await h.internal.verifyTemporaryPassword(account, first)).toBe('wrong');
    expect(await h.internal.verifyTemporaryPassword(account, second)).toBe('valid');
  });
});

describe('the smsCodeForLogin setting', () => {
  it('the main administrator with an SMS factor from 15 min − 1 s ago can switch it; admins are mailed; it is audited', async () => {
    const h = makeAccounts();
    const { organization, admin } = await makeOrganization(h);
    const adminAuth = await authFor(h, admin.id, ['password', 'sms'], h.clock.now());
    await createUser(h, adminAuth, 'manager', ['users.manage']);
    h.clock.advance(15 * MINUTE - SECOND);
    const updated = await h.accounts.setOrganizationSettings({ auth: adminAuth, settings: { smsCodeForLogin: false } });
    expect(updated.settings.smsCodeForLogin).toBe(false);
    const history = await h.accounts.organizationHistory(organization.id);
    expect(history.at(-1)).toMatchObject({
      type: 'organization.settings_changed',
      data: { setting: 'smsCodeForLogin', from: true, to: false },
      actor: { role: 'account', login: 'admin@acme' },
    });
    for (const to of ['boss@acme.example', 'manager@acme.example']) {
      const mail = await lastMail(h, to);
      expect(mail.template).toBe('organization.sms_setting_changed');
      expect(mail.text).toContain('SMS code at login: off');
      expect(mail.text).toContain('admin@acme');
    }
  });

  it('needs a recent second factor: at 15 min + 1 s, or without sms, it is SECOND_FACTOR_REQUIRED', async () => {
    const h = makeAccounts();
    const { admin, organization } = await makeOrganization(h);
    const stale = await authFor(h, admin.id, ['password', 'sms'], h.clock.now());
    h.clock.advance(15 * MINUTE + SECOND);
    await expect(
      h.accounts.setOrganizationSettings({ auth: stale, settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
    const passwordOnly = await authFor(h, admin.id, ['password']);
    await expect(
      h.accounts.setOrganizationSettings({ auth: passwordOnly, settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
    expect((await h.accounts.getOrganization(organization.id)).settings.smsCodeForLogin).toBe(true);
  });

  it('only the main administrator may change it, whatever permissions others hold', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const everyone = await createUser(h, adminAuth, 'deputy', [...PERMISSIONS]);
    await expect(
      h.accounts.setOrganizationSettings({ auth: await authFor(h, everyone.id), settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});

describe('phone principals', () => {
  it('registers a number in any accepted format as E.164 with a restricted grant', async () => {
    const h = makeAccounts();
    const { adminAuth, organization } = await makeOrganization(h);
    const phone = await h.accounts.registerPhoneNumber({
      auth: adminAuth,
      phone: '06-30/123-4567',
      permissions: ['tickets.read', 'billing.read'],
      label: 'Van 7',
    });
    expect(phone).toMatchObject({
      phone: '+36301234567',
      organizationId: organization.id,
      permissions: ['tickets.read', 'billing.read'],
    });
    expect((await h.internal.findPhonePrincipal('301234567'))?.value.phone).toBe('+36301234567');
    await expect(
      h.accounts.registerPhoneNumber({ auth: adminAuth, phone: '+36 30 123 4567', permissions: [] }),
    ).rejects.toMatchObject({ code: 'PHONE_ALREADY_REGISTERED' });
  });

  it('refuses other formats with INVALID_INPUT naming the expected format', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    for (const phone of ['12345', '+44 20 7946 0000', '06 1 234 5678', 'thirty']) {
      const error = await h.accounts
        .registerPhoneNumber({ auth: adminAuth, phone, permissions: [] })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
      expect((error as Error).message).toContain('301234567');
    }
  });

  it('never grants administration to a number', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await expect(
      h.accounts.registerPhoneNumber({
        auth: adminAuth,
        phone: '301234567',
        permissions: ['users.manage' as 'tickets.read'],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('the administrator restricts a number; a phone principal never exceeds its grant', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    await h.accounts.registerPhoneNumber({
      auth: adminAuth,
      phone: '301234567',
      permissions: ['tickets.read', 'tickets.create'],
    });
    const restricted = await h.accounts.setPhonePermissions({
      auth: adminAuth,
      phone: '+36301234567',
      permissions: ['tickets.read'],
    });
    expect(restricted.permissions).toEqual(['tickets.read']);
    const principal = h.internal.phonePrincipal((await h.internal.findPhonePrincipal('301234567'))!.value);
    expect(can(principal, 'tickets.read')).toBe(true);
    expect(can(principal, 'tickets.create')).toBe(false);
    // A phone principal cannot administer, even with a forged grant.
    const forged = {
      auth: {
        principal: { ...principal, permissions: [...PERMISSIONS] },
        amr: ['phone' as const],
        authenticatedAt: h.clock.now(),
      },
    };
    await expect(
      h.accounts.registerPhoneNumber({ ...forged, phone: '201234567', permissions: [] }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect((await h.accounts.phoneHistory('301234567')).map((e) => e.type)).toEqual([
      'phone.registered',
      'phone.permissions_changed',
    ]);
  });

  it('needs phones.manage', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const bob = await createUser(h, adminAuth, 'bob', ['tickets.read']);
    await expect(
      h.accounts.registerPhoneNumber({ auth: await authFor(h, bob.id), phone: '301234567', permissions: [] }),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(
      h.accounts.setPhonePermissions({ auth: adminAuth, phone: '209999999', permissions: [] }),
    ).rejects.toMatchObject({ code: 'PHONE_NOT_FOUND' });
  });
});

describe('setUserStatus stays within the actor’s own permissions', () => {
  it('a users.manage user cannot disable or re-enable a user holding permissions they lack', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const manager = await createUser(h, adminAuth, 'carol', ['users.manage', 'tickets.read']);
    await createUser(h, adminAuth, 'dave', ['tickets.read', 'billing.read']);
    await createUser(h, adminAuth, 'erin', ['tickets.read']);
    const auth = await authFor(h, manager.id);
    await expect(h.accounts.setUserStatus({ auth, login: 'dave', status: 'disabled' })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      details: { missing: ['billing.read'] },
    });
    await h.accounts.setUserStatus({ auth: adminAuth, login: 'dave', status: 'disabled' });
    await expect(h.accounts.setUserStatus({ auth, login: 'dave', status: 'active' })).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
    });
    expect((await h.accounts.setUserStatus({ auth, login: 'erin', status: 'disabled' })).status).toBe('disabled');
  });
});
