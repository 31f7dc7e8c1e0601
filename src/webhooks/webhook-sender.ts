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
}

/**
 * The host's webhook transport (e.g. a `fetch` POST of `body` with `headers`). Must resolve only
 * when the receiver accepted the event and reject otherwise; a rejection is retried with backoff
 * and, after the last attempt, dead-lettered. Deliveries are at-least-once and in feed order.
 */
export interface WebhookSender {
  /** Must POST `delivery.body` with `delivery.headers` and resolve only once the receiver accepted `event`. */
  send(event: DomainEvent, delivery: WebhookDelivery): Promise<void>;
}
