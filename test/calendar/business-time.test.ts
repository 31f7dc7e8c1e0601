import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  businessTimeBetween,
  isWithinBusinessHours,
  MAX_INSTANT,
  parseCalendar,
  type BusinessCalendar,
} from '../../src/calendar/index.js';
import { at, everyDay, expectInvalidInput, HOUR, MINUTE, officeWeek } from './_helpers.js';

const budapestOffice = parseCalendar(officeWeek('Europe/Budapest'));

describe('addBusinessTime', () => {
  it('Friday 17:00 plus 2 business hours, with a weekend and a holiday on Monday, ends Tuesday 10:00', () => {
    const calendar = parseCalendar(officeWeek('Europe/Budapest', [{ date: '2025-06-09', name: 'Whit Monday' }]));
    expect(addBusinessTime(calendar, at('2025-06-06T17:00+02:00'), 2 * HOUR)).toBe(at('2025-06-10T10:00+02:00'));
  });

  it('counts from the opening when it starts before business hours on a working day', () => {
    expect(addBusinessTime(budapestOffice, at('2025-06-04T06:30+02:00'), 90 * MINUTE)).toBe(
      at('2025-06-04T09:30+02:00'),
    );
  });

  it('counts from the next opening when it starts on a weekend', () => {
    expect(addBusinessTime(budapestOffice, at('2025-06-07T12:00+02:00'), HOUR)).toBe(at('2025-06-09T09:00+02:00'));
  });

  it('returns the start unchanged for a zero duration, even outside business hours', () => {
    const saturdayNoon = at('2025-06-07T12:00+02:00');
    expect(addBusinessTime(budapestOffice, saturdayNoon, 0)).toBe(saturdayNoon);
  });

  it('returns the interval end, not the next opening, when the target falls exactly on it', () => {
    expect(addBusinessTime(budapestOffice, at('2025-06-06T16:00+02:00'), HOUR)).toBe(at('2025-06-06T17:00+02:00'));
    expect(addBusinessTime(budapestOffice, at('2025-06-02T08:00+02:00'), 9 * HOUR)).toBe(at('2025-06-02T17:00+02:00'));
    // One millisecond more moves to the next opening.
    expect(addBusinessTime(budapestOffice, at('2025-06-02T08:00+02:00'), 9 * HOUR + 1)).toBe(
      at('2025-06-03T08:00+02:00') + 1,
    );
  });

  it('skips the gap between several intervals of a day', () => {
    const calendar = parseCalendar({
      timeZone: 'Europe/Budapest',
      week: {
        mon: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
    });
    expect(addBusinessTime(calendar, at('2025-06-02T11:00+02:00'), 2 * HOUR)).toBe(at('2025-06-02T14:00+02:00'));
    expect(addBusinessTime(calendar, at('2025-06-02T11:00+02:00'), HOUR)).toBe(at('2025-06-02T12:00+02:00'));
  });

  it('runs through midnight from an interval ending at 24:00 into one starting at 00:00', () => {
    const calendar = parseCalendar({
      timeZone: 'America/New_York',
      week: { fri: [{ start: '20:00', end: '24:00' }], sat: [{ start: '00:00', end: '02:00' }] },
    });
    expect(addBusinessTime(calendar, at('2025-06-06T23:00-04:00'), 2 * HOUR)).toBe(at('2025-06-07T01:00-04:00'));
  });

  it('crosses the year end: Dec 31 16:00 plus 2 h, with Jan 1 a recurring holiday, ends Jan 2 09:00', () => {
    const calendar = parseCalendar(officeWeek('Europe/Budapest', [{ date: '2000-01-01', recurring: true }]));
    expect(addBusinessTime(calendar, at('2025-12-31T16:00+01:00'), 2 * HOUR)).toBe(at('2026-01-02T09:00+01:00'));
    expect(businessTimeBetween(calendar, at('2025-12-31T00:00+01:00'), at('2026-01-03T00:00+01:00'))).toBe(18 * HOUR);
  });

  it('a recurring Feb 29 holiday is skipped in a leap year and changes nothing in a common year', () => {
    const calendar = parseCalendar(officeWeek('Europe/Budapest', [{ date: '2024-02-29', recurring: true }]));
    // 2028: Monday Feb 28 → (Tuesday Feb 29 is off) → Wednesday Mar 1.
    expect(addBusinessTime(calendar, at('2028-02-28T16:00+01:00'), 2 * HOUR)).toBe(at('2028-03-01T09:00+01:00'));
    // 2029: Wednesday Feb 28 → Thursday Mar 1, a working day.
    expect(addBusinessTime(calendar, at('2029-02-28T16:00+01:00'), 2 * HOUR)).toBe(at('2029-03-01T09:00+01:00'));
    expect(isWithinBusinessHours(calendar, at('2029-03-01T10:00+01:00'))).toBe(true);
  });

  it('a leap day is an ordinary working day when it is not a holiday', () => {
    expect(addBusinessTime(budapestOffice, at('2024-02-28T16:00+01:00'), 2 * HOUR)).toBe(at('2024-02-29T09:00+01:00'));
    // February 2024 has 21 working days, February 2023 has 20.
    expect(businessTimeBetween(budapestOffice, at('2024-02-01T00:00+01:00'), at('2024-03-01T00:00+01:00'))).toBe(
      21 * 9 * HOUR,
    );
    expect(businessTimeBetween(budapestOffice, at('2023-02-01T00:00+01:00'), at('2023-03-01T00:00+01:00'))).toBe(
      20 * 9 * HOUR,
    );
  });

  it('adds years of business time without stepping minute by minute', () => {
    const start = at('2025-01-06T08:00+01:00');
    const started = performance.now();
    const due = addBusinessTime(budapestOffice, start, 5 * 52 * 5 * 9 * HOUR); // about 5 years of workdays
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(businessTimeBetween(budapestOffice, start, due)).toBe(5 * 52 * 5 * 9 * HOUR);
  });
});

describe('daylight saving time, wall-clock intervals', () => {
  // Europe/Budapest: 2025-03-30 02:00 CET → 03:00 CEST; 2025-10-26 03:00 CEST → 02:00 CET.
  // America/New_York: 2025-03-09 02:00 EST → 03:00 EDT; 2025-11-02 02:00 EDT → 01:00 EST.
  const budapestNineToFive = parseCalendar(everyDay('Europe/Budapest'));
  const budapestNight = parseCalendar(everyDay('Europe/Budapest', [{ start: '01:00', end: '04:00' }]));
  const newYorkNight = parseCalendar(everyDay('America/New_York', [{ start: '01:00', end: '04:00' }]));

  it('a 09:00–17:00 day is still 8 h on the Budapest spring-forward and fall-back days', () => {
    expect(businessTimeBetween(budapestNineToFive, at('2025-03-30T00:00+01:00'), at('2025-03-31T00:00+02:00'))).toBe(
      8 * HOUR,
    );
    expect(businessTimeBetween(budapestNineToFive, at('2025-10-26T00:00+02:00'), at('2025-10-27T00:00+01:00'))).toBe(
      8 * HOUR,
    );
    expect(addBusinessTime(budapestNineToFive, at('2025-03-29T17:00+01:00'), 8 * HOUR)).toBe(
      at('2025-03-30T17:00+02:00'),
    );
  });

  it('01:00–04:00 is 2 real hours on the Budapest spring-forward day and 4 on the fall-back day', () => {
    expect(businessTimeBetween(budapestNight, at('2025-03-30T00:00+01:00'), at('2025-03-31T00:00+02:00'))).toBe(
      2 * HOUR,
    );
    expect(businessTimeBetween(budapestNight, at('2025-10-26T00:00+02:00'), at('2025-10-27T00:00+01:00'))).toBe(
      4 * HOUR,
    );
    expect(addBusinessTime(budapestNight, at('2025-03-30T01:00+01:00'), 2 * HOUR)).toBe(at('2025-03-30T04:00+02:00'));
    expect(addBusinessTime(budapestNight, at('2025-03-30T01:00+01:00'), 2.5 * HOUR)).toBe(at('2025-03-31T01:30+02:00'));
    expect(addBusinessTime(budapestNight, at('2025-10-26T01:00+02:00'), 4 * HOUR)).toBe(at('2025-10-26T04:00+01:00'));
  });

  it('01:00–04:00 is 2 real hours on the New York spring-forward day and 4 on the fall-back day', () => {
    expect(businessTimeBetween(newYorkNight, at('2025-03-09T00:00-05:00'), at('2025-03-10T00:00-04:00'))).toBe(
      2 * HOUR,
    );
    expect(businessTimeBetween(newYorkNight, at('2025-11-02T00:00-04:00'), at('2025-11-03T00:00-05:00'))).toBe(
      4 * HOUR,
    );
    expect(addBusinessTime(newYorkNight, at('2025-03-09T01:30-05:00'), HOUR)).toBe(at('2025-03-09T03:30-04:00'));
    expect(addBusinessTime(newYorkNight, at('2025-11-02T01:00-04:00'), 3.5 * HOUR)).toBe(at('2025-11-02T03:30-05:00'));
  });

  it('the repeated hour of a fall-back day counts as business time once per real hour', () => {
    expect(isWithinBusinessHours(newYorkNight, at('2025-11-02T01:30-04:00'))).toBe(true);
    expect(isWithinBusinessHours(newYorkNight, at('2025-11-02T01:30-05:00'))).toBe(true);
    expect(businessTimeBetween(newYorkNight, at('2025-11-02T01:00-04:00'), at('2025-11-02T01:00-05:00'))).toBe(HOUR);
  });

  it('an interval inside the repeated hour is open both times the wall clock shows it', () => {
    const calendar = parseCalendar(everyDay('America/New_York', [{ start: '01:00', end: '01:30' }]));
    expect(businessTimeBetween(calendar, at('2025-11-02T00:00-04:00'), at('2025-11-03T00:00-05:00'))).toBe(HOUR);
    // 15 min in the first 01:00–01:30 (EDT), the other 15 in the second (EST).
    expect(addBusinessTime(calendar, at('2025-11-02T01:15-04:00'), 30 * MINUTE)).toBe(at('2025-11-02T01:15-05:00'));
    expect(isWithinBusinessHours(calendar, at('2025-11-02T01:45-04:00'))).toBe(false);
  });

  it('an interval the clock skips is empty, and one starting in the gap opens at the jump', () => {
    const skipped = parseCalendar(everyDay('Europe/Budapest', [{ start: '02:00', end: '03:00' }]));
    expect(businessTimeBetween(skipped, at('2025-03-30T00:00+01:00'), at('2025-03-31T00:00+02:00'))).toBe(0);
    expect(addBusinessTime(skipped, at('2025-03-30T00:00+01:00'), 30 * MINUTE)).toBe(at('2025-03-31T02:30+02:00'));

    const fromTheGap = parseCalendar(everyDay('Europe/Budapest', [{ start: '02:30', end: '05:00' }]));
    expect(isWithinBusinessHours(fromTheGap, at('2025-03-30T03:00+02:00'))).toBe(true);
    expect(isWithinBusinessHours(fromTheGap, at('2025-03-30T01:59+01:00'))).toBe(false);
    expect(businessTimeBetween(fromTheGap, at('2025-03-30T00:00+01:00'), at('2025-03-31T00:00+02:00'))).toBe(2 * HOUR);
  });

  it('the New York office week keeps 9 h days across both transitions', () => {
    const calendar = parseCalendar(officeWeek('America/New_York'));
    // Friday before spring-forward 16:00 → Monday 09:00 EDT; Friday before fall-back 16:00 → Monday 09:00 EST.
    expect(addBusinessTime(calendar, at('2025-03-07T16:00-05:00'), 2 * HOUR)).toBe(at('2025-03-10T09:00-04:00'));
    expect(addBusinessTime(calendar, at('2025-10-31T16:00-04:00'), 2 * HOUR)).toBe(at('2025-11-03T09:00-05:00'));
    expect(businessTimeBetween(calendar, at('2025-03-03T00:00-05:00'), at('2025-03-17T00:00-04:00'))).toBe(
      10 * 9 * HOUR,
    );
  });
});

describe('isWithinBusinessHours', () => {
  it('is true from the opening instant up to, but not including, the closing instant', () => {
    expect(isWithinBusinessHours(budapestOffice, at('2025-06-02T08:00+02:00'))).toBe(true);
    expect(isWithinBusinessHours(budapestOffice, at('2025-06-02T17:00+02:00') - 1)).toBe(true);
    expect(isWithinBusinessHours(budapestOffice, at('2025-06-02T17:00+02:00'))).toBe(false);
    expect(isWithinBusinessHours(budapestOffice, at('2025-06-02T08:00+02:00') - 1)).toBe(false);
  });

  it('is false on weekends and holidays', () => {
    const calendar = parseCalendar(officeWeek('Europe/Budapest', [{ date: '2025-06-09' }]));
    expect(isWithinBusinessHours(calendar, at('2025-06-07T10:00+02:00'))).toBe(false);
    expect(isWithinBusinessHours(calendar, at('2025-06-09T10:00+02:00'))).toBe(false);
    expect(isWithinBusinessHours(calendar, at('2025-06-10T10:00+02:00'))).toBe(true);
  });
});

describe('businessTimeBetween', () => {
  it('is 0 when the end is not after the start', () => {
    const monday = at('2025-06-02T10:00+02:00');
    expect(businessTimeBetween(budapestOffice, monday, monday)).toBe(0);
    expect(businessTimeBetween(budapestOffice, monday + HOUR, monday)).toBe(0);
  });

  it('counts a half-open range within and across days', () => {
    expect(businessTimeBetween(budapestOffice, at('2025-06-02T10:00+02:00'), at('2025-06-02T12:30+02:00'))).toBe(
      2.5 * HOUR,
    );
    expect(businessTimeBetween(budapestOffice, at('2025-06-06T16:00+02:00'), at('2025-06-09T09:00+02:00'))).toBe(
      2 * HOUR,
    );
  });
});

describe('bad input', () => {
  const monday = at('2025-06-02T10:00+02:00');

  it('a negative, NaN or infinite duration is INVALID_INPUT naming the reason', () => {
    expectInvalidInput(() => addBusinessTime(budapestOffice, monday, -1), /durationMs must not be negative/);
    expectInvalidInput(() => addBusinessTime(budapestOffice, monday, Number.NaN), /durationMs must be a finite/);
    expectInvalidInput(() => addBusinessTime(budapestOffice, monday, Infinity), /durationMs must be a finite/);
    expectInvalidInput(() => addBusinessTime(budapestOffice, monday, 200 * 366 * 24 * HOUR), /longer than/);
  });

  it('a target after 9999-12-31 is INVALID_INPUT, so every result is an instant businessTimeBetween takes', () => {
    const lastHour = MAX_INSTANT - HOUR; // Friday 9999-12-31, 23:00 UTC: after hours in Budapest
    expectInvalidInput(() => addBusinessTime(budapestOffice, lastHour, 10 * HOUR), /ends after 9999-12-31/);
    expectInvalidInput(() => addBusinessTime(budapestOffice, MAX_INSTANT, 1), /ends after 9999-12-31/);
    const friday = at('9999-12-31T08:00+01:00');
    expect(addBusinessTime(budapestOffice, friday, 9 * HOUR)).toBe(at('9999-12-31T17:00+01:00'));
    expect(businessTimeBetween(budapestOffice, friday, addBusinessTime(budapestOffice, friday, 9 * HOUR))).toBe(
      9 * HOUR,
    );
    expectInvalidInput(() => addBusinessTime(budapestOffice, friday, 9 * HOUR + 1), /ends after 9999-12-31/);
  });

  it('a NaN, infinite or out-of-range instant is INVALID_INPUT naming the argument', () => {
    expectInvalidInput(() => addBusinessTime(budapestOffice, Number.NaN, HOUR), /start must be a finite/);
    expectInvalidInput(() => businessTimeBetween(budapestOffice, monday, Infinity), /b must be a finite/);
    expectInvalidInput(() => isWithinBusinessHours(budapestOffice, -Infinity), /at must be a finite/);
    expectInvalidInput(() => isWithinBusinessHours(budapestOffice, -1), /at must lie between 1970-01-01 and 9999/);
    expectInvalidInput(() => businessTimeBetween(budapestOffice, 0, 200 * 366 * 24 * HOUR), /longer than/);
  });

  it('an unvalidated calendar is checked on first use', () => {
    const overlapping = {
      timeZone: 'UTC',
      week: {
        mon: [
          { start: '08:00', end: '12:00' },
          { start: '10:00', end: '14:00' },
        ],
      },
      holidays: [],
    } as BusinessCalendar;
    expectInvalidInput(() => addBusinessTime(overlapping, monday, HOUR), /overlap/);
    const badZone = { ...officeWeek('Nowhere/City'), holidays: [] } as BusinessCalendar;
    expectInvalidInput(() => isWithinBusinessHours(badZone, monday), /not a known IANA time zone/);
  });

  it('gives up with INVALID_INPUT when holidays cover every working day for 5 years', () => {
    const mondays: { date: string }[] = [];
    for (let day = Date.UTC(2025, 5, 2); day < Date.UTC(2032, 0, 1); day += 7 * 86_400_000) {
      mondays.push({ date: new Date(day).toISOString().slice(0, 10) });
    }
    const calendar = parseCalendar({
      timeZone: 'UTC',
      week: { mon: [{ start: '09:00', end: '10:00' }] },
      holidays: mondays,
    });
    expectInvalidInput(
      () => addBusinessTime(calendar, at('2025-06-01T00:00Z'), HOUR),
      /no working time in the 5 years/,
    );
  });
});
