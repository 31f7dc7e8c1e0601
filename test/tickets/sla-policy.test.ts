import { describe, expect, it } from 'vitest';
import { businessTimeBetween, parseCalendar } from '../../src/calendar/index.js';
import { expectInvalidInput } from '../calendar/_helpers.js';
import {
  defaultSlaPolicy,
  resolveSlaPolicy,
  SLA_METRICS,
  SLA_PRIORITIES,
  slaDueAt,
  slaPolicySchema,
  type DeepPartial,
  type SlaPolicy,
} from '../../src/tickets/sla-policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string) => Date.parse(iso);

describe('defaultSlaPolicy', () => {
  it('is a valid policy on Europe/Budapest, Mon–Fri 08:00–17:00, without holidays, warning 15 min ahead', () => {
    expect(slaPolicySchema.safeParse(defaultSlaPolicy).success).toBe(true);
    expect(defaultSlaPolicy.calendar.timeZone).toBe('Europe/Budapest');
    expect(defaultSlaPolicy.calendar.week.mon).toEqual([{ start: '08:00', end: '17:00' }]);
    expect(defaultSlaPolicy.calendar.week.sat).toBeUndefined();
    expect(defaultSlaPolicy.calendar.holidays).toEqual([]);
    expect(defaultSlaPolicy.warnBefore).toBe(15 * MINUTE);
    expect(Object.isFrozen(defaultSlaPolicy.targets.low)).toBe(true);
  });

  it('runs critical tickets on the calendar clock: 1 h first and next response, 4 h resolution', () => {
    expect(defaultSlaPolicy.targets.critical).toEqual({
      firstResponse: { duration: HOUR, clock: 'calendar' },
      nextResponse: { duration: HOUR, clock: 'calendar' },
      resolution: { duration: 4 * HOUR, clock: 'calendar' },
    });
  });

  it('runs every other priority on business hours, with a business day of 9 h', () => {
    const hours = (priority: (typeof SLA_PRIORITIES)[number]) =>
      SLA_METRICS.map((metric) => {
        const target = defaultSlaPolicy.targets[priority][metric];
        expect(target.clock).toBe('business');
        return target.duration / HOUR;
      });
    expect(hours('urgent')).toEqual([2, 2, 8]);
    expect(hours('high')).toEqual([4, 4, 18]);
    expect(hours('normal')).toEqual([8, 8, 45]);
    expect(hours('low')).toEqual([18, 18, 90]);
  });

  it('gives more urgent priorities targets that are never longer', () => {
    for (const metric of SLA_METRICS) {
      const durations = SLA_PRIORITIES.map((priority) => defaultSlaPolicy.targets[priority][metric].duration);
      expect([...durations].sort((a, b) => b - a)).toEqual(durations);
    }
  });
});

describe('resolveSlaPolicy', () => {
  it('returns the defaults without overrides', () => {
    expect(resolveSlaPolicy()).toEqual(defaultSlaPolicy);
    expect(resolveSlaPolicy({})).toEqual(defaultSlaPolicy);
  });

  it('merges one target over the defaults and keeps every other field', () => {
    const policy = resolveSlaPolicy({ targets: { low: { resolution: { duration: 20 * 9 * HOUR } } } });
    expect(policy.targets.low.resolution).toEqual({ duration: 20 * 9 * HOUR, clock: 'business' });
    expect(policy.targets.low.firstResponse).toEqual(defaultSlaPolicy.targets.low.firstResponse);
    expect(policy.targets.critical).toEqual(defaultSlaPolicy.targets.critical);
    expect(policy.calendar).toEqual(defaultSlaPolicy.calendar);
  });

  it('merges a calendar field by field and replaces arrays whole', () => {
    const policy = resolveSlaPolicy({
      calendar: {
        timeZone: 'Europe/Amsterdam',
        week: { sat: [{ start: '10:00', end: '14:00' }] },
        holidays: [{ date: '2025-12-25', recurring: true, name: 'Christmas' }],
      },
      warnBefore: 30 * MINUTE,
    });
    expect(policy.calendar.timeZone).toBe('Europe/Amsterdam');
    expect(policy.calendar.week.mon).toEqual([{ start: '08:00', end: '17:00' }]);
    expect(policy.calendar.week.sat).toEqual([{ start: '10:00', end: '14:00' }]);
    expect(policy.calendar.holidays).toEqual([{ date: '2025-12-25', recurring: true, name: 'Christmas' }]);
    expect(policy.warnBefore).toBe(30 * MINUTE);
  });

  it('does not change the defaults', () => {
    const before = JSON.stringify(defaultSlaPolicy);
    resolveSlaPolicy({ warnBefore: 0, targets: { high: { firstResponse: { clock: 'calendar' } } } });
    expect(JSON.stringify(defaultSlaPolicy)).toBe(before);
  });

  it('rejects an invalid result with INVALID_INPUT naming the field', () => {
    expectInvalidInput(
      () => resolveSlaPolicy({ targets: { high: { resolution: { duration: -1 } } } }),
      /targets\.high\.resolution\.duration/,
    );
    expectInvalidInput(() => resolveSlaPolicy({ warnBefore: Number.NaN }), /warnBefore/);
    expectInvalidInput(
      () => resolveSlaPolicy({ targets: { low: { resolution: { clock: 'wall' as 'business' } } } }),
      /targets\.low\.resolution\.clock/,
    );
    expectInvalidInput(() => resolveSlaPolicy({ calendar: { timeZone: 'Mars/Base' } }), /not a known IANA time zone/);
    expectInvalidInput(
      () => resolveSlaPolicy({ calendar: { week: { mon: [{ start: '17:00', end: '08:00' }] } } }),
      /inverted/,
    );
  });

  it('rejects unknown fields and overrides that are not an object', () => {
    expectInvalidInput(() => resolveSlaPolicy({ warnAfter: 1 } as DeepPartial<SlaPolicy>), /warnAfter/);
    expectInvalidInput(() => resolveSlaPolicy('strict' as DeepPartial<SlaPolicy>), /must be an object/);
    expectInvalidInput(
      () => resolveSlaPolicy(JSON.parse('{"__proto__": {"warnBefore": 1}}') as DeepPartial<SlaPolicy>),
      /__proto__/,
    );
  });
});

describe('slaDueAt', () => {
  const calendar = parseCalendar(defaultSlaPolicy.calendar);

  it('adds a calendar-clock target around the clock, weekends included', () => {
    const fridayEvening = at('2025-06-06T18:30+02:00');
    expect(slaDueAt(defaultSlaPolicy.targets.critical.resolution, calendar, fridayEvening)).toBe(
      at('2025-06-06T22:30+02:00'),
    );
  });

  it('adds a business-clock target in business hours: a high ticket filed Friday 15:00 is due for resolution Tuesday 15:00', () => {
    const due = slaDueAt(defaultSlaPolicy.targets.high.resolution, calendar, at('2025-06-06T15:00+02:00'));
    expect(due).toBe(at('2025-06-10T15:00+02:00'));
    expect(businessTimeBetween(calendar, at('2025-06-06T15:00+02:00'), due)).toBe(18 * HOUR);
  });

  it('a normal ticket filed on Saturday is due for first response at Monday 16:00 (08:00 + 8 h)', () => {
    expect(slaDueAt(defaultSlaPolicy.targets.normal.firstResponse, calendar, at('2025-06-07T11:00+02:00'))).toBe(
      at('2025-06-09T16:00+02:00'),
    );
  });

  it('rejects a bad target or start with INVALID_INPUT', () => {
    expectInvalidInput(() => slaDueAt({ duration: -5, clock: 'business' }, calendar, 0), /duration/);
    expectInvalidInput(() => slaDueAt({ duration: HOUR, clock: 'calendar' }, calendar, Number.NaN), /start/);
    expectInvalidInput(() => slaDueAt({ duration: HOUR, clock: 'business' }, calendar, Infinity), /start/);
  });

  it('matches the worked example of docs/calendar.md (high ticket, Friday 15:00, Whit Monday off)', () => {
    const policy = resolveSlaPolicy({ calendar: { holidays: [{ date: '2025-06-09', name: 'Whit Monday' }] } });
    const whitCalendar = parseCalendar(policy.calendar);
    const received = at('2025-06-06T15:00+02:00');
    const firstResponseDue = slaDueAt(policy.targets.high.firstResponse, whitCalendar, received);
    expect(firstResponseDue).toBe(at('2025-06-10T10:00+02:00'));
    expect(firstResponseDue - policy.warnBefore).toBe(at('2025-06-10T09:45+02:00'));
    const due = slaDueAt(policy.targets.high.resolution, whitCalendar, received);
    expect(due).toBe(at('2025-06-11T15:00+02:00'));
    expect(businessTimeBetween(whitCalendar, received, due)).toBe(18 * HOUR);
    expect(slaDueAt(policy.targets.critical.resolution, whitCalendar, received)).toBe(at('2025-06-06T19:00+02:00'));
  });
});
