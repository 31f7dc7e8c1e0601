import { commonErrors } from '../errors.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import { webCryptoRandom, type RandomSource } from '../ports/random-source.js';
import { constantTimeEqualBytes } from '../security/constant-time.js';
import { argon2idLimits, formatArgon2idPhc, parseArgon2idPhc, type Argon2idParameters } from './phc-string.js';

/** OWASP Password Storage Cheat Sheet minimum for argon2id: m=19 MiB, t=2, p=1. */
export const defaultArgon2idParameters: Readonly<Argon2idParameters> = Object.freeze({
  memoryKiB: 19_456,
  iterations: 2,
  parallelism: 1,
});

const saltBytes = 16;
const hashBytes = 32;

/** What an argon2id implementation is given: the NFKC-normalised password as UTF-8, and the costs. */
export interface Argon2idInput extends Argon2idParameters {
  password: Uint8Array;
  salt: Uint8Array;
  /** Output length in bytes. */
  hashLength: number;
}

/** An argon2id (v=19, no secret, no associated data) implementation: resolves the raw tag. */
export type Argon2idFunction = (input: Argon2idInput) => Promise<Uint8Array>;

/** Options of {@link createArgon2idHasher}. */
export interface Argon2idHasherOptions {
  /** Memory in KiB for new hashes. Default 19,456 (19 MiB). At most 1 GiB. */
  memoryKiB?: number;
  /** Passes over the memory for new hashes. Default 2. At most 64. */
  iterations?: number;
  /** Lanes for new hashes. Default 1. At most 16. */
  parallelism?: number;
  /**
   * The hasher of the scheme being migrated from (e.g. `createPbkdf2Hasher()`): a stored string
   * that is not argon2id is verified by it, and `needsRehash` reports it, so the next successful
   * login stores an argon2id hash. Default: none (such strings never verify).
   */
  fallback?: PasswordHasher;
  /** Source of salts. Default: Web Crypto. */
  random?: RandomSource;
  /**
   * The argon2id implementation. Default: hash-wasm's (WebAssembly compiled from bytes at the
   * first call). Runtimes that forbid compiling WebAssembly from bytes (Cloudflare Workers,
   * Vercel Edge) must pass one that loads a `.wasm` module their bundler ships.
   */
  argon2id?: Argon2idFunction;
}

const encoder = new TextEncoder();
const emptyStandIn = new Uint8Array(1);

/**
 * hash-wasm's argon2id, raw output. Imported at the first hash, not when the entry loads, so a host
 * that passes its own `argon2id` (a runtime that cannot compile WebAssembly from bytes) need not
 * install or bundle hash-wasm.
 */
const hashWasmArgon2id: Argon2idFunction = async (input) =>
  (await import('hash-wasm')).argon2id({
    password: input.password,
    salt: input.salt,
    iterations: input.iterations,
    parallelism: input.parallelism,
    memorySize: input.memoryKiB,
    hashLength: input.hashLength,
    outputType: 'binary',
  });

function requireCost(field: keyof Argon2idParameters, value: number, max: number): number {
  if (Number.isSafeInteger(value) && value >= 1 && value <= max) return value;
  throw commonErrors.raise(
    'CONFIGURATION_INVALID',
    { field, expected: `an integer from 1 to ${max}` },
    `Expected argon2id ${field} to be an integer from 1 to ${max}.`,
  );
}

/**
 * A {@link PasswordHasher} with argon2id (RFC 9106, v=19) through WebAssembly: a 16-byte random
 * salt, a 32-byte tag, stored as a PHC string
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (standard base64, unpadded) that other argon2
 * libraries read. Passwords are NFKC-normalised first. `needsRehash` is true for any stored
 * string whose scheme or parameters differ from the configured ones.
 */
export function createArgon2idHasher(options: Argon2idHasherOptions = {}): PasswordHasher {
  const limits = argon2idLimits;
  const memoryKiB = requireCost(
    'memoryKiB',
    options.memoryKiB ?? defaultArgon2idParameters.memoryKiB,
    limits.maxMemoryKiB,
  );
  const iterations = requireCost(
    'iterations',
    options.iterations ?? defaultArgon2idParameters.iterations,
    limits.maxIterations,
  );
  const parallelism = requireCost(
    'parallelism',
    options.parallelism ?? defaultArgon2idParameters.parallelism,
    limits.maxParallelism,
  );
  if (memoryKiB < 8 * parallelism) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'memoryKiB', expected: 'at least 8 KiB per lane' },
      'Expected argon2id memoryKiB to be at least 8 times parallelism.',
    );
  }
  const random = options.random ?? webCryptoRandom;
  const compute = options.argon2id ?? hashWasmArgon2id;
  const { fallback } = options;
  const encode = (password: string) => encoder.encode(password.normalize('NFKC'));

  return {
    async hash(password) {
      // hash-wasm refuses an empty input; no password policy allows one anyway.
      if (typeof password !== 'string' || password === '') {
        throw commonErrors.raise(
          'INVALID_INPUT',
          { field: 'password', expected: 'a non-empty string' },
          'Expected the password to be a non-empty string.',
        );
      }
      const salt = new Uint8Array(saltBytes);
      random.fill(salt);
      const params = { memoryKiB, iterations, parallelism };
      const hash = await compute({ ...params, password: encode(password), salt, hashLength: hashBytes });
      return formatArgon2idPhc({ ...params, salt, hash });
    },

    async verify(password, stored) {
      if (typeof password !== 'string') return false;
      const parsed = parseArgon2idPhc(stored);
      if (!parsed) return fallback ? fallback.verify(password, stored) : false;
      const candidate = await compute({
        memoryKiB: parsed.memoryKiB,
        iterations: parsed.iterations,
        parallelism: parsed.parallelism,
        // An empty password never matches, but costs the same (hash-wasm refuses empty input).
        password: password === '' ? emptyStandIn : encode(password),
        salt: parsed.salt,
        hashLength: parsed.hash.length,
      });
      return password !== '' && constantTimeEqualBytes(candidate, parsed.hash);
    },

    needsRehash(stored) {
      const parsed = parseArgon2idPhc(stored);
      if (!parsed) return true;
      return (
        parsed.memoryKiB !== memoryKiB ||
        parsed.iterations !== iterations ||
        parsed.parallelism !== parallelism ||
        parsed.salt.length < saltBytes ||
        parsed.hash.length !== hashBytes
      );
    },
  };
}
