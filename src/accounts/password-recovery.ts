import { accountLockoutKey, clearLockout } from '../security/lockout.js';
import { queueMessage } from '../engine/notify.js';
import { formatDuration } from '../messages/duration.js';
import { forgetDevices } from '../sessions/devices.js';
import { revokeAccountSessions } from '../sessions/revocation.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { OneTimeCodes } from '../security/one-time-codes.js';
import { supersedeLinkToken } from '../security/link-tokens.js';
import { addHit, clearHits, rateKey, recentHits, takeRate } from '../security/rate-limiter.js';
import type { AccountKit } from './context.js';
import { tokenFailure, tokenFailureOf, type TokenFailure } from './error-codes.js';
import { resolveIdentifier } from './lookups.js';
import { accepted, type AcceptedResponse, type ResetPasswordResult } from './results.js';
import {
  requestPasswordResetSchema,
  resetPasswordSchema,
  usernameReminderSchema,
  type RequestPasswordResetInput,
  type ResetPasswordInput,
  type UsernameReminderInput,
} from './schemas.js';
import {
  applyPasswordHash,
  findAccountById,
  findAccountsByEmail,
  recordAccountHistory,
  writeAccount,
  type AccountRecord,
  type Versioned,
} from './store.js';

const anonymous = { role: 'anonymous' } as const;

/** Rate-window key of an account's wrong reset codes (rolling, across requests; cleared by a reset). */
const resetCodeFailuresKey = (accountId: string) => rateKey('password_reset_code_failures', accountId);
/** Rate-window key of the reset SMS sent to one number, whichever account asked. */
const resetSmsKey = (phone: string) => rateKey('password_reset_sms', phone);

type Channel = 'email' | 'sms';
type Method = 'link' | 'code';
/** The account a reset secret proved, and how; or why the secret was refused. */
type Proof = { ok: true; via: Method; account: Versioned<AccountRecord> | null } | TokenFailure;

/**
 * Lets go of every reset secret sent to the account before now: revokes its live `password_reset`
 * code, supersedes its reset link (tried later, it answers TOKEN_INVALID each time, never
 * TOKEN_USED), and returns the account without the link (`resetTokenId: null`), for the caller to
 * write with whatever else it changes.
 */
export async function dropResetSecrets(
  uow: UnitOfWork,
  account: AccountRecord,
  codes: Pick<OneTimeCodes, 'revoke'>,
): Promise<AccountRecord> {
  await codes.revoke(uow, 'password_reset', account.id);
  await supersedeLinkToken(uow, account.resetTokenId);
  return { ...account, resetTokenId: null, updatedAt: uow.now };
}

/** Whether a reset may be sent to `account` by `channel` at all (the answer is the same either way). */
function mayReceiveReset(account: AccountRecord, channel: Channel): boolean {
  if (account.status === 'disabled') return false;
  if (channel === 'sms' && account.phone === null) return false;
  // Nobody has shown that the phone of a never-activated account is theirs: no SMS (SMS pumping).
  if (channel === 'sms' && account.status === 'pending_activation') return false;
  // A recovery of a lost mailbox marked the address unverified: resets no longer go there.
  return !(channel === 'email' && account.emailVerified === false);
}

/** Password and username recovery (see {@link AccountService} for each rule). */
export function createPasswordRecoveryCommands(kit: AccountKit) {
  const { deps, policy, hasher, links } = kit;
  const { ids } = deps;
  const requestWindow = { limit: policy.requestsPerWindow, windowMs: policy.requestWindow };

  /** Mails the usernames tied to an address (at most `requestsPerWindow` per window and address). */
  async function remindUsernames(uow: UnitOfWork, email: string, accounts: readonly AccountRecord[]): Promise<void> {
    const live = accounts.filter((a) => a.status !== 'disabled');
    const first = live[0];
    if (!first || !(await takeRate(uow, `username_reminder:${first.id}`, requestWindow))) return;
    queueMessage(uow, ids, 'email', email, 'username.reminder', first.locale, {
      usernames: live.map((a) => a.login).join('\n'),
    });
    for (const account of live) recordAccountHistory(uow, account.id, 'account.username_reminder_sent', anonymous, {});
  }

  /**
   * Wrong reset codes are counted per account across requests: at the cap no code is issued
   * (email gets the link instead, SMS nothing: null), and a code near the cap allows only the
   * guesses left, so there are at most `resetCodeMaxFailures` per window.
   */
  async function resetMethod(uow: UnitOfWork, account: AccountRecord, channel: Channel, requested: Method) {
    if (requested === 'link') return { method: requested, maxAttempts: policy.codeMaxAttempts };
    const failures = await recentHits(uow, resetCodeFailuresKey(account.id), policy.resetCodeFailureWindow);
    const left = policy.resetCodeMaxFailures - failures.length;
    if (left <= 0) return channel === 'sms' ? null : { method: 'link' as const, maxAttempts: policy.codeMaxAttempts };
    return { method: requested, maxAttempts: Math.min(policy.codeMaxAttempts, left) };
  }

  /** Replaces every earlier reset secret of the account with a new link or code, queued to `channel`. */
  async function sendResetSecret(
    uow: UnitOfWork,
    account: AccountRecord,
    channel: Channel,
    { method, maxAttempts }: { method: Method; maxAttempts: number },
  ): Promise<AccountRecord> {
    const { codes, tokens } = kit.configured();
    await tokens.supersede(uow, account.resetTokenId);
    await codes.revoke(uow, 'password_reset', account.id);
    if (method === 'link') {
      const issued = await tokens.issue(uow, 'password_reset', account.id, policy.resetLinkTtl);
      queueMessage(uow, ids, 'email', account.email, 'password.reset_link', account.locale, {
        link: links.passwordReset(issued.token),
        expiresIn: formatDuration(policy.resetLinkTtl, account.locale),
      });
      return { ...account, resetTokenId: issued.id, updatedAt: uow.now };
    }
    const issued = await codes.issue(uow, {
      purpose: 'password_reset',
      subject: account.id,
      ttlMs: policy.resetCodeTtl,
      digits: policy.codeDigits,
      maxAttempts,
    });
    const to = channel === 'sms' ? account.phone! : account.email;
    queueMessage(uow, ids, channel, to, 'password.reset_code', account.locale, {
      code: issued.code,
      expiresIn: formatDuration(policy.resetCodeTtl, account.locale),
    });
    return { ...account, resetTokenId: null, updatedAt: uow.now };
  }

  /** The account a reset link names, or why the link was refused. */
  async function proveByLink(uow: UnitOfWork, token: string): Promise<Proof> {
    const submitted = await kit.configured().tokens.submit(uow, 'password_reset', token);
    if (submitted.outcome !== 'accepted') return tokenFailureOf(submitted.outcome);
    const account = submitted.accountId ? await findAccountById(uow, submitted.accountId) : null;
    // Only the link the account names now: a password set since (a reset, a change, a forced
    // change), an address change or a completed recovery let go of it (`resetTokenId: null`); it
    // may have gone to a mailbox that is no longer the owner's.
    if (account !== null && account.value.resetTokenId !== submitted.id) return tokenFailureOf('invalid');
    return { ok: true, via: 'link', account };
  }

  /** The account a reset code proves; a wrong code counts against the account's rolling budget. */
  async function proveByCode(uow: UnitOfWork, identifier: string, code: string): Promise<Proof> {
    const account = (await resolveIdentifier(uow, identifier)).account;
    // An unknown identifier is checked like a wrong code, so the answer does not tell them apart.
    const subject = account?.value.id ?? `unknown:${identifier}`;
    const check = await kit.configured().codes.verify(uow, { purpose: 'password_reset', subject, code });
    if (check.outcome === 'accepted') return { ok: true, via: 'code', account };
    if (account && check.counted)
      await addHit(uow, resetCodeFailuresKey(account.value.id), policy.resetCodeFailureWindow);
    return tokenFailureOf(check.outcome);
  }

  return {
    async requestPasswordReset(input: RequestPasswordResetInput): Promise<AcceptedResponse> {
      kit.configured();
      const p = parseInput(requestPasswordResetSchema, input, 'password reset request');
      await kit.run(async (uow) => {
        const { account: found, sameEmail } = await resolveIdentifier(uow, p.identifier);
        if (!found) {
          // An address shared by several accounts names none: its owner gets the logins to ask by.
          if (sameEmail.length > 1) await remindUsernames(uow, sameEmail[0]!.email, sameEmail);
          return;
        }
        const account = found.value;
        if (!mayReceiveReset(account, p.channel)) return;
        if (!(await takeRate(uow, `password_reset:${account.id}`, requestWindow))) return;
        const plan = await resetMethod(uow, account, p.channel, p.channel === 'sms' ? 'code' : (p.method ?? 'link'));
        if (!plan) return;
        const smsWindow = { limit: policy.resetSmsPerNumber, windowMs: policy.resetSmsWindow };
        if (p.channel === 'sms' && !(await takeRate(uow, resetSmsKey(account.phone!), smsWindow))) return;
        writeAccount(uow, await sendResetSecret(uow, account, p.channel, plan));
        recordAccountHistory(uow, account.id, 'account.password_reset_requested', anonymous, {
          channel: p.channel,
          method: plan.method,
        });
      });
      return accepted();
    },

    async resetPassword(input: ResetPasswordInput): Promise<ResetPasswordResult> {
      const { codes, tokens } = kit.configured();
      const p = parseInput(resetPasswordSchema, input, 'password reset');
      kit.requirePassword(p.newPassword, []);
      // Hashed once, outside the unit of work, so a retried commit does not hash again.
      const passwordHash = await hasher.hash(p.newPassword);
      const outcome = await kit.run(async (uow): Promise<ResetPasswordResult> => {
        const proof = 'token' in p ? await proveByLink(uow, p.token) : await proveByCode(uow, p.identifier, p.code);
        if (!proof.ok) return proof;
        const account = proof.account?.value;
        if (!account || account.status === 'disabled') return tokenFailure('TOKEN_INVALID');
        kit.requirePassword(p.newPassword, [account.username, account.login, account.email]);
        await kit.requireNotTemporary(account, p.newPassword);
        // Every other outstanding reset secret dies with this one.
        if (proof.via === 'code') await tokens.supersede(uow, account.resetTokenId);
        else await codes.revoke(uow, 'password_reset', account.id);
        await clearHits(uow, resetCodeFailuresKey(account.id));
        writeAccount(uow, applyPasswordHash(account, passwordHash, uow.now));
        // A reset proves control of the mailbox or phone: the login lock others caused ends here.
        await clearLockout(uow, accountLockoutKey(account.id));
        // Whoever held a session or a remembered device loses it in this very commit.
        await revokeAccountSessions(uow, account.id, 'password_reset');
        await forgetDevices(uow, account.id, 'password_reset');
        const self = { role: 'account', id: account.id };
        recordAccountHistory(uow, account.id, 'account.password_reset', self, { via: proof.via });
        queueMessage(uow, ids, 'email', account.email, 'password.changed', account.locale, {
          name: account.displayName || account.login, // greets by display name, else the login
        });
        return { ok: true, accountId: account.id, login: account.login, sessionsRevoked: false };
      });
      if (!outcome.ok) return outcome;
      // Sessions end after the commit: the port must not see a reset that may still fail.
      return { ...outcome, sessionsRevoked: await kit.revokeSessions(outcome.accountId, 'password_reset') };
    },

    async requestUsernameReminder(input: UsernameReminderInput): Promise<AcceptedResponse> {
      kit.configured();
      const p = parseInput(usernameReminderSchema, input, 'username reminder');
      const accounts = await findAccountsByEmail(deps.storage, p.email);
      await kit.run((uow) => remindUsernames(uow, p.email, accounts));
      return accepted();
    },
  };
}
