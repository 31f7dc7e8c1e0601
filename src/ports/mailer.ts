/** An email as the outbox hands it to the {@link Mailer}. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Template name, e.g. `ticket.confirmation`. */
  template: string;
  locale: string;
}

/** Delivery context for one attempt. */
export interface DeliveryContext {
  /** Stable per message across retries: a mailer that supports it must deliver at most once per key. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** Sends email. */
export interface Mailer {
  /**
   * Must resolve once the provider accepted the message, and throw (or reject) if it did not:
   * the dispatcher retries with backoff and finally marks the message dead. An error with
   * `retryable === false` (a refused address, SMTP 5xx) is final: the message is dead at once.
   */
  send(message: MailMessage, context: DeliveryContext): Promise<void> | void;
}
