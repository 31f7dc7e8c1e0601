/**
 * A mail the SMTP server or the transport did not accept. `retryable` says whether sending the same
 * message again later can succeed (a 4xx reply, a dropped connection, a timeout) or cannot (a 5xx
 * reply, a message nodemailer cannot build): the dispatcher reads the message as the failure reason.
 */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';

  constructor(
    message: string,
    /** True when a later attempt with the same idempotency key may succeed. */
    readonly retryable: boolean,
    /** The SMTP reply code when the server answered, e.g. 550; undefined for network failures. */
    readonly responseCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Failures nodemailer reports before talking to a server: the message itself is unusable.
const unsendableCodes = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Classifies what `sendMail` threw: a 5xx SMTP reply is permanent, a 4xx reply and every failure
 * without a reply (connection, DNS, TLS, timeout) is retryable, except a message nodemailer
 * refused to build.
 */
export function toMailDeliveryError(error: unknown): MailDeliveryError {
  if (error instanceof MailDeliveryError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    responseCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const text = typeof fields.message === 'string' ? fields.message : String(error);
  const retryable =
    responseCode !== undefined
      ? responseCode < 500
      : !(typeof fields.code === 'string' && unsendableCodes.has(fields.code));
  const kind = retryable ? 'retryable' : 'permanent';
  const reply = responseCode === undefined ? '' : ` (SMTP ${responseCode})`;
  return new MailDeliveryError(`mail not accepted, ${kind}${reply}: ${text}`, retryable, responseCode, {
    cause: error,
  });
}
