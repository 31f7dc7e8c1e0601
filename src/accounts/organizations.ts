import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { switchStateLabel } from '../messages/render.js';
import type { Json } from '../ports/json.js';
import { randomPassword } from '../security/index.js';
import {
  accountView,
  organizationView,
  phonePrincipalView,
  type AccountKit,
  type AccountView,
  type OrganizationView,
  type PhonePrincipalView,
} from './context.js';
import { accountErrors } from './error-codes.js';
import { mainAdministratorUsername } from './identifiers.js';
import { can, effectivePermissions, sortPermissions, type Permission } from './permissions.js';
import { actorOf, type AuthContext, type Principal } from './principal.js';
import {
  createBusinessUserSchema,
  createOrganizationSchema,
  reissueTemporaryPasswordSchema,
  registerPhoneNumberSchema,
  setOrganizationSettingsSchema,
  setPermissionsSchema,
  setPhonePermissionsSchema,
  setUserStatusSchema,
  type CreateBusinessUserInput,
  type CreateOrganizationInput,
  type ReissueTemporaryPasswordInput,
  type RegisterPhoneNumberInput,
  type SetOrganizationSettingsInput,
  type SetPermissionsInput,
  type SetPhonePermissionsInput,
  type SetUserStatusInput,
} from './schemas.js';
import type { SelfService } from './self-service.js';
import {
  ACCOUNT_KIND,
  LOGIN_CLAIM_KIND,
  ORGANIZATION_KIND,
  PHONE_PRINCIPAL_KIND,
  SLUG_CLAIM_KIND,
  accountPrincipal,
  claim,
  findAccountById,
  findAccountByLogin,
  findOrganizationById,
  phonePrincipal,
  writeAccount,
  writeOrganization,
  writePhonePrincipal,
  type AccountRecord,
  type OrganizationRecord,
  type PhonePrincipalRecord,
  type Versioned,
} from './store.js';

const HOUR = 3_600_000;

export interface CreateOrganizationResult {
  organization: OrganizationView;
  /** The main administrator, `admin@<slug>`, active with a temporary password sent by mail. */
  admin: AccountView;
}

const denied = (permission: string, details: Record<string, unknown> = {}) =>
  accountErrors.raise(
    'PERMISSION_DENIED',
    { permission, ...details },
    `You need the permission "${permission}" for this.`,
  );

export function createOrganizationCommands(kit: AccountKit, self: SelfService) {
  const { deps, policy } = kit;
  const { ids, random, storage } = deps;

  /**
   * The actor as stored now, not as it was at login: a disabled account or a revoked grant
   * takes effect at once. Refuses principals outside an organisation.
   */
  async function currentPrincipal(
    uow: UnitOfWork,
    auth: AuthContext,
  ): Promise<{ principal: Principal; organizationId: string; account: AccountRecord | null }> {
    const claimed = auth.principal;
    if (claimed.type === 'phone') {
      const record = await uow.load(PHONE_PRINCIPAL_KIND, claimed.phone);
      const stored = record?.state as unknown as PhonePrincipalRecord | undefined;
      if (!stored || stored.organizationId !== claimed.organizationId)
        throw denied('organization', { reason: 'unknown_principal' });
      return { principal: phonePrincipal(stored), organizationId: stored.organizationId, account: null };
    }
    const found = await findAccountById(uow, claimed.accountId);
    const account = found?.value;
    if (
      !account ||
      account.status !== 'active' ||
      account.organizationId === null ||
      account.organizationId !== claimed.organizationId
    ) {
      throw denied('organization', { reason: 'not_an_active_business_user' });
    }
    return { principal: accountPrincipal(account), organizationId: account.organizationId, account };
  }

  async function requirePermission(uow: UnitOfWork, auth: AuthContext, permission: Permission) {
    const actor = await currentPrincipal(uow, auth);
    if (!can(actor.principal, permission)) throw denied(permission);
    return actor;
  }

  /** No one grants or takes away what they do not hold themselves. */
  function requireWithinOwn(principal: Principal, changed: readonly Permission[]) {
    const missing = changed.filter((p) => !can(principal, p));
    if (missing.length > 0) {
      throw accountErrors.raise(
        'PERMISSION_DENIED',
        { permission: missing[0], missing },
        `You cannot grant or remove permissions you do not hold: ${missing.join(', ')}.`,
      );
    }
  }

  async function loadOrganization(uow: UnitOfWork, organizationId: string): Promise<Versioned<OrganizationRecord>> {
    const org = await findOrganizationById(uow, organizationId);
    if (!org)
      throw accountErrors.raise(
        'ORGANIZATION_NOT_FOUND',
        { organizationId },
        `No organisation with id "${organizationId}".`,
      );
    return org;
  }

  /** A business user of the actor's organisation, by login (`bob@acme` or just `bob`). */
  async function loadMember(
    uow: UnitOfWork,
    organization: OrganizationRecord,
    login: string,
  ): Promise<Versioned<AccountRecord>> {
    const qualified = login.includes('@') ? login : `${login}@${organization.slug}`;
    const found = await findAccountByLogin(uow, qualified);
    if (!found || found.value.organizationId !== organization.id) {
      throw accountErrors.raise(
        'ACCOUNT_NOT_FOUND',
        { login },
        `No user "${login}" in organisation ${organization.slug}.`,
      );
    }
    return found;
  }

  function orgHistory(uow: UnitOfWork, organizationId: string, type: string, actor: Json, data: Json) {
    uow.history({ kind: ORGANIZATION_KIND, id: organizationId, at: uow.now, type, actor, data });
  }

  function accountHistory(uow: UnitOfWork, accountId: string, type: string, actor: Json, data: Json) {
    uow.history({ kind: ACCOUNT_KIND, id: accountId, at: uow.now, type, actor, data });
  }

  /** Creates a business account with a fresh temporary password and queues the mail with it. */
  async function createMember(
    uow: UnitOfWork,
    organization: OrganizationRecord,
    fields: {
      id: string;
      username: string;
      email: string;
      phone: string | null;
      displayName: string;
      locale: AccountRecord['locale'];
      permissions: Permission[];
      isMainAdmin: boolean;
    },
    temporaryPassword: string,
  ): Promise<AccountRecord> {
    const login = `${fields.username}@${organization.slug}`;
    const account: AccountRecord = {
      ...fields,
      kind: 'business',
      login,
      organizationId: organization.id,
      status: 'active',
      passwordHash: null,
      mustChangePassword: true,
      temporaryPasswordHash: await kit.temporaryPasswordMac(fields.id, temporaryPassword),
      temporaryPasswordExpiresAt: uow.now + policy.temporaryPasswordTtl,
      passwordChangedAt: null,
      activationTokenId: null,
      resetTokenId: null,
      createdAt: uow.now,
      updatedAt: uow.now,
      activatedAt: uow.now,
    };
    writeAccount(uow, account, true);
    claim(uow, LOGIN_CLAIM_KIND, login, { accountId: account.id });
    queueMessage(uow, ids, 'email', account.email, 'business.temporary_password', account.locale, {
      login,
      password: temporaryPassword,
      expiresInHours: Math.round(policy.temporaryPasswordTtl / HOUR),
    });
    return account;
  }

  const newTemporaryPassword = () => randomPassword(random, policy.temporaryPasswordLength);

  async function accountViewById(accountId: string): Promise<AccountView> {
    const found = await findAccountById(storage, accountId);
    if (!found) throw accountErrors.raise('ACCOUNT_NOT_FOUND', { accountId }, `No account with id "${accountId}".`);
    return accountView(found.value, found.version);
  }

  async function organizationViewById(organizationId: string): Promise<OrganizationView> {
    const found = await findOrganizationById(storage, organizationId);
    if (!found)
      throw accountErrors.raise(
        'ORGANIZATION_NOT_FOUND',
        { organizationId },
        `No organisation with id "${organizationId}".`,
      );
    return organizationView(found.value, found.version);
  }

  async function phoneView(phone: string): Promise<PhonePrincipalView> {
    const record = await storage.load(PHONE_PRINCIPAL_KIND, phone);
    if (!record) throw accountErrors.raise('PHONE_NOT_FOUND', {}, 'That phone number is not registered.');
    return phonePrincipalView(record.state as unknown as PhonePrincipalRecord, record.version);
  }

  return {
    /**
     * Creates an organisation (`slug`, e.g. `acme`) and its main administrator `admin@acme`,
     * who gets a unique temporary password by mail (72 h, only to set a new password at first
     * login). SMS codes at login are on by default. A host operation (after the administrator's
     * declaration): it takes no AuthContext. ORGANIZATION_EXISTS when the slug is taken.
     */
    async createOrganization(input: CreateOrganizationInput): Promise<CreateOrganizationResult> {
      kit.configured();
      const p = parseInput(createOrganizationSchema, input, 'organisation');
      const temporaryPassword = newTemporaryPassword();
      const created = await kit.run(async (uow) => {
        if (await uow.load(SLUG_CLAIM_KIND, p.slug)) {
          throw accountErrors.raise(
            'ORGANIZATION_EXISTS',
            { slug: p.slug },
            `An organisation named "${p.slug}" already exists.`,
          );
        }
        const organization: OrganizationRecord = {
          id: ids.next('org_'),
          slug: p.slug,
          name: p.name,
          mainAdminAccountId: ids.next('acc_'),
          settings: { smsCodeForLogin: true },
          createdAt: uow.now,
          updatedAt: uow.now,
        };
        writeOrganization(uow, organization, true);
        claim(uow, SLUG_CLAIM_KIND, p.slug, { organizationId: organization.id });
        const admin = await createMember(
          uow,
          organization,
          {
            id: organization.mainAdminAccountId,
            username: mainAdministratorUsername,
            email: p.admin.email,
            phone: p.admin.phone ?? null,
            displayName: p.admin.displayName ?? p.name,
            locale: p.admin.locale ?? deps.locale,
            permissions: [],
            isMainAdmin: true,
          },
          temporaryPassword,
        );
        const system = { role: 'system' };
        orgHistory(uow, organization.id, 'organization.created', system, {
          slug: organization.slug,
          mainAdminAccountId: admin.id,
        });
        accountHistory(uow, admin.id, 'account.created', system, {
          kind: 'business',
          login: admin.login,
          isMainAdmin: true,
        });
        return { organizationId: organization.id, adminId: admin.id };
      });
      return {
        organization: await organizationViewById(created.organizationId),
        admin: await accountViewById(created.adminId),
      };
    },

    /**
     * Creates a business user `username@company` in the actor's organisation with the given
     * permissions (needs `users.manage`, and only permissions the actor holds). The user gets a
     * unique temporary password by mail. `admin` is reserved for the main administrator.
     */
    async createBusinessUser(input: CreateBusinessUserInput): Promise<AccountView> {
      kit.configured();
      const p = parseInput(createBusinessUserSchema, input, 'business user');
      const temporaryPassword = newTemporaryPassword();
      const accountId = await kit.run(async (uow) => {
        const actor = await requirePermission(uow, p.auth, 'users.manage');
        requireWithinOwn(actor.principal, p.permissions);
        const organization = (await loadOrganization(uow, actor.organizationId)).value;
        const login = `${p.username}@${organization.slug}`;
        if (p.username === mainAdministratorUsername || (await uow.load(LOGIN_CLAIM_KIND, login))) {
          throw accountErrors.raise('USERNAME_TAKEN', { login }, `The login ${login} is already in use.`);
        }
        const account = await createMember(
          uow,
          organization,
          {
            id: ids.next('acc_'),
            username: p.username,
            email: p.email,
            phone: p.phone ?? null,
            displayName: p.displayName ?? p.username,
            locale: p.locale ?? deps.locale,
            permissions: p.permissions,
            isMainAdmin: false,
          },
          temporaryPassword,
        );
        accountHistory(uow, account.id, 'account.created', actorOf(p.auth), {
          kind: 'business',
          login,
          permissions: account.permissions,
        });
        orgHistory(uow, organization.id, 'organization.user_created', actorOf(p.auth), {
          accountId: account.id,
          login,
        });
        return account.id;
      });
      return accountViewById(accountId);
    },

    /**
     * Replaces a business user's permissions (needs `users.manage`; one can only add or remove
     * permissions one holds). The main administrator's rights are implicit and cannot be
     * changed: MAIN_ADMIN_REQUIRED.
     */
    async setPermissions(input: SetPermissionsInput): Promise<AccountView> {
      kit.configured();
      const p = parseInput(setPermissionsSchema, input, 'permission change');
      const accountId = await kit.run(async (uow) => {
        const actor = await requirePermission(uow, p.auth, 'users.manage');
        const organization = (await loadOrganization(uow, actor.organizationId)).value;
        const target = await loadMember(uow, organization, p.login);
        if (target.value.isMainAdmin) {
          throw accountErrors.raise(
            'MAIN_ADMIN_REQUIRED',
            { login: target.value.login },
            'The main administrator holds every permission; that cannot be changed.',
          );
        }
        const before = target.value.permissions;
        const changed = sortPermissions([
          ...before.filter((x) => !p.permissions.includes(x)),
          ...p.permissions.filter((x) => !before.includes(x)),
        ]);
        requireWithinOwn(actor.principal, changed);
        if (changed.length === 0) return target.value.id;
        writeAccount(uow, { ...target.value, permissions: p.permissions, updatedAt: uow.now });
        accountHistory(uow, target.value.id, 'account.permissions_changed', actorOf(p.auth), {
          from: before,
          to: p.permissions,
        });
        return target.value.id;
      });
      return accountViewById(accountId);
    },

    /**
     * Disables or re-enables a business user (needs `users.manage`, and every permission the
     * user holds: PERMISSION_DENIED otherwise, as for setPermissions). Disabling revokes the
     * user's sessions. The main administrator can never be disabled: MAIN_ADMIN_REQUIRED.
     */
    async setUserStatus(input: SetUserStatusInput): Promise<AccountView> {
      kit.configured();
      const p = parseInput(setUserStatusSchema, input, 'user status change');
      const result = await kit.run(async (uow) => {
        const actor = await requirePermission(uow, p.auth, 'users.manage');
        const organization = (await loadOrganization(uow, actor.organizationId)).value;
        const target = (await loadMember(uow, organization, p.login)).value;
        // As for setPermissions: no one disables or re-enables a user holding more than they do.
        const beyond = target.isMainAdmin ? [] : target.permissions.filter((x) => !can(actor.principal, x));
        if (beyond.length > 0) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { permission: beyond[0], missing: beyond },
            `You cannot change the status of a user holding permissions you do not hold: ${beyond.join(', ')}.`,
          );
        }
        if (target.status === p.status) return { accountId: target.id, revoke: false };
        if (target.isMainAdmin) {
          throw accountErrors.raise(
            'MAIN_ADMIN_REQUIRED',
            { login: target.login },
            'The main administrator cannot be disabled: an organisation must always keep one.',
          );
        }
        const step = self.stepStatus(target, p.status === 'disabled' ? 'disable' : 'enable', uow.now);
        if (!step.accepted) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { login: target.login, status: target.status },
            `The user ${target.login} is ${target.status}.`,
          );
        }
        writeAccount(uow, { ...target, status: step.status, updatedAt: uow.now });
        accountHistory(
          uow,
          target.id,
          p.status === 'disabled' ? 'account.disabled' : 'account.enabled',
          actorOf(p.auth),
          { from: target.status, to: step.status },
        );
        return { accountId: target.id, revoke: step.effects.some((e) => e.type === 'revokeSessions') };
      });
      if (result.revoke) await kit.revokeSessions(result.accountId, 'account_disabled');
      return accountViewById(result.accountId);
    },

    /**
     * Issues a new temporary password to a business user who has not set a password yet (e.g.
     * the 72 h ran out, or a login flow used it up and was abandoned) and mails it, replacing
     * the previous one. Needs `users.manage`; only the
     * main administrator may re-issue the main administrator's.
     */
    async reissueTemporaryPassword(input: ReissueTemporaryPasswordInput): Promise<AccountView> {
      kit.configured();
      const p = parseInput(reissueTemporaryPasswordSchema, input, 'temporary password re-issue');
      const temporaryPassword = newTemporaryPassword();
      const accountId = await kit.run(async (uow) => {
        const actor = await requirePermission(uow, p.auth, 'users.manage');
        const organization = (await loadOrganization(uow, actor.organizationId)).value;
        const target = (await loadMember(uow, organization, p.login)).value;
        if (!target.mustChangePassword) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { login: target.login },
            `${target.login} has already set a password; they can reset it themselves.`,
          );
        }
        if (target.isMainAdmin && !(actor.account?.isMainAdmin ?? false)) throw denied('main_admin');
        writeAccount(uow, {
          ...target,
          temporaryPasswordHash: await kit.temporaryPasswordMac(target.id, temporaryPassword),
          temporaryPasswordExpiresAt: uow.now + policy.temporaryPasswordTtl,
          temporaryPasswordFlowId: null,
          updatedAt: uow.now,
        });
        queueMessage(uow, ids, 'email', target.email, 'business.temporary_password', target.locale, {
          login: target.login,
          password: temporaryPassword,
          expiresInHours: Math.round(policy.temporaryPasswordTtl / HOUR),
        });
        accountHistory(uow, target.id, 'account.temporary_password_issued', actorOf(p.auth), {});
        return target.id;
      });
      return accountViewById(accountId);
    },

    /**
     * Changes organisation settings. `smsCodeForLogin` may be changed only by the main
     * administrator with a second factor (`amr` includes `sms`) no older than
     * `secondFactorMaxAge` (15 min): else PERMISSION_DENIED or SECOND_FACTOR_REQUIRED. The
     * change is written to the organisation's history and mailed to its administrators.
     */
    async setOrganizationSettings(input: SetOrganizationSettingsInput): Promise<OrganizationView> {
      kit.configured();
      const p = parseInput(setOrganizationSettingsSchema, input, 'organisation settings');
      const organizationId = await kit.run(async (uow) => {
        const actor = await currentPrincipal(uow, p.auth);
        if (actor.principal.type !== 'account' || !actor.principal.isMainAdmin) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { permission: 'main_admin' },
            'Only the main administrator can change the SMS login code setting.',
          );
        }
        const age = uow.now - p.auth.authenticatedAt;
        if (!p.auth.amr.includes('sms') || age < 0 || age > policy.secondFactorMaxAge) {
          throw accountErrors.raise(
            'SECOND_FACTOR_REQUIRED',
            { maxAgeMs: policy.secondFactorMaxAge },
            `Confirm with a one-time SMS code first (needed within the last ${Math.round(policy.secondFactorMaxAge / 60_000)} minutes).`,
          );
        }
        const org = await loadOrganization(uow, actor.organizationId);
        const before = org.value.settings.smsCodeForLogin;
        const after = p.settings.smsCodeForLogin;
        if (before === after) return org.value.id;
        writeOrganization(uow, {
          ...org.value,
          settings: { ...org.value.settings, smsCodeForLogin: after },
          updatedAt: uow.now,
        });
        orgHistory(uow, org.value.id, 'organization.settings_changed', actorOf(p.auth), {
          setting: 'smsCodeForLogin',
          from: before,
          to: after,
        });
        const members = await storage.list(ACCOUNT_KIND, { where: { organization: org.value.id }, limit: 1000 });
        const administrators = members
          .map((r) => r.state as unknown as AccountRecord)
          .filter(
            (a) =>
              a.status === 'active' &&
              (a.isMainAdmin || a.permissions.includes('settings.manage') || a.permissions.includes('users.manage')),
          );
        for (const admin of administrators) {
          queueMessage(uow, ids, 'email', admin.email, 'organization.sms_setting_changed', admin.locale, {
            organization: org.value.name,
            enabled: switchStateLabel(admin.locale, after),
            changedBy: actor.account?.login ?? 'admin',
          });
        }
        return org.value.id;
      });
      return organizationViewById(organizationId);
    },

    /**
     * Ties a Hungarian mobile number (any accepted format, stored as E.164) to the actor's
     * organisation with a restricted grant (needs `phones.manage`; only permissions a phone may
     * hold, and only ones the actor holds). PHONE_ALREADY_REGISTERED when the number is taken.
     */
    async registerPhoneNumber(input: RegisterPhoneNumberInput): Promise<PhonePrincipalView> {
      kit.configured();
      const p = parseInput(registerPhoneNumberSchema, input, 'phone number');
      await kit.run(async (uow) => {
        const actor = await requirePermission(uow, p.auth, 'phones.manage');
        requireWithinOwn(actor.principal, p.permissions);
        if (await uow.load(PHONE_PRINCIPAL_KIND, p.phone)) {
          throw accountErrors.raise('PHONE_ALREADY_REGISTERED', {}, 'That phone number is already registered.');
        }
        const record: PhonePrincipalRecord = {
          phone: p.phone,
          organizationId: actor.organizationId,
          permissions: p.permissions,
          label: p.label ?? null,
          createdAt: uow.now,
          updatedAt: uow.now,
        };
        writePhonePrincipal(uow, record, true);
        uow.history({
          kind: PHONE_PRINCIPAL_KIND,
          id: p.phone,
          at: uow.now,
          type: 'phone.registered',
          actor: actorOf(p.auth),
          data: { organizationId: actor.organizationId, permissions: p.permissions },
        });
      });
      return phoneView(p.phone);
    },

    /** Replaces a registered number's grant (needs `phones.manage`, within the actor's own permissions). */
    async setPhonePermissions(input: SetPhonePermissionsInput): Promise<PhonePrincipalView> {
      kit.configured();
      const p = parseInput(setPhonePermissionsSchema, input, 'phone permission change');
      await kit.run(async (uow) => {
        const actor = await requirePermission(uow, p.auth, 'phones.manage');
        const record = await uow.load(PHONE_PRINCIPAL_KIND, p.phone);
        const stored = record?.state as unknown as PhonePrincipalRecord | undefined;
        if (!stored || stored.organizationId !== actor.organizationId)
          throw accountErrors.raise('PHONE_NOT_FOUND', {}, 'That phone number is not registered in your organisation.');
        const changed = sortPermissions([
          ...stored.permissions.filter((x) => !p.permissions.includes(x)),
          ...p.permissions.filter((x) => !stored.permissions.includes(x)),
        ]);
        requireWithinOwn(actor.principal, changed);
        if (changed.length === 0) return;
        writePhonePrincipal(uow, { ...stored, permissions: p.permissions, updatedAt: uow.now });
        uow.history({
          kind: PHONE_PRINCIPAL_KIND,
          id: p.phone,
          at: uow.now,
          type: 'phone.permissions_changed',
          actor: actorOf(p.auth),
          data: { from: stored.permissions, to: p.permissions },
        });
      });
      return phoneView(p.phone);
    },

    accountViewById,
    organizationViewById,
    phoneView,
    effectivePermissions,
  };
}
