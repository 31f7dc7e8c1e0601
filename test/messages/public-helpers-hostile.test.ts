// DESIGN: "Every public input: fuzzed; only HelpdeskError comes back." formatDateTime and
// smsSegments are exported from the package root; for input outside their declared types they
// answer INVALID_INPUT, and valid input renders exactly as before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { formatDateTime, smsSegments } from '../../src/index.js';

/** What a call gives back: `ok`, `INVALID_INPUT`, or the raw error that escaped. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return isHelpdeskError(error, 'INVALID_INPUT') ? 'INVALID_INPUT' : `raw ${String(error)}`;
  }
}

/** The last instant a JavaScript date can hold: 100 million days after the epoch. */
const MAX_INSTANT = 8.64e15;

const anything = fc.oneof(
  fc.anything(),
  fc.constantFrom<unknown>(undefined, null, '__proto__', 'toString', 'constructor', Symbol('x'), Object.create(null)),
);

describe('formatDateTime refuses what it cannot write with INVALID_INPUT', () => {
  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', '', 'EN', undefined, null])(
    'refuses the locale %s',
    (locale) => {
      expect(outcome(() => formatDateTime(0, locale as never))).toBe('INVALID_INPUT');
    },
  );

  it('refuses an instant a date cannot hold, in any zone', () => {
    for (const at of [MAX_INSTANT + 1, -MAX_INSTANT - 1, Number.MAX_VALUE, Infinity, Number.NaN]) {
      for (const zone of ['UTC', '+14:00', 'Pacific/Kiritimati']) {
        expect(outcome(() => formatDateTime(at, 'en', zone))).toBe('INVALID_INPUT');
      }
    }
    expect(outcome(() => formatDateTime('0' as never, 'en'))).toBe('INVALID_INPUT');
  });

  it('writes every instant a date can hold, even where the zone pushes the wall clock past it', () => {
    for (const at of [MAX_INSTANT, -MAX_INSTANT]) {
      for (const zone of ['UTC', '+14:00', '-12:00', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        expect(outcome(() => formatDateTime(at, 'en', zone))).toBe('ok');
      }
    }
  });

  it('accepts offset zones from -14:00 to +14:00 and refuses any beyond, or with 60 minutes or more', () => {
    expect(formatDateTime(0, 'en', '+14:00')).toBe('1 January 1970 at 14:00 (UTC+14:00)');
    expect(formatDateTime(0, 'en', '-12:00')).toBe('31 December 1969 at 12:00 (UTC-12:00)');
    expect(formatDateTime(0, 'en', '+0530')).toBe('1 January 1970 at 05:30 (UTC+0530)');
    expect(formatDateTime(0, 'en', '+05')).toBe('1 January 1970 at 05:00 (UTC+05)');
    for (const zone of ['+99:99', '+14:01', '-14:30', '+15', '+05:60', '+0099', '-99']) {
      expect({ zone, outcome: outcome(() => formatDateTime(0, 'en', zone)) }).toEqual({
        zone,
        outcome: 'INVALID_INPUT',
      });
    }
  });

  it('refuses a zone that is not a string', () => {
    for (const zone of [null, 0, {}, Symbol('UTC')]) {
      expect(outcome(() => formatDateTime(0, 'en', zone as never))).toBe('INVALID_INPUT');
    }
  });

  it('fuzzed: returns a string or throws INVALID_INPUT, never a raw error', () => {
    const instant = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(MAX_INSTANT, -MAX_INSTANT), anything);
    const locale = fc.oneof(fc.constantFrom('en', 'hu', 'el', 'nl'), anything);
    const zone = fc.oneof(
      fc.constantFrom('UTC', 'Europe/Budapest', '+14:00', '-14:00', '+00:00'),
      fc.stringMatching(/^[+-]\d{2}(:?\d{2})?$/),
      anything,
    );
    fc.assert(
      fc.property(instant, locale, zone, (at, loc, tz) => {
        expect(['ok', 'INVALID_INPUT']).toContain(
          outcome(() => formatDateTime(at as never, loc as never, tz as never)),
        );
      }),
      { numRuns: 400 },
    );
  });
});

describe('smsSegments refuses a text that is not a string with INVALID_INPUT', () => {
  it.each([undefined, null, 160, ['a'], { length: 3 }, Symbol('sms')])('refuses %s', (text) => {
    expect(outcome(() => smsSegments(text as never))).toBe('INVALID_INPUT');
  });

  it('still counts any string', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
    expect(smsSegments('λ')).toEqual({ encoding: 'UCS-2', units: 1, segments: 1 });
  });

  it('fuzzed: returns a count or throws INVALID_INPUT, never a raw error', () => {
    fc.assert(
      fc.property(anything, (text) => {
        expect(['ok', 'INVALID_INPUT']).toContain(outcome(() => smsSegments(text as never)));
      }),
      { numRuns: 300 },
    );
  });
});
