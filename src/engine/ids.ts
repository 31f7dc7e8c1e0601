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
  // Random bytes are drawn 4 KiB at a time: one call to the random source per 512 ids.
  const pool = new Uint8Array(4096);
  let used = pool.length;
  return {
    next(prefix) {
      counter = (counter + 1) % 36 ** 4;
      if (used + 8 > pool.length) {
        random.fill(pool);
        used = 0;
      }
      let tail = '';
      for (let i = used; i < used + 8; i++) tail += ALPHABET[pool[i]! % 36];
      used += 8;
      return `${prefix}${clock.now().toString(36).padStart(9, '0')}${counter.toString(36).padStart(4, '0')}${tail}`;
    },
  };
}
