import { decodeBase64Url, encodeBase64Url } from '../security/base64url.js';
import { constantTimeEqual } from '../security/constant-time.js';

/** The three headers of a Standard Webhooks delivery. */
export interface WebhookHeaders {
  'webhook-id': string;
  /** Unix seconds, as decimal text. */
  'webhook-timestamp': string;
  /** One or more space-separated `v1,<base64 HMAC-SHA-256>` signatures. */
  'webhook-signature': string;
}

/** Input of {@link signWebhook}. */
export interface SignWebhookInput {
  /** The message id: must stay the same across retries of one event (the receiver dedupes on it). */
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** The exact body that is sent: the signature covers these characters. */
  body: string;
  /** `whsec_<base64>` (the prefix is optional); several secrets sign with each, for rotation. */
  secret: string | readonly string[];
}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * Largest accepted distance between the timestamp and `now`, in seconds: a finite number, 0 or
   * more. Default 300 when left out or `undefined`. Anything else (NaN, Infinity, a negative number,
   * `null`) is refused with a TypeError, never taken as "no limit" or replaced by the default.
   */
  toleranceSeconds?: number;
  /**
   * The receiver's current time in epoch ms, a finite number. Default `Date.now()` (impure) when
   * left out or `undefined`; anything else (NaN, Infinity, `null`) is refused with a TypeError.
   */
  now?: number;
}

/** Why {@link verifyWebhook} refused a delivery; `ok: true` when it did not. */
export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | {
      ok: false;
      reason: 'MISSING_HEADERS' | 'INVALID_TIMESTAMP' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'NO_MATCHING_SIGNATURE';
    };

const SECRET_PREFIX = 'whsec_';
const DEFAULT_TOLERANCE_SECONDS = 300;

/** Standard base64 (with padding) of bytes, through the core's base64url codec. */
function toBase64(bytes: Uint8Array): string {
  const url = encodeBase64Url(bytes).replaceAll('-', '+').replaceAll('_', '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
}

/**
 * The key bytes of a `whsec_` secret; a secret that is not base64 is refused (TypeError). Internal:
 * `createHelpdesk` calls it to refuse a bad secret up front (CONFIGURATION_INVALID).
 */
export function keyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string') throw new TypeError('A webhook secret must be a string: whsec_ followed by base64.');
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = decodeBase64Url(encoded.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
  if (!bytes || bytes.length === 0)
    throw new TypeError('A webhook secret must be whsec_ followed by base64 key bytes.');
  return bytes;
}

async function signOne(secret: string, id: string, timestamp: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', keyBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/**
 * Signs a delivery per Standard Webhooks: `v1,` + base64 HMAC-SHA-256 of `id.timestamp.body`
 * under each secret. Web Crypto only. Throws a TypeError for a secret that is not base64.
 */
export async function signWebhook(input: SignWebhookInput): Promise<WebhookHeaders> {
  if (!Number.isSafeInteger(input.timestamp)) throw new TypeError('webhook timestamp must be integer seconds');
  const timestamp = String(input.timestamp);
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const signatures = await Promise.all(secrets.map((secret) => signOne(secret, input.id, timestamp, input.body)));
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

/** What {@link verifyWebhook} reads headers from: a `Headers`, or a plain object (names in any case). */
export type WebhookHeaderSource = Headers | WebhookHeaders | Readonly<Record<string, string | undefined>>;

/** A header by its name in any case, from a plain object or a `Headers`. */
function header(headers: WebhookHeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | undefined>))
    if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * Verifies a delivery on the receiving side: the timestamp within `toleranceSeconds` of `now`
 * (replays are refused), and at least one `v1` signature in the header matching (compared in
 * constant time). Must be given the raw body exactly as received. Throws a TypeError, whatever
 * the delivery, for a tolerance that is not a finite number from 0 up or a `now` that is not finite.
 */
export async function verifyWebhook(
  headers: WebhookHeaderSource,
  body: string,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<WebhookVerification> {
  // Checked before the delivery: `age > NaN` is never true, so a NaN (an unset environment
  // variable through Number()) would let every replay through.
  // Only a left-out option takes its default: null is refused like NaN, never read as "not given".
  const tolerance = options.toleranceSeconds === undefined ? DEFAULT_TOLERANCE_SECONDS : options.toleranceSeconds;
  if (!(Number.isFinite(tolerance) && tolerance >= 0))
    throw new TypeError('webhook toleranceSeconds must be a finite number of seconds, 0 or more');
  const now = options.now === undefined ? Date.now() : options.now;
  if (!Number.isFinite(now)) throw new TypeError('webhook verification now must be a finite time in epoch ms');
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'MISSING_HEADERS' };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'INVALID_TIMESTAMP' };
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor(now / 1000);
  if (Math.abs(nowSeconds - seconds) > tolerance) {
    return { ok: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' };
  }
  const expected = await signOne(secret, id, timestamp, body);
  let matched = false;
  // Every candidate is compared (no early exit), so timing says nothing about which one matched.
  for (const candidate of signatures.split(' ')) {
    if (candidate.startsWith('v1,') && constantTimeEqual(candidate, expected)) matched = true;
  }
  return matched ? { ok: true, id, timestamp: seconds } : { ok: false, reason: 'NO_MATCHING_SIGNATURE' };
}
