import type { AccountRecord, AccountRepository } from '../accounts/account-repository.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { formatDuration } from '../messages/duration.js';
import { formatDateTime } from '../messages/format.js';
import type { Locale } from '../messages/locales.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { formatInstant, lostFactorLabel, recoveryStepLabel, recoveryStepText } from './labels.js';
import type { RecoveryPolicy } from './policy.js';
import type { RecoveryContext, RecoveryStep } from './recovery-machine.js';

// ASVS 6.3.7: every recovery step is told to the requester's contact AND to every address on
// record of the account (its email and phone), so an owner who did not ask learns of it and
// can cancel. Notices go to the outbox of the step's commit: none is lost, none is sent for a
// step that did not happen.
//
// Dates in mails are localised (`formatDateTime`) but in UTC, said as such: the recovery module
// is given no time zone (its policy has none, and the desk's ticket calendar is not passed to it).
// The SMS with a cancel link keeps the compact `formatInstant`: a localised date does not fit.

/** Builds the cancel link for a case and its (clear) token; the token is only ever in the notice text. */
export type CancelLinkBuilder = (caseId: string, token: string) => string;

/** The default cancel link: `<publicBaseUrl>/recovery/cancel?case=…&token=…`. */
export function defaultCancelLink(publicBaseUrl = 'https://helpdesk.invalid'): CancelLinkBuilder {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return (caseId, token) =>
    `${base}/recovery/cancel?case=${encodeURIComponent(caseId)}&token=${encodeURIComponent(token)}`;
}

/** The notices of a case, queued in the caller's unit of work. */
export interface CaseNotices {
  /**
   * A new case: the requester gets the ticket number and the evidence deadline; an existing
   * account's email and phone get a cancel link (`cancelToken`), and its history an entry.
   * `account` is null for a login no account has: then only the requester is told.
   */
  opened(uow: UnitOfWork, ctx: RecoveryContext, account: AccountRecord | null, cancelToken: string): void;
  /**
   * A request that joined an open case (issue 15): only its requester is told the ticket number;
   * the account hears nothing new.
   */
  joined(uow: UnitOfWork, ctx: RecoveryContext, requesterEmail: string, locale: Locale): void;
  /**
   * A step of the case (approval, completion, cancellation, rejection, expiry): the requester,
   * and every address on record of `account`. `account` must be read before the step changes
   * it (a completion tells the old phone and address that they no longer count). An approval
   * carries a new cancel link (`cancelToken`).
   */
  step(
    uow: UnitOfWork,
    ctx: RecoveryContext,
    step: RecoveryStep,
    account: AccountRecord | null,
    cancelToken?: string,
  ): void;
}

/** The notices of the recovery service. */
export function createCaseNotices(options: {
  ids: IdGenerator;
  accounts: AccountRepository;
  policy: RecoveryPolicy;
  cancelLink: CancelLinkBuilder;
}): CaseNotices {
  const { ids, accounts, policy, cancelLink } = options;

  return {
    opened(uow, ctx, account, cancelToken) {
      const locale = ctx.locale as Locale;
      queueMessage(uow, ids, 'email', ctx.requesterEmail, 'recovery.requested', locale, {
        number: ctx.ticketNumber,
        expiresIn: formatDuration(policy.evidenceTtl, locale),
      });
      if (!account) return;
      const link = cancelLink(ctx.id, cancelToken);
      queueMessage(uow, ids, 'email', account.email, 'recovery.opened', account.locale, {
        login: account.login,
        cancelLink: link,
      });
      if (account.phone !== null)
        queueMessage(uow, ids, 'sms', account.phone, 'recovery.sms_opened', account.locale, { cancelLink: link });
      accounts.recordAccountHistory(
        uow,
        account.id,
        'account.recovery_opened',
        { role: 'system' },
        { caseId: ctx.id, lostFactor: ctx.lostFactor, ticketId: ctx.ticketId },
      );
    },

    joined(uow, ctx, requesterEmail, locale) {
      queueMessage(uow, ids, 'email', requesterEmail, 'recovery.requested', locale, {
        number: ctx.ticketNumber,
        expiresIn: formatDuration(policy.evidenceTtl, locale),
      });
    },

    step(uow, ctx, step, account, cancelToken) {
      // The requester asked for the recovery: their notice is the step under the ticket number,
      // never the owner's "if you did not ask" warning.
      const requesterLocale = ctx.locale as Locale;
      const endsAt = ctx.waitingEndsAt === null ? null : formatDateTime(ctx.waitingEndsAt, requesterLocale);
      queueMessage(uow, ids, 'email', ctx.requesterEmail, 'recovery.requester_notice', requesterLocale, {
        number: ctx.ticketNumber,
        step: recoveryStepText(requesterLocale, step, endsAt),
      });
      if (!account) return;

      const { locale, login } = account;
      const closedSms = () => {
        if (account.phone !== null)
          queueMessage(uow, ids, 'sms', account.phone, 'recovery.sms_closed', locale, {
            step: recoveryStepLabel(locale, step),
          });
      };
      switch (step) {
        case 'approved': {
          const link = cancelLink(ctx.id, cancelToken ?? '');
          const waitingEndsAt = ctx.waitingEndsAt ?? uow.now;
          queueMessage(uow, ids, 'email', account.email, 'recovery.approved', locale, {
            login,
            waitingEndsAt: formatDateTime(waitingEndsAt, locale),
            cancelLink: link,
          });
          if (account.phone !== null)
            queueMessage(uow, ids, 'sms', account.phone, 'recovery.sms_approved', locale, {
              waitingEndsAt: formatInstant(waitingEndsAt),
              cancelLink: link,
            });
          break;
        }
        case 'completed':
          queueMessage(uow, ids, 'email', account.email, 'recovery.completed', locale, {
            login,
            factor: lostFactorLabel(locale, ctx.lostFactor),
          });
          closedSms();
          break;
        case 'cancelled':
          queueMessage(uow, ids, 'email', account.email, 'recovery.cancelled', locale, { login });
          closedSms();
          break;
        default:
          // rejected, expired: the owner learns that an attempt on the account ended (nothing to cancel).
          queueMessage(uow, ids, 'email', account.email, 'recovery.notice', locale, {
            login,
            step: recoveryStepLabel(locale, step),
          });
      }
      accounts.recordAccountHistory(
        uow,
        account.id,
        `account.recovery_${step}`,
        { role: 'system' },
        { caseId: ctx.id, lostFactor: ctx.lostFactor },
      );
    },
  };
}
