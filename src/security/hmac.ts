import { commonErrors } from '../errors.js';
import { encodeBase64Url, encodeHex } from './base64url.js';
import { constantTimeEqual } from './constant-time.js';
import { hmacSha256 } from './hmac-sha256.js';

/** Output encoding of {@link SecretHasher.hash}. */
export type SecretHashEncoding = 'base64url' | 'hex';

/**
 * Keyed hashing of short-lived secrets (one-time codes, link tokens, temporary passwords)
 * before they are stored. A pepper-keyed MAC, not a slow password hash: the secrets are
 * random and short-lived, and a leaked table is useless without the pepper.
 */
export interface SecretHasher {
  /**
   * HMAC-SHA-256 of `purpose + '\0' + secret`. The purpose (e.g. `'login'`,
   * `'password_reset'`) is part of the MAC, so a code issued for one purpose never matches
   * a hash stored for another.
   */
  hash(purpose: string, secret: string): Promise<string>;
  /** True when `secret` hashes to `stored` for `purpose`; compares in constant time. */
  verify(purpose: string, secret: string, stored: string): Promise<boolean>;
}

export interface SecretHasherOptions {
  /** Default: `'base64url'` (43 characters); `'hex'` gives 64. */
  encoding?: SecretHashEncoding;
}

const encoder = new TextEncoder();

/** Creates a {@link SecretHasher} keyed with `pepper` (a server-side secret, never stored next to the hashes). */
export function createSecretHasher(pepper: string, options: SecretHasherOptions = {}): SecretHasher {
  if (typeof pepper !== 'string' || pepper.length === 0) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'secrets.pepper', expected: 'a non-empty string' },
      'Expected a non-empty pepper for hashing codes and tokens.',
    );
  }
  const encoding = options.encoding ?? 'base64url';
  // Keyed once, here: the pads' states are computed up front and every hash is synchronous (a
  // WebCrypto sign is a thread-pool round trip per call; see hmac-sha256.ts).
  const mac = hmacSha256(encoder.encode(pepper));

  async function hash(purpose: string, secret: string): Promise<string> {
    // A NUL inside the purpose would make `purpose\0secret` ambiguous between two pairs.
    if (typeof purpose !== 'string' || purpose.length === 0 || purpose.includes('\0')) {
      throw commonErrors.raise(
        'INVALID_INPUT',
        { field: 'purpose', expected: 'a non-empty string without NUL characters' },
        'Expected the hashing purpose to be a non-empty string without NUL characters.',
      );
    }
    if (typeof secret !== 'string') {
      throw commonErrors.raise(
        'INVALID_INPUT',
        { field: 'secret', expected: 'a string' },
        'Expected the secret to be a string.',
      );
    }
    const tag = mac(encoder.encode(`${purpose}\0${secret}`));
    return encoding === 'hex' ? encodeHex(tag) : encodeBase64Url(tag);
  }

  return {
    hash,
    async verify(purpose, secret, stored) {
      return constantTimeEqual(await hash(purpose, secret), stored);
    },
  };
}
