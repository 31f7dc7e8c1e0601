import type { DeliveryContext } from './mailer.js';

/** A text message as the outbox hands it to the {@link SmsSender}. */
export interface SmsMessage {
  /** E.164 number, e.g. `+36301234567`. */
  to: string;
  text: string;
  template: string;
  locale: string;
}

/** Sends SMS. */
export interface SmsSender {
  /**
   * Must resolve once the provider accepted the message and throw if it did not (the dispatcher
   * retries; an error with `retryable === false` is final and the message is dead at once). A send
   * not settled within the outbox's `sendTimeoutMs` counts as a retryable failure (`context.signal` aborts).
   */
  send(message: SmsMessage, context: DeliveryContext): Promise<void> | void;
}
