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
  /**
   * Aborts when the dispatcher stops waiting for this send (the outbox policy's `sendTimeoutMs`, default
   * 30 s, or half a shorter lease): a sender should pass it on (e.g. to `fetch`) and stop, since its result is ignored from
   * then on and the message is retried with the same key. Absent when a caller other than the
   * dispatcher (a test, a conformance case) calls the sender.
   */
  signal?: AbortSignal;
}

/** Sends email. */
export interface Mailer {
  /**
   * Must resolve once the provider accepted the message, and throw (or reject) if it did not:
   * the dispatcher retries with backoff and finally marks the message dead. An error with
   * `retryable === false` (a refused address, SMTP 5xx) is final: the message is dead at once. A send
   * not settled within the outbox's `sendTimeoutMs` counts as a retryable failure.
   */
  send(message: MailMessage, context: DeliveryContext): Promise<void> | void;
}
