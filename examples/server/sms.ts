// A development SMS sender: messages are kept in memory and shown at /dev/sms instead of being
// sent. A real host plugs in its provider's SmsSender here.
import type { DeliveryContext, SmsMessage, SmsSender } from '../../src/index.js';

/** One SMS as the development page shows it. */
export interface DevSms {
  to: string;
  text: string;
  template: string;
  at: number;
  idempotencyKey: string;
}

/** An SmsSender that keeps what it would have sent; a repeated idempotency key is sent once. */
export class DevSmsSender implements SmsSender {
  readonly inbox: DevSms[] = [];

  send(message: SmsMessage, context: DeliveryContext): void {
    if (this.inbox.some((sms) => sms.idempotencyKey === context.idempotencyKey)) return;
    this.inbox.push({
      to: message.to,
      text: message.text,
      template: message.template,
      at: Date.now(),
      idempotencyKey: context.idempotencyKey,
    });
  }
}
