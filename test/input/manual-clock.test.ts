import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { ManualClock } from '../../src/testing/index.js';

// The Clock port "must return the current time in epoch milliseconds": the testing clock never
// lets a bad argument make `now()` a string, Infinity or NaN; it answers INVALID_INPUT and stays put.

function refused(call: () => unknown): boolean {
  try {
    call();
    return false;
  } catch (error) {
    return isHelpdeskError(error, 'INVALID_INPUT');
  }
}

describe('ManualClock refuses what is not an instant, and keeps its time', () => {
  it.each([['5'], [Infinity], [-1], [NaN], [null], [undefined], [{}]])('advance(%s)', (ms) => {
    const clock = new ManualClock(1_000);
    expect(refused(() => clock.advance(ms as number))).toBe(true);
    expect(clock.now()).toBe(1_000);
  });

  it.each([[Infinity], ['not a date'], [999], [new Date(Number.NaN)], [null], [{}]])('set(%s)', (at) => {
    const clock = new ManualClock(1_000);
    expect(refused(() => clock.set(at as number))).toBe(true);
    expect(clock.now()).toBe(1_000);
  });

  it.each([[Infinity], ['not a date'], [new Date(Number.NaN)], [null]])('new ManualClock(%s)', (start) => {
    expect(refused(() => new ManualClock(start as number))).toBe(true);
  });

  it('an advance past the largest number is refused, not Infinity', () => {
    const clock = new ManualClock(Number.MAX_VALUE);
    expect(refused(() => clock.advance(Number.MAX_VALUE))).toBe(true);
    expect(clock.now()).toBe(Number.MAX_VALUE);
  });

  it('moves forward by a valid amount, and jumps to a later instant given as a string or Date', () => {
    const clock = new ManualClock('2027-01-15T10:00:00Z');
    clock.advance(0).advance(1_500).advanceMinutes(1);
    expect(clock.now()).toBe(Date.parse('2027-01-15T10:01:01.500Z'));
    clock.set('2027-01-16T00:00:00Z').set(new Date('2027-01-17T00:00:00Z'));
    expect(clock.now()).toBe(Date.parse('2027-01-17T00:00:00Z'));
  });
});
