import { sendingBudgetKey } from '../engine/sending-budget.js';
import type { SendingBudgetClass } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { addHit, checkRate, combineSlots, rateKey } from '../security/rate-limiter.js';
import type { LoginKit } from './login-kit.js';
import type { LoginFlowContext, LoginFlowKind, SmsSlot } from './login-machine.js';

/**
 * The SMS bucket a send is counted in: anonymous phone-number logins under the number
 * (`phone-login:<e164>`, known and unknown numbers alike), sends after a verified password,
 * for a step-up or an enrolment under the account (`account:<id>`). So anonymous requests
 * cannot spend an account's login SMS. Every send also counts toward the number's ceiling
 * (`number:<e164>`), shared by all buckets, for accounts that share a number.
 */
export function smsBucket(kind: LoginFlowKind, accountId: string | null, phone: string): string {
  return kind === 'phone' || accountId === null ? `phone-login:${phone}` : `account:${accountId}`;
}

/**
 * The sending budget a login code counts in: the owner's allowance for codes after a verified
 * password (an account bucket: password, step-up, enrolment), the number's shared budget for
 * anonymous phone-number logins (`checked`: {@link smsSlotFor} answered from it, so the code is never
 * held back silently). Strangers spending the shared budget (reset SMS, recovery
 * notices) then cannot keep the owner's own login codes from arriving. The allowance is the
 * account's own for the number ({@link ownerOfBucket}): the code's commit charges it
 * ({@link takeSmsSlot}), and the sending budget counts an `owner` message only in the allowance its
 * command charged.
 */
export const budgetClassOf = (bucket: string): SendingBudgetClass =>
  ownerOfBucket(bucket) === null ? 'checked' : 'owner';

/** The account whose allowance a bucket's codes spend: `account:<id>`'s, none for anonymous buckets. */
const ownerOfBucket = (bucket: string): string | null =>
  bucket.startsWith('account:') ? bucket.slice('account:'.length) : null;

/**
 * The sending-budget window a login SMS of `bucket` counts in: the account's own allowance for the
 * number (never the allowance of another account that names the same number), else the number's
 * shared budget.
 */
function smsBudgetKey(bucket: string, phone: string): string {
  const accountId = ownerOfBucket(bucket);
  return accountId === null ? sendingBudgetKey('sms', phone) : sendingBudgetKey('sms', phone, { accountId });
}

/**
 * Whether one more login SMS to `phone` fits now: in its bucket, under the number's ceiling, and in
 * the recipient's sending budget (checked here too, so the view says `SMS_LIMIT` instead of
 * claiming a code that the budget would hold back).
 */
export async function smsSlotFor(kit: LoginKit, uow: UnitOfWork, bucket: string, phone: string): Promise<SmsSlot> {
  const { smsPerNumber, smsPerNumberCeiling, smsWindow } = kit.policy;
  const { smsPerRecipient, windowMs } = kit.deps.sending;
  return combineSlots([
    await checkRate(uow, rateKey('login_sms', bucket), { limit: smsPerNumber, windowMs: smsWindow }),
    await checkRate(uow, rateKey('login_sms', `number:${phone}`), { limit: smsPerNumberCeiling, windowMs: smsWindow }),
    await checkRate(uow, smsBudgetKey(bucket, phone), { limit: smsPerRecipient, windowMs }),
  ]);
}

/**
 * Counts one send in the bucket and under the number's ceiling (on the security module's limiter),
 * and, for an account's bucket, in the account's own allowance for the number (the sending budget
 * counts the code's `owner` message there, `engine/sending-budget.ts`).
 */
export async function takeSmsSlot(kit: LoginKit, uow: UnitOfWork, bucket: string, phone: string): Promise<void> {
  for (const id of [bucket, `number:${phone}`]) await addHit(uow, rateKey('login_sms', id), kit.policy.smsWindow);
  if (ownerOfBucket(bucket) !== null) await addHit(uow, smsBudgetKey(bucket, phone), kit.deps.sending.windowMs);
}

/**
 * Whether one more code may go from this flow now: to `phone` (default: the flow's number), or,
 * once the email factor was chosen, to the account's address; allowed when there is nothing to send.
 */
export async function smsSlotOfFlow(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  phone: string | null = ctx.phone,
): Promise<SmsSlot> {
  if (ctx.factor?.type === 'email' && ctx.accountId !== null) return emailSlotFor(kit, uow, ctx.accountId);
  return phone === null ? { allowed: true } : smsSlotFor(kit, uow, smsBucket(ctx.kind, ctx.accountId, phone), phone);
}

/** The rate bucket of login codes mailed to an account (the email factor): the SMS rules, per account. */
const emailBucket = (accountId: string) => rateKey('login_email', `account:${accountId}`);

/**
 * Whether one more login code may be mailed to the account now: the same per-account limit as
 * SMS codes (`smsPerNumber` per `smsWindow`), and the account's own allowance of the sending
 * budget for its address.
 */
export async function emailSlotFor(kit: LoginKit, uow: UnitOfWork, accountId: string): Promise<SmsSlot> {
  const account = await kit.accounts.findAccountById(accountId, uow);
  if (!account) return { allowed: true };
  const { smsPerNumber, smsWindow } = kit.policy;
  const { mailsPerRecipient, windowMs } = kit.deps.sending;
  return combineSlots([
    await checkRate(uow, emailBucket(accountId), { limit: smsPerNumber, windowMs: smsWindow }),
    await checkRate(uow, sendingBudgetKey('email', account.value.email, { accountId }), {
      limit: mailsPerRecipient,
      windowMs,
    }),
  ]);
}

/** Counts one mailed login code in the account's bucket and in its own allowance for its address. */
export async function takeEmailSlot(kit: LoginKit, uow: UnitOfWork, accountId: string): Promise<void> {
  await addHit(uow, emailBucket(accountId), kit.policy.smsWindow);
  const account = await kit.accounts.findAccountById(accountId, uow);
  if (account)
    await addHit(uow, sendingBudgetKey('email', account.value.email, { accountId }), kit.deps.sending.windowMs);
}
