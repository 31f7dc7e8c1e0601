import type { DomainEvent } from '../events/catalogue.js';
import type { WebhookHeaders } from './standard-webhooks.js';

/** What a {@link WebhookSender} gets besides the event. */
export interface WebhookDelivery {
  /** The event id: stable across retries and redeliveries; the receiver must drop repeats of it. */
  idempotencyKey: string;
  /** 1 for the first try of this event by this cursor, then 2, 3, ... */
  attempt: number;
  /** Standard Webhooks headers, signed over `body` with the host's secret at this attempt. */
  headers: WebhookHeaders;
  /** The exact JSON text to send as the request body (the signature covers it). */
  body: string;
  /**
   * Aborts when the event delivery stops waiting for this send (the webhook policy's `sendTimeoutMs`,
   * default 30 s, or half a shorter lease): pass it on (e.g. `fetch(url, { signal })`) so the abandoned
   * request is cancelled, since its result is ignored from then on and the event is retried with the
   * same id. Absent when a caller other than the event delivery (a test) calls the sender.
   */
  signal?: AbortSignal;
}

/**
 * The host's webhook transport (e.g. a `fetch` POST of `body` with `headers` and `signal`). Must resolve
 * only when the receiver accepted the event and reject otherwise; a rejection, or a send not settled
 * within the policy's `sendTimeoutMs`, is retried with backoff and, after the last attempt,
 * dead-lettered. A rejection with `retryable === false` (e.g. a 410 Gone) is final, as for mail:
 * dead-lettered at once. Deliveries are at-least-once and in feed order.
 */
export interface WebhookSender {
  /** Must POST `delivery.body` with `delivery.headers` and resolve only once the receiver accepted `event`. */
  send(event: DomainEvent, delivery: WebhookDelivery): Promise<void>;
}
