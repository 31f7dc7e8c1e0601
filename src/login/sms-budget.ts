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

/** Whether one more login SMS to `phone` fits in its bucket and under the number's ceiling now. */
export async function smsSlotFor(kit: LoginKit, uow: UnitOfWork, bucket: string, phone: string): Promise<SmsSlot> {
  const { smsPerNumber, smsPerNumberCeiling, smsWindow } = kit.policy;
  return combineSlots([
    await checkRate(uow, rateKey('login_sms', bucket), { limit: smsPerNumber, windowMs: smsWindow }),
    await checkRate(uow, rateKey('login_sms', `number:${phone}`), { limit: smsPerNumberCeiling, windowMs: smsWindow }),
  ]);
}

/** Counts one send in the bucket and under the number's ceiling (on the security module's limiter). */
export async function takeSmsSlot(kit: LoginKit, uow: UnitOfWork, bucket: string, phone: string): Promise<void> {
  for (const id of [bucket, `number:${phone}`]) await addHit(uow, rateKey('login_sms', id), kit.policy.smsWindow);
}

/** Whether one more code may go to `phone` (default: the flow's number) from this flow now; allowed when there is none. */
export async function smsSlotOfFlow(
  kit: LoginKit,
  uow: UnitOfWork,
  ctx: LoginFlowContext,
  phone: string | null = ctx.phone,
): Promise<SmsSlot> {
  return phone === null ? { allowed: true } : smsSlotFor(kit, uow, smsBucket(ctx.kind, ctx.accountId, phone), phone);
}
