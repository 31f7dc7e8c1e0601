import type { DeliveryContext, Mailer, MailMessage } from '../ports/mailer.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';

/** A delivered message with the context it was delivered under. */
export interface Captured<M> {
  message: M;
  context: DeliveryContext;
}

/**
 * Records what it is asked to send. `failNext(n)` makes the next n calls throw;
 * `failWith(fn)` decides per call. Deliveries with a repeated idempotency key are
 * recorded in `duplicates` (a real provider would drop them).
 */
class CapturingSender<M> {
  readonly sent: Captured<M>[] = [];
  readonly duplicates: Captured<M>[] = [];
  private readonly keys = new Set<string>();
  private failures = 0;
  private decide: ((message: M, context: DeliveryContext) => boolean) | null = null;

  /** Makes the next `count` sends throw; default: none fail. */
  failNext(count: number): this {
    this.failures = count;
    return this;
  }

  /** Makes a send throw whenever `decide` returns true; null (the default) stops it. */
  failWith(decide: ((message: M, context: DeliveryContext) => boolean) | null): this {
    this.decide = decide;
    return this;
  }

  send(message: M, context: DeliveryContext): void {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('capturing sender: simulated failure');
    }
    if (this.decide?.(message, context)) throw new Error('capturing sender: simulated failure');
    const captured = { message: structuredClone(message), context: { ...context } };
    if (this.keys.has(context.idempotencyKey)) this.duplicates.push(captured);
    else this.sent.push(captured);
    this.keys.add(context.idempotencyKey);
  }

  /** Forgets everything sent, the duplicates and the idempotency keys seen. */
  clear(): void {
    this.sent.length = 0;
    this.duplicates.length = 0;
    this.keys.clear();
  }
}

/** A {@link Mailer} that keeps what it sends, for tests and the demo. */
export class CapturingMailer extends CapturingSender<MailMessage> implements Mailer {
  /** Messages sent to `to`, oldest first. */
  to(address: string): MailMessage[] {
    return this.sent.filter((c) => c.message.to === address).map((c) => c.message);
  }
}

/** An {@link SmsSender} that keeps what it sends. */
export class CapturingSms extends CapturingSender<SmsMessage> implements SmsSender {
  /** Messages sent to `number`, oldest first. */
  to(number: string): SmsMessage[] {
    return this.sent.filter((c) => c.message.to === number).map((c) => c.message);
  }
}
