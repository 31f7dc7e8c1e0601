import { describe, expect, it } from 'vitest';
import * as entry from '../../src/accounts/index.js';
import { createUser, makeAccounts, makeOrganization, registerActive } from './_harness.js';

const sorted = (value: object) => Object.keys(value).sort();

describe('views are explicit DTOs: a host sees the listed fields and nothing of the stored record', () => {
  it('an account view lists its fields; no hash, token id or flow binding', async () => {
    const h = makeAccounts();
    const { adminAuth } = await makeOrganization(h);
    const bob = await createUser(h, adminAuth, 'bob', ['tickets.read']);
    const alice = await h.accounts.getAccount(await registerActive(h));
    const fields = [
      'activatedAt',
      'createdAt',
      'displayName',
      'email',
      'emailVerified',
      'id',
      'isMainAdmin',
      'kind',
      'locale',
      'login',
      'mustChangePassword',
      'mustEnrolFactor',
      'organizationId',
      'permissions',
      'phone',
      'status',
      'temporaryPasswordExpiresAt',
      'username',
      'version',
    ];
    expect(sorted(bob)).toEqual(fields);
    expect(sorted(alice)).toEqual(fields);
    expect(Object.isFrozen(alice)).toBe(true);
  });

  it('an organisation view and a phone view list their fields; the stored updatedAt stays inside', async () => {
    const h = makeAccounts();
    const { organization, adminAuth } = await makeOrganization(h);
    expect(sorted(organization)).toEqual([
      'createdAt',
      'id',
      'mainAdminAccountId',
      'mainAdminLogin',
      'name',
      'settings',
      'slug',
      'version',
    ]);
    expect(sorted(organization.settings)).toEqual(['smsCodeForLogin']);
    const phone = await h.accounts.registerPhoneNumber({ auth: adminAuth, phone: '301234567', permissions: [] });
    expect(sorted(phone)).toEqual(['createdAt', 'label', 'organizationId', 'permissions', 'phone', 'version']);
    expect(sorted(await h.accounts.getPhoneNumber('301234567'))).toEqual(sorted(phone));
  });
});

describe('the helpdesk-core/accounts entry', () => {
  it('exports the declared surface: schemas, permissions and can(), the machine, policy and error codes', () => {
    for (const name of [
      'registerSchema',
      'createBusinessUserSchema',
      'PERMISSIONS',
      'can',
      'effectivePermissions',
      'accountStatusMachine',
      'defaultAccountPolicy',
      'accountErrors',
      'normalizeHungarianMobile',
    ]) {
      expect(entry, name).toHaveProperty(name);
    }
  });

  it('exports no factory that needs internals and no storage kind', () => {
    const names = Object.keys(entry);
    expect(names.filter((name) => /^create.*Service$/.test(name))).toEqual([]);
    expect(names.filter((name) => /_KIND$|RECORD_KINDS$/.test(name))).toEqual([]);
    expect(names).not.toContain('createAccountRepository');
  });
});
