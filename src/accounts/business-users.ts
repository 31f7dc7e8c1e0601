import { accountLockoutKey, touchLockout } from '../security/lockout.js';
import { changedPermissions, requireOutranks, requireWithinOwn } from './actor.js';
import { adminCommand } from './admin-command.js';
import { stepAccountStatus } from './account-machine.js';
import type { AccountKit } from './context.js';
import { accountErrors } from './error-codes.js';
import { mainAdministratorUsername } from './identifiers.js';
import { loadMember, loadOrganization, readAccountView } from './lookups.js';
import { createMember, issueTemporaryPassword } from './members.js';
import { dropResetSecrets } from './password-recovery.js';
import { actorOf } from './principal.js';
import {
  createBusinessUserSchema,
  reissueTemporaryPasswordSchema,
  setPermissionsSchema,
  setUserStatusSchema,
} from './schemas.js';
import {
  LOGIN_CLAIM_KIND,
  accountPrincipal,
  nextCredentialEpoch,
  recordAccountHistory,
  recordOrganizationHistory,
  writeAccount,
} from './store.js';

/** The commands on an organisation's business users (see {@link AccountService} for each rule). */
export function createBusinessUserCommands(kit: AccountKit) {
  const { ids, storage, locale } = kit.deps;
  const answer = (accountId: string) => readAccountView(storage, accountId);

  return {
    createBusinessUser: adminCommand(kit, {
      schema: createBusinessUserSchema,
      what: 'business user',
      permission: 'users.manage',
      async run({ uow, input: p, actor }) {
        requireWithinOwn(actor.principal, p.permissions);
        const organization = (await loadOrganization(uow, actor.organizationId)).value;
        const login = `${p.username}@${organization.slug}`;
        if (p.username === mainAdministratorUsername || (await uow.load(LOGIN_CLAIM_KIND, login))) {
          throw accountErrors.raise('USERNAME_TAKEN', { login }, `The login ${login} is already in use.`);
        }
        const account = await createMember(kit, uow, organization, {
          id: ids.next('acc_'),
          username: p.username,
          email: p.email,
          phone: p.phone ?? null,
          displayName: p.displayName ?? p.username,
          locale: p.locale ?? locale,
          permissions: p.permissions,
          isMainAdmin: false,
        });
        const by = actorOf(p.auth);
        recordAccountHistory(uow, account.id, 'account.created', by, {
          kind: 'business',
          login,
          permissions: account.permissions,
        });
        recordOrganizationHistory(uow, organization.id, 'organization.user_created', by, {
          accountId: account.id,
          login,
        });
        return account.id;
      },
      answer,
    }),

    setPermissions: adminCommand(kit, {
      schema: setPermissionsSchema,
      what: 'permission change',
      permission: 'users.manage',
      async run({ uow, input: p, actor }) {
        const { member } = await loadMember(uow, actor.organizationId, p.login);
        if (member.isMainAdmin) {
          throw accountErrors.raise(
            'MAIN_ADMIN_REQUIRED',
            { login: member.login },
            'The main administrator holds every permission; that cannot be changed.',
          );
        }
        requireOutranks(actor, accountPrincipal(member), 'change the permissions of');
        const changed = changedPermissions(member.permissions, p.permissions);
        requireWithinOwn(actor.principal, changed);
        if (changed.length === 0) return member.id;
        writeAccount(uow, { ...member, permissions: p.permissions, updatedAt: uow.now });
        recordAccountHistory(uow, member.id, 'account.permissions_changed', actorOf(p.auth), {
          from: member.permissions,
          to: p.permissions,
        });
        return member.id;
      },
      answer,
    }),

    setUserStatus: adminCommand(kit, {
      schema: setUserStatusSchema,
      what: 'user status change',
      permission: 'users.manage',
      async run({ uow, input: p, actor }) {
        const { member } = await loadMember(uow, actor.organizationId, p.login);
        if (member.isMainAdmin && member.status !== p.status) {
          throw accountErrors.raise(
            'MAIN_ADMIN_REQUIRED',
            { login: member.login },
            'The main administrator cannot be disabled: an organisation must always keep one.',
          );
        }
        requireOutranks(actor, accountPrincipal(member), 'change the status of');
        if (member.status === p.status) return { accountId: member.id, revoke: false };
        const disabling = p.status === 'disabled';
        const step = stepAccountStatus(member, { type: disabling ? 'disable' : 'enable', at: uow.now });
        if (!step.accepted) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { login: member.login, status: member.status },
            `The user ${member.login} is ${member.status}.`,
          );
        }
        // A disabled user's reset link and code die here: re-enabled, he asks for new ones (a link
        // tried while he was disabled is never left reading as used).
        const released = disabling ? await dropResetSecrets(uow, member, kit.configured().codes) : member;
        writeAccount(uow, { ...released, status: step.status, updatedAt: uow.now });
        recordAccountHistory(uow, member.id, disabling ? 'account.disabled' : 'account.enabled', actorOf(p.auth), {
          from: member.status,
          to: step.status,
        });
        return { accountId: member.id, revoke: step.effects.some((e) => e.type === 'revokeSessions') };
      },
      // Sessions end after the commit: the port is outside the store and must not see a change that may still fail.
      async answer({ accountId, revoke }) {
        if (revoke) await kit.revokeSessions(accountId, 'account_disabled');
        return readAccountView(storage, accountId);
      },
    }),

    reissueTemporaryPassword: adminCommand(kit, {
      schema: reissueTemporaryPasswordSchema,
      what: 'temporary password re-issue',
      permission: 'users.manage',
      async run({ uow, input: p, actor }) {
        const { member } = await loadMember(uow, actor.organizationId, p.login);
        // Before anything about the target is told.
        requireOutranks(actor, accountPrincipal(member), 'issue a temporary password to');
        // Only the main administrator re-issues their own: a deputy granted every permission
        // "outranks" them by permissions alone.
        if (member.isMainAdmin && !(actor.principal.type === 'account' && actor.principal.isMainAdmin)) {
          throw accountErrors.raise(
            'MAIN_ADMIN_REQUIRED',
            { login: member.login },
            "Only the main administrator can re-issue the main administrator's temporary password.",
          );
        }
        if (!member.mustChangePassword) {
          throw accountErrors.raise(
            'PERMISSION_DENIED',
            { login: member.login },
            `${member.login} has already set a password; they can reset it themselves.`,
          );
        }
        const issued = await issueTemporaryPassword(kit, uow, member);
        // A new temporary password is bound to no login flow yet, and every flow that proved the
        // old one can no longer finish (the credential epoch moves). The lockout record orders
        // this commit with a login step completing at the same moment (see touchLockout).
        const credentialEpoch = nextCredentialEpoch(member);
        writeAccount(uow, { ...member, ...issued, temporaryPasswordFlowId: null, credentialEpoch, updatedAt: uow.now });
        await touchLockout(uow, accountLockoutKey(member.id));
        recordAccountHistory(uow, member.id, 'account.temporary_password_issued', actorOf(p.auth), {});
        return member.id;
      },
      answer,
    }),
  };
}
