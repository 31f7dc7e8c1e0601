import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { formatDuration } from '../messages/duration.js';
import { randomPassword } from '../security/index.js';
import type { AccountKit } from './context.js';
import type { Permission } from './permissions.js';
import { LOGIN_CLAIM_KIND, claim, writeAccount, type AccountRecord, type OrganizationRecord } from './store.js';

/** The fields of a new business user that the caller chooses. */
export interface NewMember {
  id: string;
  username: string;
  email: string;
  phone: string | null;
  displayName: string;
  locale: AccountRecord['locale'];
  permissions: Permission[];
  isMainAdmin: boolean;
}

/**
 * A fresh temporary password for `account` (`login`, `id`, `email`, `locale`): returns the
 * fields to store (its HMAC and expiry, never the password) and queues the mail that carries it
 * in the same unit of work, so the password reaches the user exactly when the record commits.
 */
export async function issueTemporaryPassword(
  kit: AccountKit,
  uow: UnitOfWork,
  account: Pick<AccountRecord, 'id' | 'login' | 'email' | 'locale'>,
): Promise<Pick<AccountRecord, 'temporaryPasswordHash' | 'temporaryPasswordExpiresAt'>> {
  const { policy, deps } = kit;
  const password = randomPassword(deps.random, policy.temporaryPasswordLength);
  queueMessage(uow, deps.ids, 'email', account.email, 'business.temporary_password', account.locale, {
    login: account.login,
    password,
    expiresIn: formatDuration(policy.temporaryPasswordTtl, account.locale),
  });
  return {
    temporaryPasswordHash: await kit.temporaryPasswordMac(account.id, password),
    temporaryPasswordExpiresAt: uow.now + policy.temporaryPasswordTtl,
  };
}

/**
 * Creates an active business account `username@<slug>` with a temporary password (mailed) and
 * claims its login in the same commit, so two racing creations of one login cannot both win.
 */
export async function createMember(
  kit: AccountKit,
  uow: UnitOfWork,
  organization: OrganizationRecord,
  fields: NewMember,
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
    ...(await issueTemporaryPassword(kit, uow, { id: fields.id, login, email: fields.email, locale: fields.locale })),
    passwordChangedAt: null,
    activationTokenId: null,
    resetTokenId: null,
    createdAt: uow.now,
    updatedAt: uow.now,
    activatedAt: uow.now,
  };
  writeAccount(uow, account, true);
  claim(uow, LOGIN_CLAIM_KIND, login, { accountId: account.id });
  return account;
}
