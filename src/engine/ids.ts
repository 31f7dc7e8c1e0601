import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { RandomSource } from '../ports/random-source.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Default ids: prefix + 9 base-36 characters of time + 4 of a per-process counter + 8 random.
 * They sort by creation time (to the millisecond, then by counter within a process).
 */
export function createIdGenerator(clock: Clock, random: RandomSource): IdGenerator {
  let counter = 0;
  const bytes = new Uint8Array(8);
  return {
    next(prefix) {
      counter = (counter + 1) % 36 ** 4;
      random.fill(bytes);
      let tail = '';
      for (const b of bytes) tail += ALPHABET[b % 36];
      return `${prefix}${clock.now().toString(36).padStart(9, '0')}${counter.toString(36).padStart(4, '0')}${tail}`;
    },
  };
}
