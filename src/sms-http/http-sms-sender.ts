import { commonErrors } from '../errors.js';
import type { DeliveryContext } from '../ports/mailer.js';
import type { SmsMessage, SmsSender } from '../ports/sms-sender.js';
import { isRetryableStatus, SmsDeliveryError } from './delivery-error.js';

/** A JSON value the body mapper may add to the request. */
export type HttpSmsJson = string | number | boolean | null | HttpSmsJson[] | { [key: string]: HttpSmsJson };

/** Options of {@link createHttpSmsSender}. */
export interface HttpSmsSenderOptions {
  /** The provider's endpoint; must be an absolute http(s) URL. Required. */
  url: string | URL;
  /**
   * Headers of every request, e.g. `{ Authorization: 'Bearer …' }`, or a function called per request
   * (for tokens that rotate). Default: none. They cannot replace `Content-Type` or `Idempotency-Key`.
   */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** The fetch to use. Default: the global `fetch`, looked up at each send. */
  fetch?: typeof fetch;
  /**
   * Fields to add to the JSON body next to `to` and `text` (a sender id, a callback URL). Default:
   * none. Fields named `to` or `text` replace the adapter's.
   */
  body?: (message: SmsMessage, context: DeliveryContext) => Record<string, HttpSmsJson>;
  /**
   * Milliseconds before a request is aborted and counted as a retryable failure: a whole number
   * from 1 to 2,147,483,647 (the longest timer JavaScript runtimes hold). Default 10,000.
   */
  timeoutMs?: number;
}

/** The default request timeout of {@link createHttpSmsSender}. */
export const DEFAULT_SMS_TIMEOUT_MS = 10_000;

// Timers hold a signed 32-bit delay; a longer one is cut to 1 ms, which would abort every send.
const MAX_TIMEOUT_MS = 2_147_483_647;

const reservedHeaders = new Set(['content-type', 'idempotency-key']);

/**
 * Creates an {@link SmsSender} that POSTs `{ to, text, ...body(message, context) }` as JSON to
 * `url`, with the message's idempotency key in an `Idempotency-Key` header, so a provider that
 * honours it sends a retried message once. A 2xx answer is a delivery; otherwise it throws an
 * {@link SmsDeliveryError}, retryable for 408, 429, 5xx, network failures, timeouts and an abort of
 * `context.signal` (the dispatcher's send timeout: the request is cancelled), permanent for every
 * other status. Web APIs only (fetch, AbortSignal), so it runs in edge runtimes too.
 */
export function createHttpSmsSender(options: HttpSmsSenderOptions): SmsSender {
  const url = parseEndpoint(options.url);
  checkHeaders(options.headers);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS;
  // A fraction makes AbortSignal.timeout throw before any request: every send would fail.
  if (!(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'timeoutMs', expected: 'a whole number of milliseconds from 1 to 2147483647' },
      'Expected timeoutMs to be a whole number of milliseconds from 1 to 2147483647.',
    );
  }

  return {
    async send(message: SmsMessage, context: DeliveryContext): Promise<void> {
      let extra: Record<string, string>;
      try {
        extra = typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {});
      } catch (error) {
        // The host's header function (a token service, say) may answer later: retryable.
        throw new SmsDeliveryError('SMS not sent, retryable: the headers function failed', true, undefined, {
          cause: error,
        });
      }
      const headers = requestHeaders(extra);
      headers.set('Content-Type', 'application/json');
      headers.set('Idempotency-Key', context.idempotencyKey);
      const body = JSON.stringify({ to: message.to, text: message.text, ...options.body?.(message, context) });
      const send = options.fetch ?? globalThis.fetch;
      const timeout = AbortSignal.timeout(timeoutMs);
      const request = requestSignal(timeout, context.signal);
      let response: Response;
      try {
        response = await send(url, { method: 'POST', headers, body, signal: request.signal });
      } catch (error) {
        // Every failure to get an answer may pass later, the caller's abort (the dispatcher's send
        // timeout) included: retryable. Only the message says which it was.
        const callerAborted = context.signal?.aborted === true && !timeout.aborted;
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const what = callerAborted
          ? `aborted by the caller (${reasonOf(context.signal!.reason)})`
          : timedOut
            ? `no answer within ${timeoutMs} ms`
            : networkFailure(error);
        throw new SmsDeliveryError(`SMS not accepted, retryable: ${what}`, true, undefined, { cause: error });
      } finally {
        request.release();
      }
      // The body is not read: it may echo the text, which can hold a one-time code. Releasing it
      // frees the connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return;
      const retryable = isRetryableStatus(response.status);
      throw new SmsDeliveryError(
        `SMS not accepted, ${retryable ? 'retryable' : 'permanent'}: HTTP ${response.status} from ${url.host}`,
        retryable,
        response.status,
      );
    },
  };
}

function parseEndpoint(value: string | URL): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // Credentials in the URL: fetch refuses to send it, and its error would carry them into the
  // message's stored failure reason. They belong in `headers` (an Authorization header).
  const credentials = url !== undefined && (url.username !== '' || url.password !== '');
  if (url && !credentials && (url.protocol === 'https:' || url.protocol === 'http:')) return url;
  throw commonErrors.raise(
    'CONFIGURATION_INVALID',
    { field: 'url', expected: 'an absolute http(s) URL without a user name or password' },
    'Expected the SMS endpoint url to be an absolute http(s) URL without credentials (put them in headers).',
  );
}

/** The host's headers on a request, but `Content-Type` and `Idempotency-Key`; a value no request can carry fails for good. */
function requestHeaders(extra: Record<string, string>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(extra)) {
    if (reservedHeaders.has(name.toLowerCase())) continue;
    try {
      headers.set(name, value);
    } catch (error) {
      // The value is not quoted: it may be a token.
      throw new SmsDeliveryError(
        `SMS not sent, permanent: header ${JSON.stringify(name)} has an invalid value`,
        false,
        undefined,
        {
          cause: error,
        },
      );
    }
  }
  return headers;
}

/** CONFIGURATION_INVALID unless `headers` is absent, a function, or an object of strings a request can carry. */
function checkHeaders(headers: unknown): void {
  if (headers === undefined || typeof headers === 'function') return;
  let valid = headers !== null && typeof headers === 'object' && !Array.isArray(headers);
  if (valid) {
    try {
      const entries = Object.entries(headers as Record<string, unknown>);
      valid = entries.every(([, value]) => typeof value === 'string');
      if (valid) new Headers(entries as Array<[string, string]>);
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'headers', expected: 'an object of header names to string values a request can carry, or a function' },
      'Expected the SMS sender headers to be an object of valid header values, or a function returning one.',
    );
  }
}

/**
 * The request's signal: the adapter's timeout, combined with the caller's `context.signal` when it
 * gives one, through `AbortSignal.any` where the runtime has it. Elsewhere (Node before 20.3, older
 * edge runtimes) one controller aborts with whichever fires first, and `release` takes its listeners
 * off both signals once the request has settled, so a long-lived caller's signal does not collect them.
 */
function requestSignal(
  timeout: AbortSignal,
  caller: AbortSignal | undefined,
): { signal: AbortSignal; release(): void } {
  if (caller === undefined) return { signal: timeout, release: () => undefined };
  if (typeof AbortSignal.any === 'function')
    return { signal: AbortSignal.any([caller, timeout]), release: () => undefined };
  const controller = new AbortController();
  const removers = [caller, timeout].map((source) => {
    const abort = () => controller.abort(source.reason);
    if (source.aborted) abort();
    else source.addEventListener('abort', abort, { once: true });
    return () => source.removeEventListener('abort', abort);
  });
  return { signal: controller.signal, release: () => removers.forEach((remove) => remove()) };
}

/** The caller's abort reason, short: it is the caller's text, never the message's. */
function reasonOf(reason: unknown): string {
  return (reason instanceof Error ? reason.message : String(reason)).slice(0, 200);
}

function networkFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the network error (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
