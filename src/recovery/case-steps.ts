import { accountLockoutKey, clearLockout } from '../security/lockout.js';
import { forgetDevices } from '../sessions/devices.js';
import { revokeAccountSessions } from '../sessions/revocation.js';
import { loadFactorSet, writeFactorSet, type FactorType } from '../factors/factor-record.js';
import {
  credentialEpochOf,
  dropResetSecrets,
  type AccountRecord,
  type AccountRepository,
} from '../accounts/account-repository.js';
import type { Loaded } from '../engine/aggregate.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import type { CaseActor } from './actors.js';
import { CASE_HISTORY_TYPE, recoveryCases, type CaseExtra } from './case-record.js';
import type { CaseNotices } from './notices.js';
import type { RecoveryContext, RecoveryEvent, RecoveryStatus, recoveryMachine } from './recovery-machine.js';

/** A case as a command loaded it. */
export type LoadedCase = Loaded<typeof recoveryMachine, CaseExtra>;

/** How a command or a deadline moves a case; every write lands in the caller's unit of work. */
export interface CaseSteps {
  /**
   * One step: the refusal error when the machine refuses `event` (nothing is written);
   * otherwise the next state, its effects carried out (notices, the completion's account
   * write) and one history entry (`from`, `to`, `data` and what the effects did), all in `uow`.
   * `cancelToken` is the clear token of the cancel link an approval sends.
   */
  take(
    uow: UnitOfWork,
    loaded: LoadedCase,
    event: RecoveryEvent,
    actor: CaseActor,
    options?: { data?: Record<string, Json>; cancelToken?: string },
  ): Promise<LoadedCase>;
  /**
   * After a completion's commit: ends every session of the account through the SessionRevoker
   * port (including one started before that commit) and stores whether it worked. The case
   * must be completed with `sessions: 'pending'`; `accountId` is its account.
   */
  revokeSessions(uow: UnitOfWork, loaded: LoadedCase, accountId: string): Promise<void>;
}

/** The stored factor type each lost factor stands for. */
const LOST_FACTOR_TYPE = { phone: 'sms', email: 'email', authenticator: 'totp' } as const satisfies Record<
  RecoveryContext['lostFactor'],
  FactorType
>;

/**
 * Removes every stored factor of the lost kind, pending or active: the authenticator apps for a
 * lost app, the email factors for a lost mailbox (a code mailed there would reach whoever holds
 * it now), the SMS factors for a lost phone (the phone on record goes with the account write).
 */
async function removeLostFactors(
  uow: UnitOfWork,
  accountId: string,
  lost: RecoveryContext['lostFactor'],
): Promise<{ kept: readonly FactorType[]; phoneFactorRemoved: boolean }> {
  const type = LOST_FACTOR_TYPE[lost];
  const set = await loadFactorSet(uow, accountId);
  const kept = set.factors.filter((factor) => factor.type !== type);
  if (kept.length < set.factors.length) writeFactorSet(uow, { ...set, factors: kept, updatedAt: uow.now });
  const types = kept.filter((factor) => factor.status === 'active').map((factor) => factor.type);
  return { kept: types, phoneFactorRemoved: set.phoneFactorRemoved };
}

/** The second factors that can stand on their own at a login (backup codes are a fallback only). */
const STANDING_FACTORS: ReadonlySet<FactorType> = new Set(['sms', 'totp', 'email']);

/** The steps of the recovery service, over the account gateway and the case notices. */
export function createCaseSteps(accounts: AccountRepository, notices: CaseNotices): CaseSteps {
  async function accountOf(uow: UnitOfWork, ctx: RecoveryContext): Promise<AccountRecord | null> {
    if (ctx.accountId === null) return null;
    return (await accounts.findAccountById(ctx.accountId, uow))?.value ?? null;
  }

  /**
   * Removes the lost factor and requires enrolment at the next login, in the case's commit.
   * The sessions are revoked afterwards (`sessions: 'pending'`), so a session started before
   * this commit cannot survive it.
   */
  async function completeRecovery(uow: UnitOfWork, ctx: RecoveryContext, account: AccountRecord | null) {
    if (!account) return { accountMissing: true };
    // The owner proved control through support: the login lock others caused ends here.
    await clearLockout(uow, accountLockoutKey(account.id));
    // The library's own sessions and remembered devices end in this commit; the port's after it.
    await revokeAccountSessions(uow, account.id, 'recovery_completed');
    await forgetDevices(uow, account.id, 'recovery_completed');
    const removed =
      ctx.lostFactor === 'phone' ? { phone: null } : ctx.lostFactor === 'email' ? { emailVerified: false } : {};
    // The stored factors of the lost kind go. A lost app: the phone on record, if any, remains the
    // factor to log in with.
    const { kept, phoneFactorRemoved } = await removeLostFactors(uow, account.id, ctx.lostFactor);
    // A new factor is enrolled at the next login only when none is left. Whatever is left (the phone
    // on record after a lost mailbox or app, an app after a lost phone) stays the second factor: the
    // holder of the lost factor, who may have reset the password through it, gets no enrolment
    // that a password alone reaches. An email factor left after a lost phone counts only while the
    // address is verified.
    // A phone the owner removed as a factor is no factor left: no login code goes to it.
    const phoneLeft = ctx.lostFactor === 'phone' || phoneFactorRemoved ? null : account.phone;
    const emailLeft = ctx.lostFactor !== 'email' && account.emailVerified !== false;
    const factorLeft = kept.some((type) => STANDING_FACTORS.has(type) && (type !== 'email' || emailLeft));
    const mustEnrolFactor = phoneLeft === null && !factorLeft;
    // The credential epoch moves: a login flow that got past its password before this commit
    // cannot finish with the lost factor (the cleared lockout record above orders the two commits).
    const credentialEpoch = credentialEpochOf(account) + 1;
    // A reset link or code sent before this commit dies with it: it may have gone to the lost
    // mailbox or phone.
    const released = await dropResetSecrets(uow, account, accounts.codes());
    accounts.updateAccount(uow, { ...released, ...removed, mustEnrolFactor, credentialEpoch });
    accounts.recordAccountHistory(
      uow,
      account.id,
      'account.factor_removed',
      { role: 'system' },
      { caseId: ctx.id, factor: ctx.lostFactor, mustEnrolFactor },
    );
    return { factorRemoved: ctx.lostFactor };
  }

  return {
    async take(uow, loaded, event, actor, options = {}) {
      const { next, effects, from } = recoveryCases.apply(uow, loaded, event);
      const ctx = next.snapshot.context;
      // The addresses on record as they were before this commit: a completion tells the old phone
      // and address that they no longer count. Read now: once the completion has written the
      // account, the unit of work returns that write.
      const onRecord = effects.length > 0 ? await accountOf(uow, ctx) : null;
      const done: Record<string, Json> = {};
      let saved = next;
      for (const effect of effects) {
        if (effect.type === 'notify') {
          notices.step(uow, ctx, effect.params.step, onRecord, options.cancelToken);
        } else {
          Object.assign(done, await completeRecovery(uow, ctx, onRecord));
          saved = recoveryCases.save(uow, { ...next, extra: { sessions: ctx.accountId === null ? null : 'pending' } });
        }
      }
      recoveryCases.record(uow, ctx.id, {
        type: CASE_HISTORY_TYPE[event.type],
        actor: actor.audit,
        data: { from: from as RecoveryStatus, to: next.snapshot.value as RecoveryStatus, ...options.data, ...done },
      });
      return saved;
    },

    async revokeSessions(uow, loaded, accountId) {
      const caseId = loaded.snapshot.context.id;
      const revoked = await accounts.revokeSessions(accountId, 'recovery_completed');
      recoveryCases.save(uow, { ...loaded, extra: { sessions: revoked ? 'revoked' : 'not_revoked' } });
      if (revoked) {
        accounts.recordAccountHistory(
          uow,
          accountId,
          'account.sessions_revoked',
          { role: 'system' },
          { reason: 'recovery_completed', caseId },
        );
      }
    },
  };
}
