import type { Mailer, MailMessage } from '../ports/mailer.js';
import type { OutboxChannel } from '../ports/outbox-store.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import type { Storage } from '../ports/storage.js';

/** Delivery policy of the outbox dispatcher. */
export interface OutboxPolicy {
  /** Attempts before a message goes to `dead`. Default 8. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time. Default 30 s. */
  baseDelayMs: number;
  /** Upper bound of the delay. Default 1 h. */
  maxDelayMs: number;
  /** How long a claimed message is held before another dispatcher may take it. Default 5 min. */
  leaseMs: number;
  /** Messages claimed per round. Default 100. */
  batchSize: number;
}

export const defaultOutboxPolicy: OutboxPolicy = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  leaseMs: 300_000,
  batchSize: 100,
};

export interface DispatchResult {
  delivered: number;
  failed: number;
  dead: number;
}

/** Exponential backoff after `attempts` failed attempts. */
export function retryDelay(policy: OutboxPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers due outbox messages through the configured senders. A channel without a
 * sender is left alone: its messages stay pending and readable. Each message's
 * idempotency key goes to the sender, so a redelivery after a crash can be dropped there.
 */
export async function dispatchOutbox(
  storage: Storage,
  now: () => number,
  senders: { email?: Mailer | undefined; sms?: SmsSender | undefined },
  policy: OutboxPolicy = defaultOutboxPolicy,
): Promise<DispatchResult> {
  const channels: OutboxChannel[] = [];
  if (senders.email) channels.push('email');
  if (senders.sms) channels.push('sms');
  const result: DispatchResult = { delivered: 0, failed: 0, dead: 0 };
  if (channels.length === 0) return result;
  for (;;) {
    const at = now();
    const batch = await storage.claimOutbox(channels, at, at + policy.leaseMs, policy.batchSize);
    if (batch.length === 0) return result;
    for (const message of batch) {
      const context = { idempotencyKey: message.idempotencyKey, attempt: message.attempts };
      try {
        if (message.channel === 'email') await senders.email!.send(message.payload as unknown as MailMessage, context);
        else await senders.sms!.send(message.payload as unknown as SmsMessage, context);
        await storage.markDelivered(message.id, now());
        result.delivered++;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (message.attempts >= policy.maxAttempts) {
          await storage.markDead(message.id, reason);
          result.dead++;
        } else {
          await storage.markFailed(message.id, now() + retryDelay(policy, message.attempts), reason);
          result.failed++;
        }
      }
    }
  }
}
