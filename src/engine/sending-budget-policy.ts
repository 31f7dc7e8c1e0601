import { z } from 'zod';
import { parseInput } from './validate.js';

/**
 * One budget per recipient for everything the library sends (docs/security.md, "sending budget"): every
 * mail and SMS any command queues counts against its address or number, across login, password
 * reset, registration, recovery and ticket notices. Security notices that must go out (a
 * password was changed, an approved recovery, a factor change) may use a small reserve beyond
 * it. What only the owner can cause (a login code after the right password) counts in a separate
 * allowance of the same size, one per account and recipient, so neither strangers who spend the
 * shared budget nor another account naming the same number or address can keep the owner out.
 */
export interface SendingBudgetPolicy {
  /** SMS per number within `windowMs`. Default 10. */
  smsPerRecipient: number;
  /** Mails per address within `windowMs`. Default 20. */
  mailsPerRecipient: number;
  /** Sends beyond the budget that security notices may still use. Default 3. */
  securityReserve: number;
  /**
   * Sends beyond the budget that mails support causes may still use (an agent's reply or status
   * notice, the reminder and automatic solve after an agent's question), so strangers who spent a
   * requester's budget cannot hold them back; support's own mails stay bounded by it. Default 20.
   */
  supportReserve: number;
  /** The rolling window. Default 24 h. */
  windowMs: number;
}

export const defaultSendingBudget: SendingBudgetPolicy = {
  smsPerRecipient: 10,
  mailsPerRecipient: 20,
  securityReserve: 3,
  supportReserve: 20,
  windowMs: 86_400_000,
};

const sendingBudgetSchema = z
  .strictObject({
    smsPerRecipient: z.number().int().min(1).max(10_000).optional(),
    mailsPerRecipient: z.number().int().min(1).max(10_000).optional(),
    securityReserve: z.number().int().min(0).max(1_000).optional(),
    supportReserve: z.number().int().min(0).max(10_000).optional(),
    windowMs: z
      .number()
      .int()
      .min(60_000)
      .max(31 * 86_400_000)
      .optional(),
  })
  .optional();

/** The defaults with a host's overrides, validated (INVALID_INPUT naming the field). */
export function resolveSendingBudget(overrides: unknown): SendingBudgetPolicy {
  const parsed = parseInput(sendingBudgetSchema, overrides, 'sending budget policy') ?? {};
  const merged: SendingBudgetPolicy = { ...defaultSendingBudget };
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) Object.assign(merged, { [key]: value });
  return merged;
}

/**
 * Templates that tell the owner about a change to their account's security. They are never
 * dropped for a budget that ordinary messages spent, only beyond the reserve.
 */
export const SECURITY_NOTICE_TEMPLATES: ReadonlySet<string> = new Set([
  // Caused by the owner or an administrator: a stranger cannot trigger them to drain the reserve.
  'password.changed',
  'factor.enrolled',
  'organization.sms_setting_changed',
  // Caused by an agent after reviewing evidence: the owner's cancel link during the waiting period.
  'recovery.approved',
  'recovery.sms_approved',
  'recovery.completed',
  // Not here: `recovery.opened` / `recovery.cancelled` and their SMS, which anyone who knows a
  // login can trigger (they count in the shared budget; opens are limited per account).
]);
