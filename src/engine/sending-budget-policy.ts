import { z } from 'zod';
import type { Json } from '../ports/json.js';
import type { OutboxMessageInput } from '../ports/outbox-store.js';
import type { Commit, RecordWrite } from '../ports/storage.js';
import { RATE_WINDOW_KIND } from '../security/rate-limiter.js';
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

/** The suffix of a recipient's window for support's mails beyond the budget (`policy.supportReserve`). */
export const SUPPORT_SUFFIX = '|support';

/**
 * The mailbox an address names: case folded, and a `+tag` in the local part dropped
 * (`Victim+1@Example.com` is `victim@example.com`'s mailbox). Every limit per address counts per
 * mailbox through this one folding (the sending budget, registration collision mails).
 */
export function mailboxOf(address: string): string {
  const folded = address.trim().toLowerCase();
  const at = folded.lastIndexOf('@');
  const plus = folded.indexOf('+');
  return at > 0 && plus > 0 && plus < at ? folded.slice(0, plus) + folded.slice(at) : folded;
}

/**
 * The rate-window id of a recipient's budget. Addresses are folded to one mailbox
 * ({@link mailboxOf}). With `owner`, the window of that account's own allowance for the recipient
 * (`…|owner:<accountId>`): one account's codes never spend another account's allowance, whatever
 * number or address the accounts share.
 */
export function sendingBudgetKey(channel: string, to: string, owner?: { accountId: string }): string {
  const recipient = channel === 'email' ? mailboxOf(to) : to.trim().toLowerCase();
  return `send_budget:${channel}:${recipient}${owner ? `|owner:${owner.accountId}` : ''}`;
}

/** The record kind of suppressed-notice history entries (id: `<channel>:<recipient>`). */
export const SENDING_BUDGET_KIND = 'sending_budget';

/**
 * The owner's allowance a message marked `owner` counts in: the window of the recipient that the
 * command charged in the same commit (`sendingBudgetKey(channel, to, { accountId })`, the login
 * code's account, `login/sms-budget.ts`), or null when it charged none; the message then counts in
 * the recipient's shared budget like any other. The payload names no account, so a message cannot
 * claim an allowance by itself: only the command that checked and charged it can.
 */
export function chargedOwnerWindow(commit: Commit, channel: string, to: string): RecordWrite | null {
  const prefix = `${sendingBudgetKey(channel, to)}|owner:`;
  return commit.writes.find((w) => w.kind === RATE_WINDOW_KIND && w.id.startsWith(prefix)) ?? null;
}

export interface Payload {
  to?: unknown;
  template?: unknown;
  budget?: unknown;
}

/** The history entry of a message held back by the budget. */
export function suppression(message: OutboxMessageInput, payload: Payload): Commit['history'][number] {
  return {
    kind: SENDING_BUDGET_KIND,
    // Keyed by the held-back message, not by its recipient: the entry's id becomes the event's
    // subject, and the event feed carries no addresses or numbers.
    id: message.id,
    at: message.availableAt,
    type: 'notice.suppressed',
    actor: { role: 'system' },
    data: {
      channel: message.channel,
      to: payload.to as string,
      template: typeof payload.template === 'string' ? payload.template : null,
      reason: 'budget',
    } as Json,
  };
}
