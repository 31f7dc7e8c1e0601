import { queueMessage } from '../engine/notify.js';
import { formatDuration } from '../messages/duration.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { completeLogin } from './completion.js';
import { LOGIN_CODE_PURPOSE } from './flow-record.js';
import { localeOf, type LoginKit } from './login-kit.js';
import type { LoginEffect, LoginFlowContext } from './login-machine.js';
import { budgetClassOf, smsBucket, takeEmailSlot, takeSmsSlot } from './sms-budget.js';
import type { LoginResult } from './types.js';

/** What carrying out a step's effects gave: the SMS note for the history, the login result. */
export interface EffectsDone {
  /** `sent`, `not_sent_unknown` or `budget_spent`, when the step asked for a code. */
  sms?: string;
  /** When the step completed the login. */
  result?: LoginResult;
}

/**
 * Carries out the effects a step returned, in its unit of work (so the code, the SMS in the
 * outbox and the flow commit together). `ctx` is the flow after the step.
 */
export async function carryOut(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  effects: readonly LoginEffect[],
): Promise<EffectsDone> {
  const done: EffectsDone = {};
  for (const effect of effects) {
    switch (effect.type) {
      case 'sendCode':
        done.sms = await sendCode(kit, uow, ctx, effect.params.deliver);
        break;
      case 'revokeCode':
        await kit.accounts.codes().revoke(uow, LOGIN_CODE_PURPOSE, ctx.flowId);
        break;
      case 'lockedOut':
        if (ctx.accountId !== null) {
          const data = { flowId: ctx.flowId, until: ctx.error?.retryAfter ?? null };
          kit.accounts.recordAccountHistory(uow, ctx.accountId, 'account.login_locked', { role: 'system' }, data);
        }
        break;
      case 'authenticated':
        done.result = await completeLogin(kit, uow, ctx);
        break;
    }
  }
  return done;
}

/** Issues a code bound to the flow and queues its SMS; known and unknown numbers take a budget slot alike. */
async function sendCode(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext, deliver: boolean): Promise<string> {
  if (ctx.factor?.type === 'email') return mailCode(kit, uow, ctx, deliver);
  if (!deliver || ctx.phone === null) return 'budget_spent';
  const bucket = smsBucket(ctx.kind, ctx.accountId, ctx.phone);
  await takeSmsSlot(kit, uow, bucket, ctx.phone);
  // Only a known subject gets a real code.
  if (!ctx.subjectKnown) return 'not_sent_unknown';
  const { policy } = kit;
  const { code } = await kit.accounts.codes().issue(uow, {
    purpose: LOGIN_CODE_PURPOSE,
    subject: ctx.flowId,
    ttlMs: policy.codeTtl,
    digits: policy.codeDigits,
    maxAttempts: policy.maxCodeAttempts,
    keepFailedAttempts: true,
  });
  const locale = await localeOf(kit, uow, ctx);
  const data = { code, expiresIn: formatDuration(policy.codeTtl, locale) };
  queueMessage(uow, kit.deps.ids, 'sms', ctx.phone, 'login.code', locale, data, budgetClassOf(bucket));
  return 'sent';
}

/** The email factor: a login code (same rules as the SMS code) mailed to the account's address. */
async function mailCode(kit: LoginKit, uow: UnitOfWork, ctx: LoginFlowContext, deliver: boolean): Promise<string> {
  const account = ctx.accountId === null ? null : (await kit.accounts.findAccountById(ctx.accountId, uow))?.value;
  if (!deliver || !account) return 'budget_spent';
  await takeEmailSlot(kit, uow, account.id);
  const { policy } = kit;
  const { code } = await kit.accounts.codes().issue(uow, {
    purpose: LOGIN_CODE_PURPOSE,
    subject: ctx.flowId,
    ttlMs: policy.codeTtl,
    digits: policy.codeDigits,
    maxAttempts: policy.maxCodeAttempts,
    keepFailedAttempts: true,
  });
  const data = { code, expiresIn: formatDuration(policy.codeTtl, account.locale) };
  queueMessage(uow, kit.deps.ids, 'email', account.email, 'factor.email_code', account.locale, data, 'owner');
  return 'mailed';
}
