import { commonErrors } from '../errors.js';
import type { RandomSource } from '../ports/random-source.js';
import { encodeBase64Url } from './base64url.js';

// Alphabets for human-typed secrets leave out look-alikes: 0/O/o, 1/l/I.
const lowercase = 'abcdefghijkmnpqrstuvwxyz';
const uppercase = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const digits = '23456789';

/** The characters {@link randomPassword} draws from: letters and digits without look-alikes. */
export const passwordAlphabet = lowercase + uppercase + digits;

/**
 * Draws `count` indexes uniformly from `[0, size)` for `size <= 256`. A byte is accepted only
 * below the largest multiple of `size`; the rest are rejected, so `byte % size` has no bias.
 */
function uniformIndexes(random: RandomSource, size: number, count: number): number[] {
  const limit = 256 - (256 % size);
  const out: number[] = [];
  while (out.length < count) {
    // Ask for a little more than needed: a rejected byte rarely costs a second fill.
    const batch = new Uint8Array(Math.max(16, Math.ceil((count - out.length) * 1.25)));
    random.fill(batch);
    for (const byte of batch) {
      if (byte < limit) {
        out.push(byte % size);
        if (out.length === count) break;
      }
    }
  }
  return out;
}

function requireCount(field: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { field, expected: `an integer from ${min} to ${max}` },
      `Expected ${field} to be an integer from ${min} to ${max}.`,
    );
  }
}

/** `n` uniformly random decimal digits, e.g. a one-time code. Leading zeros are kept. */
export function randomDigits(random: RandomSource, n: number): string {
  requireCount('n', n, 1, 1024);
  return uniformIndexes(random, 10, n).join('');
}

/** A link token: `bytes` random bytes (default 32, i.e. 256 bits) as unpadded base64url (43 chars for 32). */
export function randomToken(random: RandomSource, bytes = 32): string {
  requireCount('bytes', bytes, 16, 1024);
  const buffer = new Uint8Array(bytes);
  random.fill(buffer);
  return encodeBase64Url(buffer);
}

/**
 * A temporary password of `length` characters (default 20) from {@link passwordAlphabet},
 * with at least one lowercase letter, one uppercase letter and one digit. Every character
 * is drawn uniformly; a draw that misses a class is thrown away whole, so the result is
 * uniform over all passwords that satisfy the rule.
 */
export function randomPassword(random: RandomSource, length = 20): string {
  requireCount('length', length, 8, 128);
  for (;;) {
    const password = uniformIndexes(random, passwordAlphabet.length, length)
      .map((index) => passwordAlphabet[index]!)
      .join('');
    if (hasEveryClass(password)) return password;
  }
}

function hasEveryClass(password: string): boolean {
  let lower = false;
  let upper = false;
  let digit = false;
  for (const char of password) {
    if (lowercase.includes(char)) lower = true;
    else if (uppercase.includes(char)) upper = true;
    else if (digits.includes(char)) digit = true;
  }
  return lower && upper && digit;
}
