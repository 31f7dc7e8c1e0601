import type { CoreDeps } from '../engine/deps.js';
import { commonErrors } from '../errors.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { SessionRevocationReason, SessionRevoker } from '../ports/session-revoker.js';
import { createPbkdf2Hasher, createSecretHasher, type SecretHasher } from '../security/index.js';
import { createLinkTokens, type LinkTokens } from '../security/link-tokens.js';
import { createOneTimeCodes, type OneTimeCodes } from '../security/one-time-codes.js';
import { forgetDevices } from '../sessions/devices.js';
import { revokeAccountSessions } from '../sessions/revocation.js';
import { checkPassword, foldedBlocklist } from './password-policy.js';
import { resolveAccountPolicy, type AccountPolicy, type AccountPolicyOverrides } from './policy.js';
import { recordAccountHistory } from './store.js';

/** Builds the links mailed to users. Default: `<publicBaseUrl>/activate?token=…` and `<publicBaseUrl>/reset-password?token=…`. */
export interface AccountLinks {
  /** Must return the absolute activation URL that carries `token`, which the host passes to `accounts.activate`. */
  activation(token: string): string;
  /** Must return the absolute password-reset URL that carries `token`, which the host passes to `accounts.resetPassword`. */
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

/** The secret-dependent parts, built once the pepper is known. */
export interface AccountSecrets {
  macs: SecretHasher;
  codes: OneTimeCodes;
  tokens: LinkTokens;
}

/** What every part of the account service shares: deps, policy, secrets and the command runner. Internal. */
export interface AccountKit {
  readonly deps: CoreDeps;
  readonly policy: AccountPolicy;
  readonly hasher: PasswordHasher;
  readonly links: AccountLinks;
  /** The pepper-bound helpers; must be called first by every command: CONFIGURATION_INVALID without a pepper. */
  configured(): AccountSecrets;
  /** INVALID_INPUT with `details.reason` when `password` breaks the policy or equals one of `identifiers`. */
  requirePassword(password: string, identifiers: readonly string[]): void;
  /** HMAC of a temporary password, bound to the account. */
  temporaryPasswordMac(accountId: string, password: string): Promise<string>;
  /**
   * INVALID_INPUT (`equals_temporary`) when `password` is the account's outstanding temporary
   * password in any spelling NFKC makes equal (the password hasher compares NFKC forms): a
   * temporary password is usable once, only to set a new one, never as the new one.
   */
  requireNotTemporary(account: { id: string; temporaryPasswordHash: string | null }, password: string): Promise<void>;
  /**
   * Ends the account's library sessions (`desk.sessions`), then calls the SessionRevoker port;
   * answers the port's part: false when none is configured or it failed (written to history).
   */
  revokeSessions(accountId: string, reason: SessionRevocationReason): Promise<boolean>;
  /** Runs `handler` as one command (one unit of work, committed atomically, retried on a version conflict). */
  run<T>(handler: (uow: UnitOfWork) => Promise<T>): Promise<T>;
}

/** Builds the {@link AccountKit} once per service. */
export function createAccountKit(deps: CoreDeps, options: AccountServiceOptions): AccountKit {
  const policy: AccountPolicy = resolveAccountPolicy(options.policy ?? {});
  const hasher = options.hasher ?? createPbkdf2Hasher();
  const base = (options.publicBaseUrl ?? 'https://helpdesk.invalid').replace(/\/+$/, '');
  const links: AccountLinks = options.links ?? {
    activation: (token) => `${base}/activate?token=${encodeURIComponent(token)}`,
    passwordReset: (token) => `${base}/reset-password?token=${encodeURIComponent(token)}`,
  };
  let secrets: AccountSecrets | null = null;

  // Every command runs in one unit of work: its reads guard its writes, and everything it
  // writes (records, history, outbox) commits at once or not at all, retried on a conflict.
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>) =>
    runCommand(deps.storage, () => deps.clock.now(), handler);

  /** The pepper-bound helpers; CONFIGURATION_INVALID without a pepper (never a constant fallback). */
  function configured(): AccountSecrets {
    if (secrets) return secrets;
    if (typeof options.pepper !== 'string' || options.pepper.length === 0) {
      throw commonErrors.raise(
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
   * INVALID_INPUT with `details.reason` (`too_short`, `too_long`, `equals_identifier`, `too_common`).
   */
  /** The host's blocklist folded once, at the first password check. */
  let blocked: ReadonlySet<string> | undefined;

  function requirePassword(password: string, identifiers: readonly string[]): void {
    const check = checkPassword(
      password,
      identifiers,
      { minLength: policy.passwordMinLength, maxLength: policy.passwordMaxLength },
      (blocked ??= foldedBlocklist(policy.passwordBlocklist)),
    );
    if (check.ok) return;
    const messages = {
      too_short: `Expected a password of at least ${policy.passwordMinLength} characters.`,
      too_long: `Expected a password of at most ${policy.passwordMaxLength} characters.`,
      equals_identifier: 'Expected a password that differs from the username and email address.',
      too_common: 'Expected a password that is not among the most common or expected ones.',
    } as const;
    const message = messages[check.reason];
    throw commonErrors.raise(
      'INVALID_INPUT',
      { field: 'password', reason: check.reason, issues: [{ code: 'custom', path: ['password'], message }] },
      `Invalid password: ${message}`,
    );
  }

  /** HMAC of a temporary password, bound to the account. */
  const temporaryPasswordMac = (accountId: string, password: string) =>
    configured().macs.hash('temporary_password', `${accountId}:${password}`);

  async function requireNotTemporary(
    account: { id: string; temporaryPasswordHash: string | null },
    password: string,
  ): Promise<void> {
    if (account.temporaryPasswordHash === null) return;
    const { macs } = configured();
    // Issued temporary passwords are ASCII, which NFKC leaves alone: comparing both forms is enough.
    const spellings = new Set([password, password.normalize('NFKC')]);
    let equal = false;
    for (const spelling of spellings)
      equal =
        (await macs.verify('temporary_password', `${account.id}:${spelling}`, account.temporaryPasswordHash)) || equal;
    if (!equal) return;
    const message = 'Expected a new password, not the temporary one.';
    throw commonErrors.raise(
      'INVALID_INPUT',
      { field: 'password', reason: 'equals_temporary', issues: [{ code: 'custom', path: ['newPassword'], message }] },
      `Invalid password: ${message}`,
    );
  }

  /**
   * Ends the library's sessions of the account, then calls the SessionRevoker port, after a
   * committed change. A port failure does not undo the change: it is written to the account's
   * history and reported as `false`.
   */
  async function revokeSessions(accountId: string, reason: SessionRevocationReason): Promise<boolean> {
    // Commands that can end them in their own commit already did; this catches the others. A
    // remembered device ends with them: a changed password or a disabled account trusts no old device.
    await run(async (uow) => {
      await revokeAccountSessions(uow, accountId, reason);
      await forgetDevices(uow, accountId, reason);
    });
    if (!options.sessionRevoker) return false;
    try {
      await options.sessionRevoker.revokeSessions(accountId, reason);
      return true;
    } catch (error) {
      await run(async (uow) => {
        recordAccountHistory(
          uow,
          accountId,
          'account.session_revocation_failed',
          { role: 'system' },
          { reason, error: error instanceof Error ? error.message.slice(0, 200) : 'unknown error' },
        );
      });
      return false;
    }
  }

  return {
    deps,
    policy,
    hasher,
    links,
    configured,
    requirePassword,
    temporaryPasswordMac,
    requireNotTemporary,
    revokeSessions,
    run,
  };
}
