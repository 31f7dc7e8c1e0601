import { commonErrors } from '../errors.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import { webCryptoRandom, type RandomSource } from '../ports/random-source.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { constantTimeEqualBytes } from './constant-time.js';

/** Identifier at the start of every stored hash: `pbkdf2-sha256$<iterations>$<salt>$<hash>`. */
export const pbkdf2Scheme = 'pbkdf2-sha256';

/** OWASP Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA-256. */
export const defaultPbkdf2Iterations = 600_000;

const saltBytes = 16;
const keyBytes = 32;
// A stored string is data: an absurd iteration count must not pin a CPU for minutes.
const maxIterations = 10_000_000;

/** Options of {@link createPbkdf2Hasher}; every field has a default. */
export interface Pbkdf2HasherOptions {
  /** Iterations for new hashes. Default 600,000. Verification uses the count in the stored string. */
  iterations?: number;
  /** Source of salts. Default: Web Crypto. */
  random?: RandomSource;
}

const encoder = new TextEncoder();

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  bytes: number,
): Promise<Uint8Array> {
  const material = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(password.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

interface ParsedHash {
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array;
}

function parse(stored: unknown): ParsedHash | null {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== pbkdf2Scheme) return null;
  const [, iterationsText, saltText, hashText] = parts as [string, string, string, string];
  if (!/^[1-9][0-9]{0,7}$/.test(iterationsText)) return null;
  const iterations = Number(iterationsText);
  if (iterations > maxIterations) return null;
  const salt = decodeBase64Url(saltText);
  const hash = decodeBase64Url(hashText);
  if (!salt || salt.length < 8 || !hash || hash.length !== keyBytes) return null;
  return { iterations, salt, hash };
}

/**
 * The default {@link PasswordHasher}: PBKDF2-SHA-256 through `crypto.subtle`, a 16-byte
 * random salt and a 32-byte key, stored as `pbkdf2-sha256$<iterations>$<salt>$<hash>`
 * (base64url, unpadded). Passwords are NFKC-normalised before hashing. `needsRehash` is true for
 * fewer iterations than configured and for any other scheme (e.g. to move back from argon2id).
 */
export function createPbkdf2Hasher(options: Pbkdf2HasherOptions = {}): PasswordHasher {
  const iterations = options.iterations ?? defaultPbkdf2Iterations;
  const random = options.random ?? webCryptoRandom;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > maxIterations) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'iterations', expected: `an integer from 1 to ${maxIterations}` },
      `Expected PBKDF2 iterations to be an integer from 1 to ${maxIterations}.`,
    );
  }

  return {
    async hash(password) {
      if (typeof password !== 'string') {
        throw commonErrors.raise(
          'INVALID_INPUT',
          { field: 'password', expected: 'a string' },
          'Expected the password to be a string.',
        );
      }
      const salt = new Uint8Array(saltBytes);
      random.fill(salt);
      const hash = await derive(password, salt, iterations, keyBytes);
      return `${pbkdf2Scheme}$${iterations}$${encodeBase64Url(salt)}$${encodeBase64Url(hash)}`;
    },

    async verify(password, stored) {
      const parsed = parse(stored);
      if (!parsed || typeof password !== 'string') return false;
      const candidate = await derive(password, parsed.salt, parsed.iterations, parsed.hash.length);
      return constantTimeEqualBytes(candidate, parsed.hash);
    },

    needsRehash(stored) {
      const parsed = parse(stored);
      return !parsed || parsed.iterations < iterations;
    },
  };
}
