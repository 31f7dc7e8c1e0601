import type { Clock } from '../ports/clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A clock that moves only when told. Tests and the demo drive time with it. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: number | string | Date = '2026-01-05T09:00:00Z') {
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
    if (!Number.isFinite(this.current)) throw new TypeError(`ManualClock: invalid start ${String(start)}`);
  }

  now(): number {
    return this.current;
  }

  /** Moves forward by `ms` (never backwards). */
  advance(ms: number): this {
    if (!(ms >= 0)) throw new RangeError('ManualClock.advance: ms must be >= 0');
    this.current += ms;
    return this;
  }

  /** Moves the clock forward by `minutes` (must be ≥ 0). */
  advanceMinutes(minutes: number): this {
    return this.advance(minutes * MINUTE);
  }

  /** Moves the clock forward by `hours` (must be ≥ 0). */
  advanceHours(hours: number): this {
    return this.advance(hours * HOUR);
  }

  /** Jumps to an instant (not before now). */
  set(at: number | string | Date): this {
    const next = typeof at === 'number' ? at : new Date(at).getTime();
    if (!(next >= this.current)) throw new RangeError('ManualClock.set: time never goes backwards');
    this.current = next;
    return this;
  }
}
