import { commonErrors } from '../errors.js';
import { webCryptoRandom, type RandomSource } from '../ports/random-source.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';

/**
 * An AES-256-GCM key: standard base64 (or base64url) of exactly 32 random bytes, or a Web Crypto
 * `CryptoKey` made for `AES-GCM` with the `encrypt` and `decrypt` usages.
 */
export type SealingKey = string | CryptoKey;

/**
 * Keys by key id (kid). `current` must name one of `keys`: new seals use it. Older keys must stay
 * in `keys` while anything sealed under them may still be opened (rotation: add a key, make it
 * current, drop the old one once nothing pending was sealed under it).
 */
export interface SealingKeyring {
  /** The kid new seals use. Must be a key of `keys`. */
  current: string;
  /** Every key that may still have to open something, by kid. */
  keys: Readonly<Record<string, SealingKey>>;
}

/** A sealed value as stored: the kid that sealed it, the 96-bit nonce and the ciphertext with its tag (base64url). */
export interface Sealed {
  kid: string;
  iv: string;
  data: string;
}

/** Seals and opens strings under a keyring. */
export interface Sealer {
  /** The kid new seals use. */
  readonly currentKid: string;
  /**
   * Encrypts `plaintext` under the current key. `context` (e.g. the message id) is bound as
   * associated data: the result must be opened with the same context, so a sealed value cannot
   * be moved to another message.
   */
  seal(plaintext: string, context: string): Promise<Sealed>;
  /**
   * Decrypts a value sealed with the same `context`. Must throw CONFIGURATION_INVALID naming the
   * kid when the keyring lacks that kid, or when the key does not open it (wrong key, altered data);
   * it never returns anything but the original plaintext.
   */
  open(sealed: Sealed, context: string): Promise<string>;
}

/** The kid given to a single key passed without a keyring. */
export const DEFAULT_KID = 'default';

const KEY_BYTES = 32;
const IV_BYTES = 12;

/** True when `value` has the stored shape of a {@link Sealed}. */
export function isSealed(value: unknown): value is Sealed {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v['kid'] === 'string' && typeof v['iv'] === 'string' && typeof v['data'] === 'string';
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

/** Standard base64 or base64url, padded or not, as bytes; null when it is not base64. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  const url = text.trim().replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return decodeBase64Url(url);
}

/**
 * Checks a keyring (or a single key, which becomes kid {@link DEFAULT_KID}) and returns it as a
 * keyring. Must throw CONFIGURATION_INVALID, naming the kid but never the key, for a current kid
 * that is not in `keys`, a string that is not base64 of 32 bytes, or a CryptoKey not made for AES-GCM.
 */
export function toKeyring(input: SealingKeyring | SealingKey): SealingKeyring {
  const keyring: SealingKeyring =
    typeof input === 'string' || isCryptoKey(input) ? { current: DEFAULT_KID, keys: { [DEFAULT_KID]: input } } : input;
  if (keyring === null || typeof keyring !== 'object' || keyring.keys === null || typeof keyring.keys !== 'object') {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      {},
      'secrets.encryptionKey must be a key or a keyring { current, keys }.',
    );
  }
  if (typeof keyring.current !== 'string' || !Object.hasOwn(keyring.keys, keyring.current)) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { kid: keyring.current },
      `The current encryption key id "${String(keyring.current)}" is not in the keyring.`,
    );
  }
  for (const [kid, key] of Object.entries(keyring.keys)) {
    if (typeof key === 'string') {
      if (decodeBase64(key)?.length !== KEY_BYTES) {
        throw commonErrors.raise(
          'CONFIGURATION_INVALID',
          { kid },
          `Encryption key "${kid}" must be base64 of exactly ${KEY_BYTES} random bytes.`,
        );
      }
    } else if (!isCryptoKey(key) || key.algorithm.name !== 'AES-GCM') {
      throw commonErrors.raise(
        'CONFIGURATION_INVALID',
        { kid },
        `Encryption key "${kid}" must be an AES-GCM CryptoKey.`,
      );
    }
  }
  return keyring;
}

/**
 * A keyring with one fresh random key that lives only in this process. What it sealed cannot be
 * opened by any other process or after a restart: fit for a single process (tests, development).
 */
export function ephemeralKeyring(random: RandomSource = webCryptoRandom): SealingKeyring {
  const bytes = new Uint8Array(KEY_BYTES);
  random.fill(bytes);
  const id = new Uint8Array(6);
  random.fill(id);
  const kid = `ephemeral-${encodeBase64Url(id)}`;
  return { current: kid, keys: { [kid]: encodeBase64Url(bytes) } };
}

/**
 * Creates a {@link Sealer} (AES-256-GCM through Web Crypto, a random 96-bit nonce per seal).
 * The keyring is checked at once (see {@link toKeyring}); keys are imported on first use.
 * `random` must be cryptographically secure; default `crypto.getRandomValues`.
 */
export function createSealer(input: SealingKeyring | SealingKey, random: RandomSource = webCryptoRandom): Sealer {
  const keyring = toKeyring(input);
  const imported = new Map<string, Promise<CryptoKey>>();

  function keyOf(kid: string): Promise<CryptoKey> {
    let key = imported.get(kid);
    if (key) return key;
    const given = Object.hasOwn(keyring.keys, kid) ? keyring.keys[kid] : undefined;
    if (given === undefined) {
      throw commonErrors.raise(
        'CONFIGURATION_INVALID',
        { kid },
        `No encryption key "${kid}" in the keyring: add it back to open what it sealed.`,
      );
    }
    key =
      typeof given === 'string'
        ? globalThis.crypto.subtle.importKey('raw', decodeBase64(given)!, 'AES-GCM', false, ['encrypt', 'decrypt'])
        : Promise.resolve(given);
    imported.set(kid, key);
    return key;
  }

  const encoder = new TextEncoder();
  return {
    currentKid: keyring.current,
    async seal(plaintext, context) {
      const iv = new Uint8Array(IV_BYTES);
      random.fill(iv);
      const data = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
        await keyOf(keyring.current),
        encoder.encode(plaintext),
      );
      return { kid: keyring.current, iv: encodeBase64Url(iv), data: encodeBase64Url(new Uint8Array(data)) };
    },
    async open(sealed, context) {
      const key = await keyOf(sealed.kid);
      const iv = decodeBase64Url(sealed.iv);
      const data = decodeBase64Url(sealed.data);
      try {
        if (!iv || iv.length !== IV_BYTES || !data) throw new Error('malformed');
        const plain = await globalThis.crypto.subtle.decrypt(
          { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
          key,
          data,
        );
        return new TextDecoder('utf-8', { fatal: true }).decode(plain);
      } catch {
        // Never a partial or fallback plaintext: a key that does not open the value is a configuration fault.
        throw commonErrors.raise(
          'CONFIGURATION_INVALID',
          { kid: sealed.kid },
          `Encryption key "${sealed.kid}" does not open this value: wrong key for that id, or altered data.`,
        );
      }
    },
  };
}
