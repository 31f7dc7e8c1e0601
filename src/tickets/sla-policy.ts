import { safeParseHostile } from '../_lib/safe-parse.js';
import { z } from 'zod';
import { commonErrors } from '../errors.js';
import { addBusinessTime, calendarSchema, type BusinessCalendar } from '../calendar/index.js';
import { deepFreeze } from '../_lib/json.js';
import { assertInstant, describeIssues } from '../calendar/_guards.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A business day of the default calendar (08:00–17:00) is 9 business hours. */
const BUSINESS_DAY = 9 * HOUR;

/** The ticket priorities an SLA policy has targets for, lowest first. */
export const SLA_PRIORITIES = ['low', 'normal', 'high', 'urgent', 'critical'] as const;
export type SlaPriority = (typeof SLA_PRIORITIES)[number];

/** What an SLA target measures: the first agent response, each later one, and the resolution. */
export const SLA_METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const;
/** One of {@link SLA_METRICS}. */
export type SlaMetric = (typeof SLA_METRICS)[number];

/**
 * One target. `clock: 'business'` counts only the policy calendar's working
 * time; `clock: 'calendar'` counts every millisecond, day and night.
 */
export const slaTargetSchema = z.strictObject({
  /** Milliseconds; positive, at most one year. */
  duration: z
    .number()
    .int()
    .positive()
    .max(366 * 24 * HOUR),
  clock: z.enum(['business', 'calendar']),
});
/** A target: a `duration` in ms, counted on the `business` or the `calendar` clock. */
export type SlaTarget = z.output<typeof slaTargetSchema>;

const priorityTargetsSchema = z.strictObject({
  firstResponse: slaTargetSchema,
  nextResponse: slaTargetSchema,
  resolution: slaTargetSchema,
});
/** The three targets (first response, next response, resolution) of one priority. */
export type SlaPriorityTargets = z.output<typeof priorityTargetsSchema>;

/** An SLA policy: the calendar for business clocks, the warning lead time, and targets per priority. */
export const slaPolicySchema = z.strictObject({
  calendar: calendarSchema,
  /** How long before a breach the warning fires, in ms (0 = at the breach). */
  warnBefore: z
    .number()
    .int()
    .nonnegative()
    .max(366 * 24 * HOUR),
  targets: z.strictObject({
    low: priorityTargetsSchema,
    normal: priorityTargetsSchema,
    high: priorityTargetsSchema,
    urgent: priorityTargetsSchema,
    critical: priorityTargetsSchema,
  }),
});
/** An SLA policy after parsing: see {@link slaPolicySchema}. */
export type SlaPolicy = z.output<typeof slaPolicySchema>;

/** Every field optional, at any depth; arrays are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

const business = (duration: number): SlaTarget => ({ duration, clock: 'business' });
const calendarClock = (duration: number): SlaTarget => ({ duration, clock: 'calendar' });

/**
 * The default policy. Calendar: Europe/Budapest, Monday–Friday 08:00–17:00, no
 * holidays (add your own). A "business day" below is 9 business hours.
 *
 * | priority | first response | next response | resolution |
 * |---|---|---|---|
 * | critical | 1 h, calendar clock | 1 h, calendar clock | 4 h, calendar clock |
 * | urgent | 2 business h | 2 business h | 8 business h |
 * | high | 4 business h | 4 business h | 2 business days (18 h) |
 * | normal | 8 business h | 8 business h | 5 business days (45 h) |
 * | low | 2 business days (18 h) | 2 business days (18 h) | 10 business days (90 h) |
 *
 * Warnings fire 15 min before a breach.
 */
export const defaultSlaPolicy: SlaPolicy = deepFreeze({
  calendar: {
    timeZone: 'Europe/Budapest',
    week: {
      mon: [{ start: '08:00', end: '17:00' }],
      tue: [{ start: '08:00', end: '17:00' }],
      wed: [{ start: '08:00', end: '17:00' }],
      thu: [{ start: '08:00', end: '17:00' }],
      fri: [{ start: '08:00', end: '17:00' }],
    },
    holidays: [],
  },
  warnBefore: 15 * MINUTE,
  targets: {
    critical: {
      firstResponse: calendarClock(1 * HOUR),
      nextResponse: calendarClock(1 * HOUR),
      resolution: calendarClock(4 * HOUR),
    },
    urgent: { firstResponse: business(2 * HOUR), nextResponse: business(2 * HOUR), resolution: business(8 * HOUR) },
    high: {
      firstResponse: business(4 * HOUR),
      nextResponse: business(4 * HOUR),
      resolution: business(2 * BUSINESS_DAY),
    },
    normal: {
      firstResponse: business(8 * HOUR),
      nextResponse: business(8 * HOUR),
      resolution: business(5 * BUSINESS_DAY),
    },
    low: {
      firstResponse: business(2 * BUSINESS_DAY),
      nextResponse: business(2 * BUSINESS_DAY),
      resolution: business(10 * BUSINESS_DAY),
    },
  },
});

/**
 * Merges `overrides` over {@link defaultSlaPolicy} and validates the result.
 * Objects merge field by field (so `{ targets: { low: { resolution: … } } }`
 * changes one target, and `{ calendar: { timeZone: … } }` keeps the weekly
 * hours); arrays (a day's intervals, `holidays`) replace the default whole.
 * Throws `INVALID_INPUT` with the zod issues when the result is not a valid policy.
 */
export function resolveSlaPolicy(overrides?: DeepPartial<SlaPolicy>): SlaPolicy {
  if (overrides !== undefined && !isPlainObject(overrides)) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'notAnObject' },
      'Invalid SLA policy: the overrides must be an object.',
    );
  }
  const merged = overrides === undefined ? defaultSlaPolicy : mergeDeep(defaultSlaPolicy, overrides);
  const result = safeParseHostile(slaPolicySchema, merged);
  if (!result.success) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { issues: result.error.issues },
      `Invalid SLA policy: ${describeIssues(result.error.issues)}`,
    );
  }
  return deepFreeze(result.data);
}

/**
 * The instant a target is due for a clock that started at `start` (epoch ms).
 * A calendar clock adds the duration; a business clock adds business time on
 * `calendar` (see `addBusinessTime`). Throws `INVALID_INPUT` for a bad target or instant.
 */
export function slaDueAt(target: SlaTarget, calendar: BusinessCalendar, start: number): number {
  const parsed = safeParseHostile(slaTargetSchema, target);
  if (!parsed.success) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { issues: parsed.error.issues },
      `Invalid SLA target: ${describeIssues(parsed.error.issues)}`,
    );
  }
  if (parsed.data.clock === 'business') return addBusinessTime(calendar, start, parsed.data.duration);
  assertInstant('start', start);
  return start + parsed.data.duration;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mergeDeep(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    // Own keys only: `__proto__` from JSON input must not reach the prototype.
    Object.defineProperty(merged, key, {
      value: mergeDeep(Object.hasOwn(base, key) ? base[key] : undefined, value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}
