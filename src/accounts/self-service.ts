import { queueMessage } from '../engine/notify.js';
import { restoreSnapshot, stepMachine } from '../engine/machine-step.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import { accountStatusMachine, type AccountStatus } from './account-machine.js';
import type { AccountKit } from './context.js';
import { tokenFailure, type TokenFailure } from './error-codes.js';
import { emailSchema } from './identifiers.js';
import { addHit, clearHits, recentHits, takeRate } from '../security/rate-limiter.js';
import {
  activateSchema,
  registerSchema,
  requestPasswordResetSchema,
  resendActivationSchema,
  resetPasswordSchema,
  usernameReminderSchema,
  type ActivateInput,
  type RegisterInput,
  type RequestPasswordResetInput,
  type ResendActivationInput,
  type ResetPasswordInput,
  type UsernameReminderInput,
} from './schemas.js';
import type { SecretOutcome } from '../security/secret-machine.js';
import {
  ACCOUNT_KIND,
  EMAIL_CLAIM_KIND,
  LOGIN_CLAIM_KIND,
  applyPasswordHash,
  claim,
  findAccountById,
  findAccountByLogin,
  findAccountsByEmail,
  writeAccount,
  type AccountRecord,
  type Versioned,
} from './store.js';

/**
 * The answer of every request that must not reveal whether an account exists (register,
 * activation re-send, password reset request, username reminder): always this, deep-equal.
 */
export interface AcceptedResponse {
  accepted: true;
}

const ACCEPTED = (): AcceptedResponse => ({ accepted: true });

export type ActivateResult = { ok: true; accountId: string; login: string } | TokenFailure;
export type ResetPasswordResult =
  { ok: true; accountId: string; login: string; sessionsRevoked: boolean } | TokenFailure;

const HOUR = 3_600_000;
const MINUTE = 60_000;

function failureOf(outcome: Exclude<SecretOutcome, 'accepted'>): TokenFailure {
  switch (outcome) {
    case 'expired':
      return tokenFailure('TOKEN_EXPIRED');
    case 'used':
      return tokenFailure('TOKEN_USED');
    case 'too_many_attempts':
      return tokenFailure('TOO_MANY_ATTEMPTS');
    default:
      return tokenFailure('TOKEN_INVALID');
  }
}

const anonymous = { role: 'anonymous' } as const;

/** Rate-window key of an account's wrong reset codes (rolling, across requests; cleared by a reset). */
const resetCodeFailuresKey = (accountId: string) => `password_reset_code_failures:${accountId}`;
/** Rate-window key of the reset SMS sent to one number, whichever account asked. */
const resetSmsKey = (phone: string) => `password_reset_sms:${phone}`;

export function createSelfService(kit: AccountKit) {
  const { deps, policy, hasher, links } = kit;
  const { ids } = deps;

  function historyOn(
    uow: UnitOfWork,
    accountId: string,
    type: string,
    data: Record<string, string | number | boolean | null> = {},
    actor: Record<string, string> = anonymous,
  ) {
    uow.history({ kind: ACCOUNT_KIND, id: accountId, at: uow.now, type, actor, data });
  }

  function stepStatus(account: AccountRecord, type: 'activate' | 'disable' | 'enable', at: number) {
    const snapshot = restoreSnapshot(accountStatusMachine, {
      value: account.status,
      context: { isMainAdmin: account.isMainAdmin },
    });
    const result = stepMachine(accountStatusMachine, snapshot, { type, at });
    return { accepted: result.accepted, status: result.snapshot.value as AccountStatus, effects: result.effects };
  }

  /** The one account an identifier names: a login id, or an email address that belongs to exactly one account. */
  async function resolveIdentifier(
    uow: UnitOfWork,
    identifier: string,
  ): Promise<{ account: Versioned<AccountRecord> | null; sameEmail: AccountRecord[] }> {
    const byLogin = await findAccountByLogin(uow, identifier);
    if (byLogin) return { account: byLogin, sameEmail: [] };
    const email = emailSchema.safeParse(identifier);
    if (!email.success) return { account: null, sameEmail: [] };
    const matches = await findAccountsByEmail(deps.storage, email.data);
    if (matches.length === 1) return { account: await findAccountById(uow, matches[0]!.id), sameEmail: matches };
    return { account: null, sameEmail: matches };
  }

  async function issueActivation(uow: UnitOfWork, account: AccountRecord): Promise<AccountRecord> {
    const { tokens } = kit.configured();
    await tokens.supersede(uow, account.activationTokenId);
    const issued = await tokens.issue(uow, 'activation', account.id, policy.activationTtl);
    queueMessage(uow, ids, 'email', account.email, 'account.activation', account.locale, {
      username: account.username,
      link: links.activation(issued.token),
      expiresInHours: Math.round(policy.activationTtl / HOUR),
    });
    return { ...account, activationTokenId: issued.id, updatedAt: uow.now };
  }

  /** Mails the usernames tied to an address (at most `requestsPerWindow` per window and address). */
  async function remindUsernames(uow: UnitOfWork, email: string, accounts: readonly AccountRecord[]): Promise<void> {
    const live = accounts.filter((a) => a.status !== 'disabled');
    const first = live[0];
    if (!first) return;
    if (
      !(await takeRate(uow, `username_reminder:${first.id}`, {
        limit: policy.requestsPerWindow,
        windowMs: policy.requestWindow,
      }))
    )
      return;
    queueMessage(uow, ids, 'email', email, 'username.reminder', first.locale, {
      usernames: live.map((a) => a.login).join('\n'),
    });
    for (const account of live) historyOn(uow, account.id, 'account.username_reminder_sent');
  }

  return {
    /**
     * Registers a personal account that cannot log in until activated, and mails the activation
     * link (24 h, single use). The answer is `{ accepted: true }` whether or not the username or
     * the email is taken; when the email already has an account, its owner is mailed instead.
     * Bad input (email, username, password outside the policy) is INVALID_INPUT and stores nothing.
     */
    async register(input: RegisterInput): Promise<AcceptedResponse> {
      kit.configured();
      const p = parseInput(registerSchema, input, 'registration');
      kit.requirePassword(p.password, [p.username, p.email]);
      // Hashed on every path, so a taken username does not answer faster.
      const passwordHash = await hasher.hash(p.password);
      await kit.run(async (uow) => {
        const emailClaim = await uow.load(EMAIL_CLAIM_KIND, p.email);
        const loginClaim = await uow.load(LOGIN_CLAIM_KIND, p.username);
        if (emailClaim) {
          const owner = await findAccountById(uow, (emailClaim.state as { accountId: string }).accountId);
          if (owner) {
            queueMessage(uow, ids, 'email', owner.value.email, 'account.already_registered', owner.value.locale, {
              username: owner.value.login,
            });
            historyOn(uow, owner.value.id, 'account.registration_attempted', { collision: 'email' });
          }
          return;
        }
        if (loginClaim) {
          // The registrant hears it at the address they gave; the answer itself stays uniform.
          queueMessage(uow, ids, 'email', p.email, 'account.username_unavailable', p.locale ?? deps.locale, {
            username: p.username,
          });
          historyOn(uow, (loginClaim.state as { accountId: string }).accountId, 'account.registration_attempted', {
            collision: 'username',
          });
          return;
        }
        const id = ids.next('acc_');
        let account: AccountRecord = {
          id,
          kind: 'personal',
          username: p.username,
          login: p.username,
          organizationId: null,
          email: p.email,
          phone: p.phone ?? null,
          displayName: p.displayName,
          locale: p.locale ?? deps.locale,
          status: 'pending_activation',
          isMainAdmin: false,
          permissions: [],
          passwordHash,
          mustChangePassword: false,
          temporaryPasswordHash: null,
          temporaryPasswordExpiresAt: null,
          passwordChangedAt: uow.now,
          activationTokenId: null,
          resetTokenId: null,
          createdAt: uow.now,
          updatedAt: uow.now,
          activatedAt: null,
        };
        account = await issueActivation(uow, account);
        writeAccount(uow, account, true);
        claim(uow, LOGIN_CLAIM_KIND, p.username, { accountId: id });
        claim(uow, EMAIL_CLAIM_KIND, p.email, { accountId: id });
        historyOn(uow, id, 'account.registered', {
          kind: 'personal',
          locale: account.locale,
          withPhone: account.phone !== null,
        });
      });
      return ACCEPTED();
    },

    /**
     * Follows an activation link: the account becomes active and the link is used up.
     * Returns `{ ok: false, code }` with TOKEN_INVALID (unknown, replaced), TOKEN_EXPIRED or TOKEN_USED.
     */
    async activate(input: ActivateInput): Promise<ActivateResult> {
      const { tokens } = kit.configured();
      const p = parseInput(activateSchema, input, 'activation');
      return kit.run(async (uow): Promise<ActivateResult> => {
        const submitted = await tokens.submit(uow, 'activation', p.token);
        if (submitted.outcome !== 'accepted') return failureOf(submitted.outcome);
        const found = submitted.accountId ? await findAccountById(uow, submitted.accountId) : null;
        if (!found) return tokenFailure('TOKEN_INVALID');
        const step = stepStatus(found.value, 'activate', uow.now);
        if (!step.accepted) return tokenFailure('TOKEN_INVALID');
        writeAccount(uow, {
          ...found.value,
          status: step.status,
          activatedAt: uow.now,
          activationTokenId: null,
          updatedAt: uow.now,
        });
        historyOn(uow, found.value.id, 'account.activated', {}, { role: 'account', id: found.value.id });
        return { ok: true, accountId: found.value.id, login: found.value.login };
      });
    },

    /**
     * Mails a new activation link to an account still waiting for activation and invalidates the
     * previous link. `identifier` is the username or the email. Uniform answer; at most
     * `requestsPerWindow` per account and window, further ones dropped silently.
     */
    async resendActivation(input: ResendActivationInput): Promise<AcceptedResponse> {
      kit.configured();
      const p = parseInput(resendActivationSchema, input, 'activation re-send');
      await kit.run(async (uow) => {
        const { account } = await resolveIdentifier(uow, p.identifier);
        if (!account || account.value.status !== 'pending_activation') return;
        if (
          !(await takeRate(uow, `activation:${account.value.id}`, {
            limit: policy.requestsPerWindow,
            windowMs: policy.requestWindow,
          }))
        )
          return;
        writeAccount(uow, await issueActivation(uow, account.value));
        historyOn(uow, account.value.id, 'account.activation_resent');
      });
      return ACCEPTED();
    },

    /**
     * Sends a password reset to the address on record: by `email` a single-use link (1 h,
     * default) or a code, by `sms` a 6-digit code (5 min, 5 wrong tries) to the account's phone.
     * `identifier` is a login (`alice`, `bob@acme`) or an email; an email shared by several
     * accounts gets the username reminder instead, so the user can ask again by login.
     * The answer is uniform; nothing is sent for unknown or disabled accounts, accounts without
     * a phone (SMS), by SMS to an account never activated, beyond `requestsPerWindow` requests
     * per account and window, or beyond `resetSmsPerNumber` SMS per number and `resetSmsWindow`.
     * After `resetCodeMaxFailures` wrong codes within `resetCodeFailureWindow` no code is issued
     * (an email request gets the link instead). Never blocked by login lockout.
     */
    async requestPasswordReset(input: RequestPasswordResetInput): Promise<AcceptedResponse> {
      const { codes, tokens } = kit.configured();
      const p = parseInput(requestPasswordResetSchema, input, 'password reset request');
      const requested = p.channel === 'sms' ? 'code' : (p.method ?? 'link');
      await kit.run(async (uow) => {
        const { account: found, sameEmail } = await resolveIdentifier(uow, p.identifier);
        if (!found) {
          if (sameEmail.length > 1) await remindUsernames(uow, sameEmail[0]!.email, sameEmail);
          return;
        }
        let account = found.value;
        if (account.status === 'disabled') return;
        if (p.channel === 'sms' && account.phone === null) return;
        // Nobody has shown that the phone of a never-activated account is theirs: no SMS (SMS pumping).
        if (p.channel === 'sms' && account.status === 'pending_activation') return;
        // A recovery of a lost mailbox marked the address unverified: resets no longer go there.
        if (p.channel === 'email' && account.emailVerified === false) return;
        if (
          !(await takeRate(uow, `password_reset:${account.id}`, {
            limit: policy.requestsPerWindow,
            windowMs: policy.requestWindow,
          }))
        )
          return;
        // Wrong reset codes are counted per account across requests: at the cap no code is
        // issued (email gets the link instead, SMS nothing), and a code near the cap allows only
        // the guesses left, so there are at most `resetCodeMaxFailures` per window.
        let method = requested;
        let maxAttempts = policy.codeMaxAttempts;
        if (method === 'code') {
          const failures = await recentHits(uow, resetCodeFailuresKey(account.id), policy.resetCodeFailureWindow);
          const left = policy.resetCodeMaxFailures - failures.length;
          if (left <= 0 && p.channel === 'sms') return;
          if (left <= 0) method = 'link';
          else maxAttempts = Math.min(maxAttempts, left);
        }
        if (
          p.channel === 'sms' &&
          !(await takeRate(uow, resetSmsKey(account.phone!), {
            limit: policy.resetSmsPerNumber,
            windowMs: policy.resetSmsWindow,
          }))
        )
          return;
        // A new request replaces every earlier reset secret of the account.
        await tokens.supersede(uow, account.resetTokenId);
        await codes.revoke(uow, 'password_reset', account.id);
        account = { ...account, resetTokenId: null, updatedAt: uow.now };
        if (method === 'link') {
          const issued = await tokens.issue(uow, 'password_reset', account.id, policy.resetLinkTtl);
          account = { ...account, resetTokenId: issued.id };
          queueMessage(uow, ids, 'email', account.email, 'password.reset_link', account.locale, {
            link: links.passwordReset(issued.token),
            expiresInMinutes: Math.round(policy.resetLinkTtl / MINUTE),
          });
        } else {
          const issued = await codes.issue(uow, {
            purpose: 'password_reset',
            subject: account.id,
            ttlMs: policy.resetCodeTtl,
            digits: policy.codeDigits,
            maxAttempts,
          });
          const to = p.channel === 'sms' ? account.phone! : account.email;
          queueMessage(uow, ids, p.channel, to, 'password.reset_code', account.locale, {
            code: issued.code,
            expiresInMinutes: Math.round(policy.resetCodeTtl / MINUTE),
          });
        }
        writeAccount(uow, account);
        historyOn(uow, account.id, 'account.password_reset_requested', { channel: p.channel, method });
      });
      return ACCEPTED();
    },

    /**
     * Sets a new password with a reset link token (`{ token, newPassword }`) or a reset code
     * (`{ identifier, code, newPassword }`). The secret is consumed in the same commit as the
     * new password, so of two racing submissions exactly one wins; the other gets TOKEN_USED.
     * Then sessions are revoked through the SessionRevoker port and the owner is mailed.
     * The second factor and the organisation's SMS setting are untouched, and no session is
     * created: the user logs in normally afterwards. A new password outside the policy is
     * INVALID_INPUT and consumes nothing.
     */
    async resetPassword(input: ResetPasswordInput): Promise<ResetPasswordResult> {
      const { codes, tokens } = kit.configured();
      const p = parseInput(resetPasswordSchema, input, 'password reset');
      kit.requirePassword(p.newPassword, []);
      const passwordHash = await hasher.hash(p.newPassword);
      const outcome = await kit.run(async (uow): Promise<ResetPasswordResult> => {
        let found: Versioned<AccountRecord> | null;
        let via: 'link' | 'code';
        if ('token' in p) {
          via = 'link';
          const submitted = await tokens.submit(uow, 'password_reset', p.token);
          if (submitted.outcome !== 'accepted') return failureOf(submitted.outcome);
          found = submitted.accountId ? await findAccountById(uow, submitted.accountId) : null;
        } else {
          via = 'code';
          found = (await resolveIdentifier(uow, p.identifier)).account;
          const check = await codes.verify(uow, {
            purpose: 'password_reset',
            subject: found?.value.id ?? `unknown:${p.identifier}`,
            code: p.code,
          });
          if (check.outcome !== 'accepted') {
            if (found && check.counted)
              await addHit(uow, resetCodeFailuresKey(found.value.id), policy.resetCodeFailureWindow);
            return failureOf(check.outcome);
          }
        }
        if (!found || found.value.status === 'disabled') return tokenFailure('TOKEN_INVALID');
        const account = found.value;
        kit.requirePassword(p.newPassword, [account.username, account.login, account.email]);
        // Every other outstanding reset secret dies with this one.
        if (via === 'code') await tokens.supersede(uow, account.resetTokenId);
        else await codes.revoke(uow, 'password_reset', account.id);
        await clearHits(uow, resetCodeFailuresKey(account.id));
        writeAccount(uow, applyPasswordHash(account, passwordHash, uow.now));
        historyOn(uow, account.id, 'account.password_reset', { via }, { role: 'account', id: account.id });
        queueMessage(uow, ids, 'email', account.email, 'password.changed', account.locale, { username: account.login });
        return { ok: true, accountId: account.id, login: account.login, sessionsRevoked: false };
      });
      if (!outcome.ok) return outcome;
      return { ...outcome, sessionsRevoked: await kit.revokeSessions(outcome.accountId, 'password_reset') };
    },

    /** Mails the logins tied to an email address there. Uniform answer; rate-limited per address. */
    async requestUsernameReminder(input: UsernameReminderInput): Promise<AcceptedResponse> {
      kit.configured();
      const p = parseInput(usernameReminderSchema, input, 'username reminder');
      const accounts = await findAccountsByEmail(deps.storage, p.email);
      await kit.run(async (uow) => {
        await remindUsernames(uow, p.email, accounts);
      });
      return ACCEPTED();
    },

    /** Internal: the status machine step, shared with the organisation commands. */
    stepStatus,
  };
}

export type SelfService = ReturnType<typeof createSelfService>;
