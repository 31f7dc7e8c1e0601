import { safeParseHostile } from '../_lib/safe-parse.js';
import { tzOffset } from '@date-fns/tz';
import { commonErrors } from '../errors.js';
import { assertDuration, assertInstant, describeIssues, MAX_INSTANT, MAX_SPAN_MS } from './_guards.js';
import { calendarSchema, minutesOfDay, WEEKDAYS, type BusinessCalendar } from './schema.js';

// Pure functions over epoch milliseconds. Nothing here reads the current time.
//
// An instant is business time when the zone's wall clock at that instant shows a
// working day (not a holiday) and a time inside one of that day's intervals. So
// an interval is wall-clock time: 01:00–04:00 lasts 2 real hours on Budapest's
// spring-forward day (02:00–03:00 never shows) and 4 on New York's fall-back day
// (01:00–02:00 shows twice). On a day with a transition an interval may become
// two real spans, or none.

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A search for working time gives up after this many days without any. */
const NO_WORKING_TIME_LIMIT_DAYS = 5 * 366;
/**
 * A bound on any zone's UTC offset (in use: −12:00 to +14:00). An instant `t`
 * shows a wall-clock day between `(t - MAX_UTC_OFFSET) / DAY` and `(t + MAX_UTC_OFFSET) / DAY`.
 */
const MAX_UTC_OFFSET = 15 * 60 * MINUTE;
/** Offsets are sampled this far apart when looking for transitions around a day. */
const TRANSITION_SAMPLE = 3 * 60 * MINUTE;

type Span = readonly [start: number, end: number];
const NO_SPANS: readonly Span[] = Object.freeze([]);

interface CompiledCalendar {
  readonly timeZone: string;
  /** Working intervals in minutes since local midnight, sorted, indexed by `getUTCDay()`. */
  readonly week: readonly (readonly Span[])[];
  /** Local day numbers (days since 1970-01-01) of one-off holidays. */
  readonly holidays: ReadonlySet<number>;
  /** `month * 100 + day` of recurring holidays. */
  readonly recurringHolidays: ReadonlySet<number>;
  /** Working intervals as instants, per local day number; bounded. */
  readonly spansByDay: Map<number, readonly Span[]>;
}

const SPAN_CACHE_LIMIT = 2048;
const compiledCalendars = new WeakMap<object, CompiledCalendar>();

/**
 * Returns the instant at which `durationMs` of business time has elapsed after
 * `start`. Counting starts at `start` or, outside business hours, at the next
 * opening. A duration of 0 returns `start` unchanged; a target that falls exactly
 * on the end of an interval returns that end, not the next opening.
 *
 * Throws `INVALID_INPUT` for an invalid calendar, an instant outside
 * 1970–9999, a negative, non-finite or over-100-year duration, a target after
 * 9999-12-31 (`MAX_INSTANT`), or when the calendar has no working time for 5 years
 * (holidays covering every working day).
 */
export function addBusinessTime(calendar: BusinessCalendar, start: number, durationMs: number): number {
  const compiled = compile(calendar);
  assertInstant('start', start);
  assertDuration('durationMs', durationMs);
  if (durationMs === 0) return start;

  let remaining = durationMs;
  for (const [from, to] of spansFrom(compiled, start)) {
    const available = to - from;
    const target = remaining <= available ? from + remaining : null;
    if (target === null ? from > MAX_INSTANT : target > MAX_INSTANT) throw pastMaxInstant(start, durationMs);
    if (target !== null) return target;
    remaining -= available;
  }
  // spansFrom only ends by throwing; this line is never reached.
  throw commonErrors.raise('INVALID_INPUT', { reason: 'noWorkingTime' }, 'The business calendar has no working time.');
}

/** The refusal of a target past 9999-12-31: no instant the calendar functions take could name it. */
const pastMaxInstant = (start: number, durationMs: number) =>
  commonErrors.raise(
    'INVALID_INPUT',
    { reason: 'pastMaxInstant', start, durationMs },
    `addBusinessTime: ${durationMs} ms of business time after ${start} ends after 9999-12-31 (epoch ms ${MAX_INSTANT}).`,
  );

/**
 * Business time, in milliseconds, within the half-open range `[a, b)`; 0 when
 * `b <= a`. Throws `INVALID_INPUT` for an invalid calendar, an instant outside
 * 1970–9999, or a range longer than 100 years.
 */
export function businessTimeBetween(calendar: BusinessCalendar, a: number, b: number): number {
  const compiled = compile(calendar);
  assertInstant('a', a);
  assertInstant('b', b);
  if (b <= a) return 0;
  if (b - a > MAX_SPAN_MS) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'rangeTooLong', a, b },
      'businessTimeBetween: the range is longer than the supported 100 years.',
    );
  }
  let total = 0;
  // Every instant in [a, b) shows a wall-clock day in this range, whatever the zone.
  const lastDay = Math.floor((b + MAX_UTC_OFFSET) / DAY);
  for (let day = Math.floor((a - MAX_UTC_OFFSET) / DAY); day <= lastDay; day++) {
    for (const [spanStart, spanEnd] of spansOf(compiled, day)) {
      const from = Math.max(spanStart, a);
      const to = Math.min(spanEnd, b);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/** True when `at` lies within a working interval (half-open: the opening instant is in, the closing one is out). */
export function isWithinBusinessHours(calendar: BusinessCalendar, at: number): boolean {
  const compiled = compile(calendar);
  assertInstant('at', at);
  // Only the day the wall clock shows at `at` can contain it.
  return spansOf(compiled, localDay(compiled.timeZone, at)).some(([from, to]) => from <= at && at < to);
}

/**
 * The business spans at or after `from`, clipped to start no earlier, in order
 * of time. Days are generated one by one; spans are released only up to the
 * point no later day can start before, so a fall-back around midnight cannot
 * reorder them. Throws `INVALID_INPUT` after 5 years without working time.
 */
function* spansFrom(calendar: CompiledCalendar, from: number): Generator<Span, never> {
  // The first day whose wall clock can show an instant at or after `from`, whatever the zone.
  let day = Math.floor((from - MAX_UTC_OFFSET) / DAY);
  let lastDayWithWork = day;
  let pending: Span[] = [];
  for (; ; day++) {
    const spans = spansOf(calendar, day);
    if (spans.length > 0) lastDayWithWork = day;
    else if (day - lastDayWithWork > NO_WORKING_TIME_LIMIT_DAYS) {
      throw commonErrors.raise(
        'INVALID_INPUT',
        { reason: 'noWorkingTime', from, days: NO_WORKING_TIME_LIMIT_DAYS },
        `The business calendar has no working time in the 5 years after ${formatDay(lastDayWithWork)}: ` +
          'its holidays cover every working day.',
      );
    }
    for (const [start, end] of spans) {
      if (end > from) pending.push([Math.max(start, from), end]);
    }
    if (pending.length === 0) continue;
    pending.sort((x, y) => x[0] - y[0]);
    const horizon = (day + 1) * DAY - MAX_UTC_OFFSET;
    const later: Span[] = [];
    for (const [start, end] of pending) {
      if (end <= horizon) yield [start, end];
      else if (start < horizon) {
        yield [start, horizon];
        later.push([horizon, end]);
      } else later.push([start, end]);
    }
    pending = later;
  }
}

/**
 * Validates and compiles a calendar once per object. Calendars are treated as
 * immutable; {@link parseCalendar} returns frozen ones.
 */
function compile(calendar: BusinessCalendar): CompiledCalendar {
  if (typeof calendar === 'object' && calendar !== null) {
    const cached = compiledCalendars.get(calendar);
    if (cached) return cached;
  }
  const result = safeParseHostile(calendarSchema, calendar);
  if (!result.success) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { issues: result.error.issues },
      `Invalid business calendar: ${describeIssues(result.error.issues)}`,
    );
  }
  const { timeZone, week, holidays } = result.data;
  const compiled: CompiledCalendar = {
    timeZone,
    week: WEEKDAYS.map((weekday) =>
      (week[weekday] ?? [])
        .map((interval): Span => [minutesOfDay(interval.start), minutesOfDay(interval.end)])
        .sort((x, y) => x[0] - y[0]),
    ),
    holidays: new Set(holidays.filter((h) => !h.recurring).map((h) => dayNumberOf(h.date))),
    recurringHolidays: new Set(
      holidays.filter((h) => h.recurring).map((h) => Number(h.date.slice(5, 7)) * 100 + Number(h.date.slice(8, 10))),
    ),
    spansByDay: new Map(),
  };
  compiledCalendars.set(calendar, compiled);
  return compiled;
}

/**
 * The business spans of one local day, as instants: the instants whose wall
 * clock shows this day and a time inside one of its intervals. Sorted, disjoint.
 */
function spansOf(calendar: CompiledCalendar, day: number): readonly Span[] {
  const cached = calendar.spansByDay.get(day);
  if (cached) return cached;

  const date = new Date(day * DAY);
  const schedule = calendar.week[date.getUTCDay()] ?? NO_SPANS;
  const isHoliday =
    calendar.holidays.has(day) || calendar.recurringHolidays.has((date.getUTCMonth() + 1) * 100 + date.getUTCDate());
  const spans = schedule.length > 0 && !isHoliday ? daySpans(calendar.timeZone, day, schedule) : NO_SPANS;

  if (calendar.spansByDay.size >= SPAN_CACHE_LIMIT) calendar.spansByDay.clear();
  calendar.spansByDay.set(day, spans);
  return spans;
}

function daySpans(timeZone: string, day: number, schedule: readonly Span[]): readonly Span[] {
  const midnight = day * DAY; // local midnight, counted as if the zone were UTC
  // Every instant whose wall clock shows this day lies within [midnight - 14 h, midnight + 36 h].
  const windowStart = midnight - DAY;
  const windowEnd = midnight + 2 * DAY;
  const offsetBefore = offsetMs(timeZone, windowStart);
  if (offsetBefore === offsetMs(timeZone, windowEnd)) {
    // The usual day: one offset throughout (one lookup per day, not one per boundary).
    return schedule.map(([start, end]): Span => [
      midnight + start * MINUTE - offsetBefore,
      midnight + end * MINUTE - offsetBefore,
    ]);
  }
  // A transition is near: split the window into pieces of constant offset, and
  // map each interval through each piece.
  const pieces = constantOffsetPieces(timeZone, windowStart, windowEnd);
  const spans: Span[] = [];
  for (const [start, end] of schedule) {
    for (const { from, to, offset } of pieces) {
      const spanStart = Math.max(midnight + start * MINUTE - offset, from);
      const spanEnd = Math.min(midnight + end * MINUTE - offset, to);
      if (spanEnd > spanStart) spans.push([spanStart, spanEnd]);
    }
  }
  spans.sort((x, y) => x[0] - y[0]);
  // Join the two halves of an interval cut at a transition, e.g. 01:00–04:00 on spring-forward day.
  const joined: Span[] = [];
  for (const span of spans) {
    const last = joined[joined.length - 1];
    if (last && last[1] === span[0]) joined[joined.length - 1] = [last[0], span[1]];
    else joined.push(span);
  }
  return joined;
}

interface ConstantOffsetPiece {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
}

/** Splits `[windowStart, windowEnd)` at the zone's transitions (found to the millisecond). */
function constantOffsetPieces(timeZone: string, windowStart: number, windowEnd: number): ConstantOffsetPiece[] {
  const pieces: ConstantOffsetPiece[] = [];
  let pieceStart = windowStart;
  let pieceOffset = offsetMs(timeZone, windowStart);
  for (let sample = windowStart; sample < windowEnd;) {
    const next = Math.min(sample + TRANSITION_SAMPLE, windowEnd);
    const nextOffset = offsetMs(timeZone, next);
    if (nextOffset !== pieceOffset) {
      // The first instant with the new offset lies in (sample, next].
      let low = sample;
      let high = next;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetMs(timeZone, middle) === pieceOffset) low = middle;
        else high = middle;
      }
      pieces.push({ from: pieceStart, to: high, offset: pieceOffset });
      pieceStart = high;
      pieceOffset = nextOffset;
    }
    sample = next;
  }
  pieces.push({ from: pieceStart, to: windowEnd, offset: pieceOffset });
  return pieces;
}

/** The zone's UTC offset at `instant`, in milliseconds. */
function offsetMs(timeZone: string, instant: number): number {
  return Math.round(tzOffset(timeZone, new Date(instant)) * MINUTE);
}

/** The local calendar day of `instant`, as days since 1970-01-01. */
function localDay(timeZone: string, instant: number): number {
  return Math.floor((instant + offsetMs(timeZone, instant)) / DAY);
}

function dayNumberOf(isoDate: string): number {
  const date = new Date(0);
  date.setUTCFullYear(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
  return Math.floor(date.getTime() / DAY);
}

function formatDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}
