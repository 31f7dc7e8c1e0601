import type { z } from 'zod';
import { commonErrors } from '../errors.js';

// Internal helpers of the calendar module and the SLA policy; not exported from the package.

const DAY = 86_400_000;

/** Earliest supported instant: 1970-01-01T00:00:00Z. */
export const MIN_INSTANT = 0;
/** Latest supported instant: 9999-12-31T23:59:59.999Z. */
export const MAX_INSTANT = 253_402_300_799_999;
/** Longest supported duration or range: 100 years (of 366 days). */
export const MAX_SPAN_MS = 100 * 366 * DAY;

/** Throws `INVALID_INPUT` unless `value` is a finite epoch-ms instant within 1970–9999. */
export function assertInstant(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'notFinite', [name]: value },
      `${name} must be a finite epoch-millisecond instant, got ${String(value)}.`,
    );
  }
  if (value < MIN_INSTANT || value > MAX_INSTANT) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'outOfRange', [name]: value },
      `${name} must lie between 1970-01-01 and 9999-12-31 (epoch ms ${MIN_INSTANT}–${MAX_INSTANT}), got ${value}.`,
    );
  }
}

/** Throws `INVALID_INPUT` unless `value` is a finite, non-negative duration of at most 100 years. */
export function assertDuration(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'notFinite', [name]: value },
      `${name} must be a finite number of milliseconds, got ${String(value)}.`,
    );
  }
  if (value < 0) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'negative', [name]: value },
      `${name} must not be negative, got ${value}.`,
    );
  }
  if (value > MAX_SPAN_MS) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'tooLong', [name]: value },
      `${name} is longer than the supported 100 years, got ${value}.`,
    );
  }
}

/** Renders zod issues as one readable line: `week.mon[1]: the intervals … overlap; …`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path
        .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
        .join('');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
