import type { CoreDeps } from '../engine/deps.js';
import { engineErrors } from '../engine/error-codes.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { SessionRevocationReason, SessionRevoker } from '../ports/session-revoker.js';
import { createPbkdf2Hasher, createSecretHasher, type SecretHasher } from '../security/index.js';
import { createLinkTokens, type LinkTokens } from '../security/link-tokens.js';
import { createOneTimeCodes, type OneTimeCodes } from '../security/one-time-codes.js';
import { checkPassword } from './password-policy.js';
import { resolveAccountPolicy, type AccountPolicy, type AccountPolicyOverrides } from './policy.js';
import {
  ACCOUNT_KIND,
  accountPrincipal,
  type AccountRecord,
  type OrganizationRecord,
  type PhonePrincipalRecord,
} from './store.js';
import { effectivePermissions, type Permission } from './permissions.js';
import type { AccountStatus } from './account-machine.js';
import type { Locale } from '../messages/locales.js';

/** Builds the links mailed to users. Default: `<publicBaseUrl>/activate?token=…` and `<publicBaseUrl>/reset-password?token=…`. */
export interface AccountLinks {
  activation(token: string): string;
  passwordReset(token: string): string;
}

/** Options of {@link createAccountService}. */
export interface AccountServiceOptions {
  /** Pepper for the HMAC of codes, tokens and temporary passwords. Required: without it every method throws CONFIGURATION_INVALID. */
  pepper: string | undefined;
  /** Default: PBKDF2-SHA-256, 600,000 iterations. */
  hasher?: PasswordHasher;
  /** Ends sessions after a password reset or change and when an account is disabled. Default: none. */
  sessionRevoker?: SessionRevoker;
  policy?: AccountPolicyOverrides;
  /** Base of the default links. Default `https://helpdesk.invalid`. */
  publicBaseUrl?: string;
  /** Overrides the link builder entirely. */
  links?: AccountLinks;
}

/** A public view of an account: no hashes, effective permissions. Frozen. */
export interface AccountView {
  id: string;
  kind: 'personal' | 'business';
  login: string;
  username: string;
  organizationId: string | null;
  email: string;
  phone: string | null;
  displayName: string;
  locale: Locale;
  status: AccountStatus;
  isMainAdmin: boolean;
  /** The permissions in force (every one for the main administrator). */
  permissions: Permission[];
  /** True while only a temporary password is set. */
  mustChangePassword: boolean;
  temporaryPasswordExpiresAt: number | null;
  /** True after a lost-factor recovery until the next login enrolled a new phone. */
  mustEnrolFactor: boolean;
  /** False after a recovery of a lost email address: password resets are not sent there. */
  emailVerified: boolean;
  createdAt: number;
  activatedAt: number | null;
  version: number;
}

export interface OrganizationView {
  id: string;
  slug: string;
  name: string;
  mainAdminAccountId: string;
  /** `admin@<slug>`. */
  mainAdminLogin: string;
  settings: { smsCodeForLogin: boolean };
  createdAt: number;
  version: number;
}

export interface PhonePrincipalView {
  phone: string;
  organizationId: string;
  permissions: Permission[];
  label: string | null;
  createdAt: number;
  version: number;
}

export function accountView(account: AccountRecord, version: number): AccountView {
  return Object.freeze({
    id: account.id,
    kind: account.kind,
    login: account.login,
    username: account.username,
    organizationId: account.organizationId,
    email: account.email,
    phone: account.phone,
    displayName: account.displayName,
    locale: account.locale,
    status: account.status,
    isMainAdmin: account.isMainAdmin,
    permissions: account.kind === 'business' ? effectivePermissions(accountPrincipal(account)) : [],
    mustChangePassword: account.mustChangePassword,
    temporaryPasswordExpiresAt: account.temporaryPasswordExpiresAt,
    mustEnrolFactor: account.mustEnrolFactor === true,
    emailVerified: account.emailVerified !== false,
    createdAt: account.createdAt,
    activatedAt: account.activatedAt,
    version,
  });
}

export function organizationView(org: OrganizationRecord, version: number): OrganizationView {
  return Object.freeze({
    id: org.id,
    slug: org.slug,
    name: org.name,
    mainAdminAccountId: org.mainAdminAccountId,
    mainAdminLogin: `admin@${org.slug}`,
    settings: { ...org.settings },
    createdAt: org.createdAt,
    version,
  });
}

export function phonePrincipalView(record: PhonePrincipalRecord, version: number): PhonePrincipalView {
  return Object.freeze({ ...record, permissions: [...record.permissions], version });
}

/** The secret-dependent parts, built once the pepper is known. */
interface Secrets {
  macs: SecretHasher;
  codes: OneTimeCodes;
  tokens: LinkTokens;
}

/** What every part of the account service shares. Internal. */
export function createAccountKit(deps: CoreDeps, options: AccountServiceOptions) {
  const policy: AccountPolicy = resolveAccountPolicy(options.policy ?? {});
  const hasher = options.hasher ?? createPbkdf2Hasher();
  const base = (options.publicBaseUrl ?? 'https://helpdesk.invalid').replace(/\/+$/, '');
  const links: AccountLinks = options.links ?? {
    activation: (token) => `${base}/activate?token=${encodeURIComponent(token)}`,
    passwordReset: (token) => `${base}/reset-password?token=${encodeURIComponent(token)}`,
  };
  let secrets: Secrets | null = null;

  /** The pepper-bound helpers; CONFIGURATION_INVALID without a pepper (never a constant fallback). */
  function configured(): Secrets {
    if (secrets) return secrets;
    if (typeof options.pepper !== 'string' || options.pepper.length === 0) {
      throw engineErrors.raise(
        'CONFIGURATION_INVALID',
        { field: 'secrets.pepper' },
        'secrets.pepper is required for accounts and login',
      );
    }
    const macs = createSecretHasher(options.pepper);
    secrets = { macs, codes: createOneTimeCodes(macs, deps.random), tokens: createLinkTokens(macs, deps.random) };
    return secrets;
  }

  /**
   * Checks a new password against the policy and the account's identifiers; a refusal is
   * INVALID_INPUT with `details.reason` (`too_short`, `too_long`, `equals_identifier`).
   */
  function requirePassword(password: string, identifiers: readonly string[]): void {
    const check = checkPassword(password, identifiers, {
      minLength: policy.passwordMinLength,
      maxLength: policy.passwordMaxLength,
    });
    if (check.ok) return;
    const messages = {
      too_short: `Expected a password of at least ${policy.passwordMinLength} characters.`,
      too_long: `Expected a password of at most ${policy.passwordMaxLength} characters.`,
      equals_identifier: 'Expected a password that differs from the username and email address.',
    } as const;
    const message = messages[check.reason];
    throw engineErrors.raise(
      'INVALID_INPUT',
      { field: 'password', reason: check.reason, issues: [{ code: 'custom', path: ['password'], message }] },
      `Invalid password: ${message}`,
    );
  }

  /** HMAC of a temporary password, bound to the account. */
  const temporaryPasswordMac = (accountId: string, password: string) =>
    configured().macs.hash('temporary_password', `${accountId}:${password}`);

  /**
   * Calls the SessionRevoker port after a committed change. A failure does not undo the change:
   * it is written to the account's history and reported as `false`.
   */
  async function revokeSessions(accountId: string, reason: SessionRevocationReason): Promise<boolean> {
    if (!options.sessionRevoker) return false;
    try {
      await options.sessionRevoker.revokeSessions(accountId, reason);
      return true;
    } catch (error) {
      await runCommand(
        deps.storage,
        () => deps.clock.now(),
        async (uow) => {
          uow.history({
            kind: ACCOUNT_KIND,
            id: accountId,
            at: uow.now,
            type: 'account.session_revocation_failed',
            actor: { role: 'system' },
            data: { reason, error: error instanceof Error ? error.message.slice(0, 200) : 'unknown error' },
          });
        },
      );
      return false;
    }
  }

  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>) =>
    runCommand(deps.storage, () => deps.clock.now(), handler);

  return {
    deps,
    policy,
    hasher,
    links,
    configured,
    requirePassword,
    temporaryPasswordMac,
    revokeSessions,
    run,
  };
}

export type AccountKit = ReturnType<typeof createAccountKit>;
