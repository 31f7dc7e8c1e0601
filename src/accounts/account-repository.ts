import { accountLockoutKey, touchLockout } from '../security/lockout.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { AccountKit } from './context.js';
import { loadAccount } from './lookups.js';
import { dropResetSecrets } from './password-recovery.js';
import type { OneTimeCodes } from '../security/one-time-codes.js';
import type { Json } from '../ports/json.js';
import type { AccountPolicy } from './policy.js';
import { passwordInputSchema } from './schemas.js';
import {
  accountPrincipal,
  applyPasswordHash,
  findAccountById,
  findAccountByEmail,
  findAccountByLogin,
  findOrganizationById,
  findOrganizationBySlug,
  findPhonePrincipal,
  phonePrincipal,
  recordAccountHistory,
  recordPhoneHistory,
  writeAccount,
  type AccountRecord,
  type OrganizationRecord,
  type PhonePrincipalRecord,
  type Versioned,
} from './store.js';
import type { Principal } from './principal.js';
import type { SessionRevocationReason } from '../ports/session-revoker.js';

// The record types travel with the gateway, so login and recovery need no import of store.ts.
export type { AccountRecord, OrganizationRecord, PhonePrincipalRecord, Versioned } from './store.js';
export { credentialEpochOf } from './store.js';
export { dropResetSecrets } from './password-recovery.js';
export { canonicalIdentifier } from './identifiers.js';
export { parseLoginIdentifier, type LoginIdentifier } from './login-identifier.js';

/** What checking a temporary password says. */
export type TemporaryPasswordCheck = 'valid' | 'expired' | 'wrong' | 'none';

/**
 * The account gateway: the one way the login and recovery modules read and write accounts,
 * organisations and phone principals (they never touch the accounts module's storage layout).
 * Not exported publicly; the composition root hands it from `createAccountService(...).repository`
 * to the login and recovery services. Every function throws CONFIGURATION_INVALID without a pepper.
 */
export interface AccountRepository {
  readonly policy: Readonly<AccountPolicy>;
  /** One-time codes bound to the pepper: use purpose `login` for login codes. */
  codes(): OneTimeCodes;
  /** The account behind `alice` or `bob@acme` (canonicalised), or null (also for malformed input). */
  findAccountByLogin(identifier: string, uow?: UnitOfWork): Promise<Versioned<AccountRecord> | null>;
  /** The personal account with that email address (canonicalised), or null (also for a malformed one). */
  findAccountByEmail(email: string, uow?: UnitOfWork): Promise<Versioned<AccountRecord> | null>;
  findAccountById(accountId: string, uow?: UnitOfWork): Promise<Versioned<AccountRecord> | null>;
  /** The organisation, with `settings.smsCodeForLogin`. */
  findOrganizationById(organizationId: string, uow?: UnitOfWork): Promise<Versioned<OrganizationRecord> | null>;
  findOrganizationBySlug(slug: string, uow?: UnitOfWork): Promise<Versioned<OrganizationRecord> | null>;
  /** The phone principal of a number in any accepted Hungarian format (E.164 lookup), or null. */
  findPhonePrincipal(phone: string, uow?: UnitOfWork): Promise<Versioned<PhonePrincipalRecord> | null>;
  /** Checks a password against `account.passwordHash` with the configured PasswordHasher (false when none is set). */
  verifyPassword(account: AccountRecord, password: string): Promise<boolean>;
  /**
   * Checks a temporary password (HMAC, constant-time). `expired` only for the right password
   * past `temporaryPasswordExpiresAt`. A valid one may only lead to `setPassword`.
   */
  verifyTemporaryPassword(account: AccountRecord, password: string, now?: number): Promise<TemporaryPasswordCheck>;
  /**
   * Sets a new password in its own command: checks the policy (INVALID_INPUT with the reason;
   * also refuses the temporary password itself), hashes it, ends the temporary-password state,
   * writes history, mails `password.changed`, then revokes sessions unless
   * `revokeSessions: false` (a forced change at first login has none to revoke).
   */
  setPassword(input: {
    accountId: string;
    newPassword: string;
    reason: 'forced_change' | 'change';
    revokeSessions?: boolean;
  }): Promise<{ sessionsRevoked: boolean }>;
  /**
   * Checks a new password against the length policy and hashes it with the configured
   * PasswordHasher, outside any unit of work (so a command's retries do not hash again).
   * INVALID_INPUT with `details.reason` (`too_short`, `too_long`) when it breaks the policy.
   */
  hashNewPassword(newPassword: string): Promise<string>;
  /**
   * The part of `setPassword` that runs inside the caller's unit of work, so the caller's
   * other writes (e.g. the login flow) guard the change and commit with it: refuses a password
   * equal to an identifier or the temporary password (INVALID_INPUT with the reason, nothing
   * written), stores `passwordHash` (from `hashNewPassword`), ends the temporary-password state,
   * writes history and queues `password.changed`. Revokes no session. Returns the account as
   * written (the unit of work still reads the version it loaded).
   */
  setPasswordIn(
    uow: UnitOfWork,
    input: { accountId: string; newPassword: string; passwordHash: string; reason: 'forced_change' | 'change' },
  ): Promise<AccountRecord>;
  /**
   * Runs the configured PasswordHasher against a fixed dummy hash and returns false: the login
   * module calls it for an unknown identifier (or an account without a password hash) so that
   * a wrong password costs the same time whether or not the account exists.
   */
  verifyDummyPassword(password: string): Promise<false>;
  /**
   * A pepper-keyed HMAC of `value` under `lookup:<purpose>`, for record ids that must not hold
   * what a user typed in clear (e.g. the lockout record of an unknown login identifier).
   */
  lookupKey(purpose: string, value: string): Promise<string>;
  /**
   * Calls the SessionRevoker port after a committed change; false when none is configured or
   * it failed (the failure is written to the account's history). Used by the recovery module.
   */
  revokeSessions(accountId: string, reason: SessionRevocationReason): Promise<boolean>;
  /** The principal of an account / a phone number, for the AuthContext. */
  accountPrincipal(account: AccountRecord): Principal;
  phonePrincipal(record: PhonePrincipalRecord): Principal;
  /**
   * Writes an account the unit of work loaded (through this gateway), with its indexes. A later
   * lookup in the same unit of work reads what was written.
   */
  updateAccount(uow: UnitOfWork, account: AccountRecord): void;
  /** Appends an entry to an account's history (never a secret in `data`). */
  recordAccountHistory(uow: UnitOfWork, accountId: string, type: string, actor: Json, data: Json): void;
  /** Appends an entry to a phone principal's history. */
  recordPhoneHistory(uow: UnitOfWork, phone: string, type: string, actor: Json, data: Json): void;
  /** Whether the configured PasswordHasher's optional `needsRehash` asks for a new hash of `account.passwordHash`. Default false. */
  passwordNeedsRehash(account: AccountRecord): boolean;
  /**
   * Hashes a password the caller just verified with the configured PasswordHasher, without the
   * length policy (an old password stays valid), outside any unit of work (callers memoise it).
   */
  rehashPassword(password: string): Promise<string>;
  /**
   * Stores `passwordHash` (from `rehashPassword`) on the account in `uow`, same password, so
   * `passwordChangedAt`, sessions and mail stay; history `account.password_rehashed` with the schemes only.
   */
  upgradePasswordHash(uow: UnitOfWork, account: AccountRecord, passwordHash: string): AccountRecord;
}

/** The scheme at the start of a stored hash (`pbkdf2-sha256`, `argon2id`), for history; never the hash. */
function hashScheme(stored: string | null): string {
  const scheme = stored?.split('$').find((part) => part !== '') ?? '';
  return /^[a-z0-9-]{1,32}$/.test(scheme) ? scheme : 'unknown';
}

/** Builds the account gateway over the service's kit (one per account service). */
export function createAccountRepository(kit: AccountKit): AccountRepository {
  const { deps, hasher } = kit;
  const reader = (uow?: UnitOfWork) => uow ?? deps.storage;
  const guard = () => void kit.configured();
  let dummyHash: Promise<string> | null = null;

  /** Checks the identifier and temporary-password rules, then writes the new hash, history and mail into `uow`. */
  async function writeNewPassword(
    uow: UnitOfWork,
    input: { accountId: string; newPassword: string; passwordHash: string; reason: 'forced_change' | 'change' },
  ): Promise<AccountRecord> {
    const { codes } = kit.configured();
    const { newPassword, passwordHash } = input;
    const account = (await loadAccount(uow, input.accountId)).value;
    kit.requirePassword(newPassword, [account.username, account.login, account.email]);
    await kit.requireNotTemporary(account, newPassword);
    // A reset code asked for before the change dies with it, as the reset link does.
    const updated = applyPasswordHash(await dropResetSecrets(uow, account, codes), passwordHash, uow.now);
    writeAccount(uow, updated);
    // Orders this change with a login step of the account completing at the same moment: one of
    // the two commits loses and re-runs, and the login then sees the credential epoch moved.
    await touchLockout(uow, accountLockoutKey(account.id));
    recordAccountHistory(
      uow,
      account.id,
      'account.password_changed',
      { role: 'account', id: account.id },
      {
        reason: input.reason,
      },
    );
    queueMessage(uow, deps.ids, 'email', account.email, 'password.changed', account.locale, {
      name: account.displayName || account.login, // greets by display name, else the login
    });
    return updated;
  }

  return {
    policy: kit.policy,
    codes: () => kit.configured().codes,
    async findAccountByEmail(email, uow) {
      guard();
      return findAccountByEmail(reader(uow), email);
    },
    async findAccountByLogin(identifier, uow) {
      guard();
      return findAccountByLogin(reader(uow), identifier);
    },
    async findAccountById(accountId, uow) {
      guard();
      return findAccountById(reader(uow), accountId);
    },
    async findOrganizationById(organizationId, uow) {
      guard();
      return findOrganizationById(reader(uow), organizationId);
    },
    async findOrganizationBySlug(slug, uow) {
      guard();
      return findOrganizationBySlug(reader(uow), slug);
    },
    async findPhonePrincipal(phone, uow) {
      guard();
      return findPhonePrincipal(reader(uow), phone);
    },
    async verifyPassword(account, password) {
      guard();
      if (account.passwordHash === null || typeof password !== 'string') return false;
      return hasher.verify(password, account.passwordHash);
    },
    async verifyTemporaryPassword(account, password, now = deps.clock.now()) {
      const { macs } = kit.configured();
      if (account.temporaryPasswordHash === null || typeof password !== 'string') return 'none';
      const matches = await macs.verify(
        'temporary_password',
        `${account.id}:${password}`,
        account.temporaryPasswordHash,
      );
      if (!matches) return 'wrong';
      return account.temporaryPasswordExpiresAt !== null && now >= account.temporaryPasswordExpiresAt
        ? 'expired'
        : 'valid';
    },
    async setPassword(input) {
      kit.configured();
      const newPassword = parseInput(passwordInputSchema, input.newPassword, 'password');
      kit.requirePassword(newPassword, []);
      const passwordHash = await hasher.hash(newPassword);
      const { id: accountId } = await kit.run((uow) => writeNewPassword(uow, { ...input, newPassword, passwordHash }));
      const revoke = input.revokeSessions ?? input.reason !== 'forced_change';
      return { sessionsRevoked: revoke ? await kit.revokeSessions(accountId, 'password_changed') : false };
    },
    async hashNewPassword(newPassword) {
      guard();
      const parsed = parseInput(passwordInputSchema, newPassword, 'password');
      kit.requirePassword(parsed, []);
      return hasher.hash(parsed);
    },
    async setPasswordIn(uow, input) {
      guard();
      return writeNewPassword(uow, input);
    },
    async verifyDummyPassword(password) {
      guard();
      // A random password nobody knows, hashed once per service with the configured hasher.
      dummyHash ??= hasher.hash(`dummy:${deps.ids.next('dummy_')}`);
      await hasher.verify(typeof password === 'string' ? password : '', await dummyHash);
      return false;
    },
    async lookupKey(purpose, value) {
      return kit.configured().macs.hash(`lookup:${purpose}`, value);
    },
    revokeSessions: (accountId, reason) => kit.revokeSessions(accountId, reason),
    accountPrincipal,
    phonePrincipal,
    updateAccount: (uow, account) => writeAccount(uow, account),
    recordAccountHistory,
    recordPhoneHistory,
    passwordNeedsRehash: (account) =>
      account.passwordHash !== null && (hasher.needsRehash?.(account.passwordHash) ?? false),
    // A hash the hasher cannot verify is never stored: a broken host hasher would lock the owner out.
    // `async`: a hasher that throws synchronously rejects like one that rejects.
    async rehashPassword(password) {
      const fresh = await hasher.hash(password);
      if (!(await hasher.verify(password, fresh))) throw new Error('the new hash does not verify');
      return fresh;
    },
    upgradePasswordHash(uow, account, passwordHash) {
      const updated = { ...account, passwordHash, updatedAt: uow.now };
      writeAccount(uow, updated);
      const schemes = { from: hashScheme(account.passwordHash), to: hashScheme(passwordHash) };
      recordAccountHistory(uow, account.id, 'account.password_rehashed', { role: 'account', id: account.id }, schemes);
      return updated;
    },
  };
}
