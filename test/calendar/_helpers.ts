import { expect } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import type { BusinessCalendarInput } from '../../src/calendar/index.js';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** An instant from an ISO string with an explicit offset, e.g. `at('2025-06-06T17:00+02:00')`. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO instant in a test: ${iso}`);
  return ms;
}

const nineToFive = [{ start: '09:00', end: '17:00' }];
const eightToFive = [{ start: '08:00', end: '17:00' }];

/** Mon–Fri 08:00–17:00 in `timeZone`. */
export function officeWeek(timeZone: string, holidays: BusinessCalendarInput['holidays'] = []): BusinessCalendarInput {
  return {
    timeZone,
    week: { mon: eightToFive, tue: eightToFive, wed: eightToFive, thu: eightToFive, fri: eightToFive },
    holidays,
  };
}

/** The same intervals on all seven days. */
export function everyDay(timeZone: string, intervals = nineToFive): BusinessCalendarInput {
  return {
    timeZone,
    week: {
      mon: intervals,
      tue: intervals,
      wed: intervals,
      thu: intervals,
      fri: intervals,
      sat: intervals,
      sun: intervals,
    },
  };
}

/** Runs `fn`, expects a HelpdeskError `INVALID_INPUT` whose message matches `reason`, and returns it. */
export function expectInvalidInput(fn: () => unknown, reason: RegExp) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isHelpdeskError(caught, 'INVALID_INPUT'), `expected INVALID_INPUT, got ${String(caught)}`).toBe(true);
  expect((caught as Error).message).toMatch(reason);
  return caught as Error & { details: Record<string, unknown> };
}
