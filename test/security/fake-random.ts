import type { RandomSource } from '../../src/ports/random-source.js';

/** Replays `bytes` in a loop; counts how many times `fill` was called. */
export function replayRandom(bytes: readonly number[]): RandomSource & { fills: number } {
  let position = 0;
  return {
    fills: 0,
    fill(target) {
      this.fills++;
      for (let i = 0; i < target.length; i++) {
        target[i] = bytes[position % bytes.length]!;
        position++;
      }
    },
  };
}

/** Every byte value 0..255 in turn, forever: each value equally often, exactly. */
export const countingRandom = (): RandomSource & { fills: number } =>
  replayRandom(Array.from({ length: 256 }, (_, i) => i));

/** A reproducible pseudo-random source (xorshift32) for statistical checks without flakiness. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0 || 1;
  return {
    fill(target) {
      for (let i = 0; i < target.length; i++) {
        state ^= state << 13;
        state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        target[i] = state & 0xff;
      }
    },
  };
}
