/**
 * An SMS the provider's HTTP API did not accept. `retryable` says whether the same request may
 * succeed later (408, 429, 5xx, a network failure, a timeout) or cannot (any other status).
 */
export class SmsDeliveryError extends Error {
  override readonly name = 'SmsDeliveryError';

  constructor(
    message: string,
    /** True when a later attempt with the same idempotency key may succeed. */
    readonly retryable: boolean,
    /** The HTTP status when the provider answered; undefined for network failures and timeouts. */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for the statuses after which the same request may succeed: 408, 429 and 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
