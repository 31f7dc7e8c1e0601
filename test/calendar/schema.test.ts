import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../src/calendar/index.js';
import { expectInvalidInput, officeWeek } from './_helpers.js';

describe('parseCalendar', () => {
  it('accepts a Mon–Fri calendar with several intervals a day, a 24:00 end and holidays', () => {
    const calendar = parseCalendar({
      timeZone: 'Europe/Budapest',
      week: {
        mon: [
          { start: '13:00', end: '17:00' },
          { start: '08:00', end: '12:00' },
        ],
        fri: [{ start: '20:00', end: '24:00' }],
      },
      holidays: [{ date: '2024-02-29', recurring: true, name: 'Leap day' }, { date: '2025-12-24' }],
    });
    expect(calendar.week.mon).toHaveLength(2);
    expect(calendar.holidays).toHaveLength(2);
  });

  it('defaults holidays to none and returns a frozen calendar', () => {
    const calendar = parseCalendar({ timeZone: 'UTC', week: { sat: [{ start: '10:00', end: '11:00' }] } });
    expect(calendar.holidays).toEqual([]);
    expect(Object.isFrozen(calendar)).toBe(true);
    expect(Object.isFrozen(calendar.week.sat)).toBe(true);
  });

  it('accepts intervals that touch', () => {
    expect(() =>
      parseCalendar({
        timeZone: 'UTC',
        week: {
          tue: [
            { start: '08:00', end: '12:00' },
            { start: '12:00', end: '16:00' },
          ],
        },
      }),
    ).not.toThrow();
  });

  it('rejects an unknown time zone, naming it', () => {
    const error = expectInvalidInput(
      () => parseCalendar({ ...officeWeek('Europe/Atlantis') }),
      /timeZone: "Europe\/Atlantis" is not a known IANA time zone/,
    );
    expect(Array.isArray(error.details.issues)).toBe(true);
  });

  it('rejects overlapping intervals within a day, naming both', () => {
    expectInvalidInput(
      () =>
        parseCalendar({
          timeZone: 'UTC',
          week: {
            wed: [
              { start: '08:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        }),
      /week\.wed\[1\]: the intervals 08:00–12:00 and 11:00–13:00 overlap/,
    );
  });

  it('rejects an inverted interval and an empty one', () => {
    expectInvalidInput(
      () => parseCalendar({ timeZone: 'UTC', week: { mon: [{ start: '17:00', end: '08:00' }] } }),
      /week\.mon\[0\]: the interval 17:00–08:00 is inverted/,
    );
    expectInvalidInput(
      () => parseCalendar({ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '09:00' }] } }),
      /the interval 09:00–09:00 is empty/,
    );
  });

  it('rejects malformed times and dates, including Feb 29 of a common year', () => {
    expectInvalidInput(
      () => parseCalendar({ timeZone: 'UTC', week: { mon: [{ start: '9:00', end: '17:00' }] } }),
      /"9:00" is not a time of day/,
    );
    expectInvalidInput(
      () => parseCalendar({ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '24:30' }] } }),
      /"24:30" is not a time of day/,
    );
    expectInvalidInput(
      () => parseCalendar({ ...officeWeek('UTC'), holidays: [{ date: '2023-02-29' }] }),
      /holidays\[0\]\.date: "2023-02-29" is not a calendar date/,
    );
    expectInvalidInput(
      () => parseCalendar({ ...officeWeek('UTC'), holidays: [{ date: '2025-1-1' }] }),
      /"2025-1-1" is not a calendar date/,
    );
  });

  it('rejects a calendar with no working time in its week', () => {
    expectInvalidInput(() => parseCalendar({ timeZone: 'UTC', week: {} }), /no working time/);
    expectInvalidInput(() => parseCalendar({ timeZone: 'UTC', week: { mon: [], sun: [] } }), /no working time/);
  });

  it('rejects a calendar whose recurring holidays cover every day of the year', () => {
    const holidays: { date: string; recurring: boolean }[] = [];
    for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2025, 0, 1); day += 86_400_000) {
      holidays.push({ date: new Date(day).toISOString().slice(0, 10), recurring: true });
    }
    expect(holidays).toHaveLength(366);
    expectInvalidInput(
      () => parseCalendar(officeWeek('UTC', holidays)),
      /every day of the year is a recurring holiday/,
    );
  });

  it('rejects unknown keys and non-objects', () => {
    expectInvalidInput(() => parseCalendar({ ...officeWeek('UTC'), week: { monday: [] } }), /monday/);
    expectInvalidInput(() => parseCalendar(null), /Invalid business calendar/);
    expectInvalidInput(() => parseCalendar('Europe/Budapest'), /Invalid business calendar/);
  });
});
