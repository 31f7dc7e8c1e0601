import type { RandomSource } from '../ports/random-source.js';
import { constantTimeEqual } from '../security/constant-time.js';
import { encodeBase32 } from './base32.js';

/** The TOTP parameters every common authenticator app uses (RFC 6238 defaults). */
export interface TotpParameters {
  /** Digits per code. Default 6. */
  digits: number;
  /** Length of one time step in seconds. Default 30. */
  periodSeconds: number;
  /** Steps accepted either side of the current one, for clock drift. Default 1. */
  window: number;
}

/** RFC 6238 with SHA-1, 6 digits, 30 s and ±1 step: what Google Authenticator, Authy and 1Password expect. */
export const defaultTotpParameters: TotpParameters = { digits: 6, periodSeconds: 30, window: 1 };

/** Bytes of a new TOTP secret: 20, the size of an HMAC-SHA-1 output (RFC 4226 §4 recommends 160 bits). */
export const TOTP_SECRET_BYTES = 20;

/** The result of checking a TOTP code: the step it matched, so the caller can store it as used. */
export type TotpCheck = { ok: true; step: number } | { ok: false };

/** The time step that contains `atMs` (epoch ms). */
export function totpStep(atMs: number, parameters: TotpParameters = defaultTotpParameters): number {
  return Math.floor(atMs / 1000 / parameters.periodSeconds);
}

/** The counter as 8 big-endian bytes; steps beyond 2^32 (year 2106+) need the high word too. */
function counterBytes(counter: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(counter / 2 ** 32));
  view.setUint32(4, counter >>> 0);
  return bytes;
}

/** HOTP (RFC 4226) of `counter` under `secret`, with dynamic truncation to `digits` digits (leading zeros kept). */
export async function hotp(secret: Uint8Array<ArrayBuffer>, counter: number, digits: number): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, counterBytes(counter)));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP code valid at `atMs` (epoch ms). */
export function totpAt(
  secret: Uint8Array<ArrayBuffer>,
  atMs: number,
  parameters: TotpParameters = defaultTotpParameters,
): Promise<string> {
  return hotp(secret, totpStep(atMs, parameters), parameters.digits);
}

/**
 * Checks `code` against the steps around `atMs` (± `window`). A step at or below `lastUsedStep`
 * is never accepted, so each code works once even inside its validity window (RFC 6238 §5.2).
 * Every candidate step is computed and compared in constant time, whichever matches.
 */
export async function verifyTotp(
  secret: Uint8Array<ArrayBuffer>,
  code: string,
  atMs: number,
  lastUsedStep: number | null,
  parameters: TotpParameters = defaultTotpParameters,
): Promise<TotpCheck> {
  if (!/^[0-9]+$/.test(code) || code.length !== parameters.digits) return { ok: false };
  const current = totpStep(atMs, parameters);
  let matched: number | null = null;
  for (let step = current - parameters.window; step <= current + parameters.window; step++) {
    const expected = await hotp(secret, step, parameters.digits);
    const fresh = lastUsedStep === null || step > lastUsedStep;
    if (constantTimeEqual(expected, code) && fresh && matched === null) matched = step;
  }
  return matched === null ? { ok: false } : { ok: true, step: matched };
}

/** A new random TOTP secret of {@link TOTP_SECRET_BYTES} bytes. */
export function newTotpSecret(random: RandomSource): Uint8Array<ArrayBuffer> {
  const secret = new Uint8Array(TOTP_SECRET_BYTES);
  random.fill(secret);
  return secret;
}

/**
 * The `otpauth://totp/` URI an authenticator app reads from a QR code (Key Uri Format):
 * label `issuer:account`, the secret in base32, and the parameters spelled out.
 */
export function otpauthUri(
  secret: Uint8Array,
  issuer: string,
  accountLabel: string,
  parameters: TotpParameters = defaultTotpParameters,
): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountLabel)}`;
  // RFC 3986 percent-encoding (the Key Uri Format's `issuer=ACME%20Co`), not URLSearchParams'
  // form encoding: an app that decodes by RFC 3986 would read a `+` for a space and show an
  // issuer that no longer matches the label's prefix.
  const query = [
    ['secret', encodeBase32(secret)],
    ['issuer', issuer],
    ['algorithm', 'SHA1'],
    ['digits', String(parameters.digits)],
    ['period', String(parameters.periodSeconds)],
  ]
    .map(([name, value]) => `${name}=${encodeURIComponent(value!)}`)
    .join('&');
  return `otpauth://totp/${label}?${query}`;
}
