import { safeParseHostile } from '../_lib/safe-parse.js';
import { z } from 'zod';
import { commonErrors } from '../errors.js';
import { deepFreeze } from '../_lib/json.js';
import { identifierString, safeString, singleLineText } from '../_lib/text.js';
import { describeIssues } from './_guards.js';

/** The days of a business week, in the order of `Date#getUTCDay()` (Sunday first). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** A day of the business week: `sun` … `sat`. */
export type Weekday = (typeof WEEKDAYS)[number];

const TIME_OF_DAY = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Minutes since local midnight of an `HH:MM` wall-clock time (`24:00` → 1440). */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const timeOfDaySchema = safeString().regex(TIME_OF_DAY, {
  error: (issue) => `"${String(issue.input)}" is not a time of day HH:MM (00:00–24:00)`,
});

/** One working interval of a day in wall-clock time, half-open: `[start, end)`. `end` may be `24:00`. */
export const workingIntervalSchema = z
  .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((interval) => minutesOfDay(interval.start) < minutesOfDay(interval.end), {
    error: (issue) => {
      const { start, end } = issue.input as { start: string; end: string };
      return start === end
        ? `the interval ${start}–${end} is empty (start equals end)`
        : `the interval ${start}–${end} is inverted (start is after end)`;
    },
  });

/** The working intervals of one weekday; several are allowed, they must not overlap (touching is fine). */
const dayScheduleSchema = z.array(workingIntervalSchema).superRefine((intervals, ctx) => {
  const sorted = intervals
    .map((interval, index) => ({ interval, index }))
    .sort((a, b) => minutesOfDay(a.interval.start) - minutesOfDay(b.interval.start));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    if (minutesOfDay(current.interval.start) < minutesOfDay(previous.interval.end)) {
      ctx.addIssue({
        code: 'custom',
        path: [current.index],
        message:
          `the intervals ${previous.interval.start}–${previous.interval.end} and ` +
          `${current.interval.start}–${current.interval.end} overlap`,
      });
    }
  }
});

const weekSchema = z.strictObject({
  mon: dayScheduleSchema.optional(),
  tue: dayScheduleSchema.optional(),
  wed: dayScheduleSchema.optional(),
  thu: dayScheduleSchema.optional(),
  fri: dayScheduleSchema.optional(),
  sat: dayScheduleSchema.optional(),
  sun: dayScheduleSchema.optional(),
});

/** A day off. `recurring: true` repeats it every year on the same month and day (Feb 29 only in leap years). */
export const holidaySchema = z.strictObject({
  date: safeString().refine(isCalendarDate, {
    error: (issue) => `"${String(issue.input)}" is not a calendar date YYYY-MM-DD`,
  }),
  recurring: z.boolean().optional(),
  name: singleLineText().max(200).optional(),
});

/**
 * A business-hours calendar: an IANA time zone, the weekly working intervals in
 * that zone's wall-clock time, and holidays. Rejects calendars without any
 * working time.
 */
export const calendarSchema = z
  .strictObject({
    timeZone: identifierString().refine(isTimeZone, {
      error: (issue) => `"${String(issue.input)}" is not a known IANA time zone`,
    }),
    week: weekSchema,
    holidays: z.array(holidaySchema).default([]),
  })
  .superRefine((calendar, ctx) => {
    const working = WEEKDAYS.some((day) => (calendar.week[day]?.length ?? 0) > 0);
    if (!working) {
      ctx.addIssue({ code: 'custom', path: ['week'], message: 'the calendar has no working time in its week' });
      return;
    }
    const recurringDays = new Set(calendar.holidays.filter((h) => h.recurring).map((h) => h.date.slice(5)));
    if (recurringDays.size >= 366) {
      ctx.addIssue({
        code: 'custom',
        path: ['holidays'],
        message: 'the calendar has no working time: every day of the year is a recurring holiday',
      });
    }
  });

/** A validated business calendar (the output of {@link calendarSchema}). */
export type BusinessCalendar = z.output<typeof calendarSchema>;
/** What {@link parseCalendar} accepts: `holidays` may be left out. */
export type BusinessCalendarInput = z.input<typeof calendarSchema>;
/** One working interval, `{ start: 'HH:MM', end: 'HH:MM' }`. */
export type WorkingInterval = z.output<typeof workingIntervalSchema>;
/** One holiday entry. */
export type Holiday = z.output<typeof holidaySchema>;

/**
 * Validates a business calendar. Throws `INVALID_INPUT` with the zod issues in
 * `details.issues` and the reasons in the message. The result is frozen: the
 * calendar functions cache their compiled form per calendar object.
 */
export function parseCalendar(input: unknown): BusinessCalendar {
  const result = safeParseHostile(calendarSchema, input);
  if (!result.success) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { issues: result.error.issues },
      `Invalid business calendar: ${describeIssues(result.error.issues)}`,
    );
  }
  return deepFreeze(result.data);
}
