import { tokenFailureOf, type TokenFailure } from '../accounts/error-codes.js';
import { dropResetSecrets } from '../accounts/password-recovery.js';
import { EMAIL_CLAIM_KIND, claim, findAccountById, recordAccountHistory, writeAccount } from '../accounts/store.js';
import { queueMessage } from '../engine/notify.js';
import { formatDuration } from '../messages/duration.js';
import { parseInput } from '../engine/validate.js';
import { commonErrors } from '../errors.js';
import { addHit, checkRate, clearHits, rateKey, recentHits } from '../security/rate-limiter.js';
import { loadFactorSet, writeFactorSet } from './factor-record.js';
import type { FactorKit } from './factor-kit.js';
import {
  changeEmailSchema,
  confirmEmailChangeSchema,
  type ChangeEmailInput,
  type ConfirmEmailChangeInput,
} from './schemas.js';
import { maskEmail } from './views.js';

/** The purpose of the code mailed to a new address (part of its HMAC). */
export const EMAIL_CHANGE_PURPOSE = 'email_change';

/** What `changeEmail` answers: where the code went (masked) and until when it is valid. */
export interface EmailChangeStarted {
  maskedEmail: string;
  expiresAt: number;
}

/** Email-change requests of an account, and its wrong email-change codes (both rolling windows). */
const requestsKey = (accountId: string) => rateKey('email_change', accountId);
const failuresKey = (accountId: string) => rateKey('email_change_failures', accountId);

const tooMany = (reason: 'email_change_requests' | 'email_change_failures', retryAfter: number) =>
  commonErrors.raise(
    'RATE_LIMITED',
    { reason, retryAfter },
    reason === 'email_change_requests'
      ? 'Too many email change requests; try again later.'
      : 'Too many wrong email change codes; try again later.',
  );

/** `changeEmail` and `confirmEmailChange` (see {@link FactorService}). */
export function createEmailChange(kit: FactorKit) {
  const { deps, policy } = kit;
  const requestWindow = { limit: policy.emailChangeRequests, windowMs: policy.emailChangeRequestWindow };
  const failureWindow = { limit: policy.emailChangeMaxFailures, windowMs: policy.emailChangeFailureWindow };
  return {
    async changeEmail(input: ChangeEmailInput): Promise<EmailChangeStarted> {
      const p = parseInput(changeEmailSchema, input, 'email change');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        // Whether the address belongs to another account is not told here: the answer is the same,
        // and only the code from that inbox reaches the refusal (`confirmEmailChange`).
        const requests = await checkRate(uow, requestsKey(account.id), requestWindow);
        if (!requests.allowed) throw tooMany('email_change_requests', requests.availableAt);
        const failures = await checkRate(uow, failuresKey(account.id), failureWindow);
        if (!failures.allowed) throw tooMany('email_change_failures', failures.availableAt);
        const guessesLeft =
          policy.emailChangeMaxFailures -
          (await recentHits(uow, failuresKey(account.id), failureWindow.windowMs)).length;
        await addHit(uow, requestsKey(account.id), requestWindow.windowMs);
        const set = await loadFactorSet(uow, account.id);
        set.pendingEmail = p.email;
        set.updatedAt = uow.now;
        writeFactorSet(uow, set);
        const { code, expiresAt } = await kit.codes().issue(uow, {
          purpose: EMAIL_CHANGE_PURPOSE,
          subject: account.id,
          ttlMs: policy.codeTtl,
          maxAttempts: Math.min(policy.maxCodeAttempts, guessesLeft),
        });
        const data = { login: account.login, code, expiresIn: formatDuration(policy.codeTtl, account.locale) };
        // Not an owner send: the account has not proven the address (that is what the code is for), so
        // the code counts in the address's shared budget and never in its owner's allowance.
        queueMessage(uow, deps.ids, 'email', p.email, 'email.change_code', account.locale, data);
        recordAccountHistory(uow, account.id, 'account.email_change_requested', actor, {
          newEmail: maskEmail(p.email),
        });
        return { maskedEmail: maskEmail(p.email), expiresAt };
      });
    },

    async confirmEmailChange(input: ConfirmEmailChangeInput): Promise<{ ok: true; email: string } | TokenFailure> {
      const p = parseInput(confirmEmailChangeSchema, input, 'email change confirmation');
      return kit.run(async (uow) => {
        const { account, actor } = await kit.caller(uow, p.auth);
        const set = await loadFactorSet(uow, account.id);
        const email = set.pendingEmail;
        if (!email) {
          throw commonErrors.raise(
            'INVALID_INPUT',
            { field: 'code', reason: 'no_email_change' },
            'No email change is pending.',
          );
        }
        const check = await kit
          .codes()
          .verify(uow, { purpose: EMAIL_CHANGE_PURPOSE, subject: account.id, code: p.code });
        if (check.outcome !== 'accepted') {
          if (check.counted) await addHit(uow, failuresKey(account.id), failureWindow.windowMs);
          return tokenFailureOf(check.outcome);
        }
        const old = account.email;
        if (account.kind === 'personal' && email !== old) {
          const existing = await uow.load(EMAIL_CLAIM_KIND, email);
          // Claimed by another account since the change was asked for: two personal accounts never share one.
          const owner = (existing?.state as { accountId?: unknown } | undefined)?.accountId;
          if (existing && owner !== account.id) {
            throw commonErrors.raise(
              'INVALID_INPUT',
              { field: 'email', reason: 'email_taken' },
              'That address is taken.',
            );
          }
          if (!existing) claim(uow, EMAIL_CLAIM_KIND, email, { accountId: account.id });
        }
        const current = (await findAccountById(uow, account.id))!.value;
        // The reset secrets went to the old address, which may be why it is left: they die here.
        const released = await dropResetSecrets(uow, current, kit.codes());
        writeAccount(uow, { ...released, email, emailVerified: true });
        // The old address no longer names the account: no login by it, free to register again.
        if (account.kind === 'personal' && email !== old) {
          const oldClaim = await uow.load(EMAIL_CLAIM_KIND, old);
          if ((oldClaim?.state as { accountId?: unknown } | undefined)?.accountId === account.id)
            uow.delete(EMAIL_CLAIM_KIND, old);
        }
        // Email factors sent codes to the old address: they follow the verified one.
        for (const factor of set.factors) if (factor.type === 'email') factor.address = email;
        delete set.pendingEmail;
        set.updatedAt = uow.now;
        writeFactorSet(uow, set);
        if (old !== email) {
          const data = { login: account.login, newEmail: maskEmail(email) };
          queueMessage(uow, deps.ids, 'email', old, 'email.changed', account.locale, data);
        }
        await clearHits(uow, failuresKey(account.id));
        recordAccountHistory(uow, account.id, 'account.email_changed', actor, {
          newEmail: maskEmail(email),
          wasVerified: account.emailVerified !== false,
        });
        return { ok: true as const, email };
      });
    },
  };
}
