import { TZDate, tzScan } from '@date-fns/tz';
import { format } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  isWithinBusinessHours,
  parseCalendar,
  WEEKDAYS,
  type BusinessCalendar,
  type WorkingInterval,
} from '../../src/calendar/index.js';
import { HOUR, MINUTE } from './_helpers.js';

// Zones with ordinary DST, DST at midnight (Santiago, Havana), half-hour DST (Lord Howe),
// southern-hemisphere DST (Sydney, Chatham) and none at all.
const TIME_ZONES = [
  'UTC',
  'Europe/Budapest',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'Australia/Lord_Howe',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Tokyo',
] as const;

const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2030, 0, 1);
const RUNS = { numRuns: 200 };

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Non-overlapping intervals of a day: distinct quarter-hour boundaries paired in order. */
const daySchedule: fc.Arbitrary<WorkingInterval[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((quarters) => {
    const sorted = [...quarters].sort((a, b) => a - b);
    const intervals: WorkingInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      intervals.push({ start: hhmm(sorted[i]! * 15), end: hhmm(sorted[i + 1]! * 15) });
    }
    return intervals;
  });

const isoDate = fc
  .integer({ min: FROM / 86_400_000, max: TO / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));

const calendarArbitrary: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timeZone: fc.constantFrom(...TIME_ZONES),
    days: fc.array(daySchedule, { minLength: 7, maxLength: 7 }),
    holidays: fc.array(fc.record({ date: isoDate, recurring: fc.boolean() }), { maxLength: 8 }),
  })
  .filter(({ days }) => days.some((intervals) => intervals.length > 0))
  .map(({ timeZone, days, holidays }) =>
    parseCalendar({
      timeZone,
      week: Object.fromEntries(WEEKDAYS.map((weekday, i) => [weekday, days[i]!])),
      holidays,
    }),
  );

const instant = fc.integer({ min: FROM, max: TO });
const duration = fc.integer({ min: 0, max: 200 * HOUR });

/** The zone's offset changes in 2020–2030, looked up once per zone. */
const transitionsByZone = new Map(
  TIME_ZONES.map((zone) => [
    zone,
    tzScan(zone, { start: new Date(FROM), end: new Date(TO) }).map((change) => change.date.getTime()),
  ]),
);

/** A calendar with an instant that is, half of the time, within 36 h of one of its zone's DST transitions. */
const calendarAndInstant: fc.Arbitrary<[BusinessCalendar, number]> = calendarArbitrary.chain((calendar) => {
  const transitions = transitionsByZone.get(calendar.timeZone as (typeof TIME_ZONES)[number]) ?? [];
  const nearTransition =
    transitions.length === 0
      ? instant
      : fc
          .tuple(fc.constantFrom(...transitions), fc.integer({ min: -36 * HOUR, max: 36 * HOUR }))
          .map(([transition, shift]) => transition + shift);
  return fc.tuple(fc.constant(calendar), fc.oneof(instant, nearTransition));
});

/**
 * An independent reading of the rule: read the zone's wall clock at `t` with
 * TZDate and look the day and the time up in the calendar.
 */
function wallClockSaysOpen(calendar: BusinessCalendar, t: number): boolean {
  const local = new TZDate(t, calendar.timeZone);
  const date = format(local, 'yyyy-MM-dd');
  const isHoliday = calendar.holidays.some((holiday) =>
    holiday.recurring ? holiday.date.slice(5) === date.slice(5) : holiday.date === date,
  );
  if (isHoliday) return false;
  const msOfDay =
    ((local.getHours() * 60 + local.getMinutes()) * 60 + local.getSeconds()) * 1000 + local.getMilliseconds();
  const toMs = (hhmm: string) => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE;
  return (calendar.week[WEEKDAYS[local.getDay()]!] ?? []).some(
    (interval) => toMs(interval.start) <= msOfDay && msOfDay < toMs(interval.end),
  );
}

describe('business time properties over generated calendars', () => {
  it('the business time between a start and start + d is exactly d', () => {
    fc.assert(
      fc.property(calendarAndInstant, duration, ([calendar, start], d) => {
        expect(businessTimeBetween(calendar, start, addBusinessTime(calendar, start, d))).toBe(d);
      }),
      RUNS,
    );
  });

  it('adding more business time never gives an earlier instant, and adding some gives a later one', () => {
    fc.assert(
      fc.property(calendarAndInstant, duration, duration, ([calendar, start], d1, d2) => {
        const [shorter, longer] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const early = addBusinessTime(calendar, start, shorter);
        const late = addBusinessTime(calendar, start, longer);
        expect(early).toBeGreaterThanOrEqual(start);
        if (shorter < longer) expect(late).toBeGreaterThan(early);
        else expect(late).toBe(early);
      }),
      RUNS,
    );
  });

  it('for d > 0 the millisecond just before the result is within business hours (the result may be a closing instant)', () => {
    fc.assert(
      fc.property(calendarAndInstant, fc.integer({ min: 1, max: 200 * HOUR }), ([calendar, start], d) => {
        const due = addBusinessTime(calendar, start, d);
        expect(isWithinBusinessHours(calendar, due - 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it('an instant is within business hours exactly when its wall clock shows a working day and time', () => {
    fc.assert(
      fc.property(calendarAndInstant, ([calendar, t]) => {
        expect(isWithinBusinessHours(calendar, t)).toBe(wallClockSaysOpen(calendar, t));
      }),
      RUNS,
    );
  });

  it('business time over a range is the sum of its minutes whose wall clock shows working time', () => {
    fc.assert(
      fc.property(calendarAndInstant, fc.integer({ min: 0, max: 24 * 60 }), ([calendar, t], minutes) => {
        // Interval boundaries and (in 2020–2030) transitions fall on whole minutes, so a minute is all in or all out.
        const from = t - (t % MINUTE);
        let expected = 0;
        for (let i = 0; i < minutes; i++) if (wallClockSaysOpen(calendar, from + i * MINUTE)) expected += MINUTE;
        expect(businessTimeBetween(calendar, from, from + minutes * MINUTE)).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('an instant is within business hours exactly when the millisecond from it counts as business time', () => {
    fc.assert(
      fc.property(calendarAndInstant, ([calendar, t]) => {
        expect(isWithinBusinessHours(calendar, t)).toBe(businessTimeBetween(calendar, t, t + 1) === 1);
      }),
      RUNS,
    );
  });

  it('business time over adjacent ranges adds up', () => {
    const upTo30Days = fc.integer({ min: 0, max: 30 * 24 * HOUR });
    fc.assert(
      fc.property(calendarAndInstant, upTo30Days, upTo30Days, ([calendar, a], x, y) => {
        const [b, c] = [a + x, a + x + y];
        expect(businessTimeBetween(calendar, a, b) + businessTimeBetween(calendar, b, c)).toBe(
          businessTimeBetween(calendar, a, c),
        );
      }),
      RUNS,
    );
  });
});
