import { commonErrors } from '../errors.js';
import type { Clock } from '../ports/clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A clock that moves only when told. Tests and the demo drive time with it. */
export class ManualClock implements Clock {
  private current: number;

  /** Starts at `start` (epoch ms, an ISO string or a Date); INVALID_INPUT when that is no finite instant. */
  constructor(start: number | string | Date = '2026-01-05T09:00:00Z') {
    this.current = instant(start, 'start');
  }

  now(): number {
    return this.current;
  }

  /** Moves forward by `ms`: a finite number ≥ 0 (INVALID_INPUT otherwise; time never goes backwards). */
  advance(ms: number): this {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) refuse('ms', 'a finite number of milliseconds ≥ 0');
    return this.moveTo(this.current + ms, 'ms');
  }

  /** Moves the clock forward by `minutes` (must be ≥ 0). */
  advanceMinutes(minutes: number): this {
    return this.advance(minutes * MINUTE);
  }

  /** Moves the clock forward by `hours` (must be ≥ 0). */
  advanceHours(hours: number): this {
    return this.advance(hours * HOUR);
  }

  /** Jumps to an instant, not before now (INVALID_INPUT otherwise). */
  set(at: number | string | Date): this {
    const next = instant(at, 'at');
    if (next < this.current) refuse('at', 'an instant not before now (time never goes backwards)');
    return this.moveTo(next, 'at');
  }

  private moveTo(next: number, field: string): this {
    if (!Number.isFinite(next)) refuse(field, 'an instant the clock can reach');
    this.current = next;
    return this;
  }
}

/** Epoch ms of `value`: a finite number, or a string or Date that names a valid instant. */
function instant(value: unknown, field: string): number {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' || value instanceof Date
        ? new Date(value).getTime()
        : Number.NaN;
  if (!Number.isFinite(ms)) refuse(field, 'epoch milliseconds, an ISO date-time string or a valid Date');
  return ms;
}

function refuse(field: string, what: string): never {
  throw commonErrors.raise('INVALID_INPUT', { field }, `ManualClock: ${field} must be ${what}.`);
}
