// How a mail or an SMS states a lifetime ("The link expires in 20 minutes"): in the reader's
// language with the right singular or plural, never more time than the link or code really has,
// and never "0 hours".
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { LOCALES, formatDuration } from '../../src/messages/index.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatDuration', () => {
  it('says 20 minutes for a 20-minute link, never "0 hours"', () => {
    expect(formatDuration(20 * MINUTE, 'en')).toBe('20 minutes');
    expect(formatDuration(20 * MINUTE, 'hu')).toBe('20 perc');
    expect(formatDuration(20 * MINUTE, 'el')).toBe('20 λεπτά');
    expect(formatDuration(20 * MINUTE, 'nl')).toBe('20 minuten');
  });

  it('uses the singular for one of a unit in every language', () => {
    expect(LOCALES.map((l) => formatDuration(SECOND, l))).toEqual([
      '1 second',
      '1 másodperc',
      '1 δευτερόλεπτο',
      '1 seconde',
    ]);
    expect(LOCALES.map((l) => formatDuration(MINUTE, l))).toEqual(['1 minute', '1 perc', '1 λεπτό', '1 minuut']);
    expect(LOCALES.map((l) => formatDuration(HOUR, l))).toEqual(['1 hour', '1 óra', '1 ώρα', '1 uur']);
    expect(LOCALES.map((l) => formatDuration(DAY, l))).toEqual(['1 day', '1 nap', '1 ημέρα', '1 dag']);
  });

  it('uses the plural after any other number (Hungarian keeps the singular after a numeral, Dutch says "uur")', () => {
    expect(LOCALES.map((l) => formatDuration(30 * SECOND, l))).toEqual([
      '30 seconds',
      '30 másodperc',
      '30 δευτερόλεπτα',
      '30 seconden',
    ]);
    expect(LOCALES.map((l) => formatDuration(2 * HOUR, l))).toEqual(['2 hours', '2 óra', '2 ώρες', '2 uur']);
    expect(LOCALES.map((l) => formatDuration(14 * DAY, l))).toEqual(['14 days', '14 nap', '14 ημέρες', '14 dagen']);
  });

  it('says a whole day or hour in that unit: 24 h is 1 day, 72 h is 3 days, 60 min is 1 hour', () => {
    expect(formatDuration(24 * HOUR, 'en')).toBe('1 day');
    expect(formatDuration(72 * HOUR, 'en')).toBe('3 days');
    expect(formatDuration(60 * MINUTE, 'en')).toBe('1 hour');
    expect(formatDuration(366 * DAY, 'en')).toBe('366 days');
  });

  it('keeps 90 minutes as 90 minutes and 36 hours as 36 hours: a larger unit would drop a third', () => {
    expect(formatDuration(90 * MINUTE, 'en')).toBe('90 minutes');
    expect(formatDuration(36 * HOUR, 'en')).toBe('36 hours');
    expect(formatDuration(95 * SECOND, 'en')).toBe('95 seconds');
  });

  it('never states more time than there is: it rounds down, losing at most a tenth', () => {
    expect(formatDuration(2 * HOUR - 1, 'en')).toBe('119 minutes');
    expect(formatDuration(48 * HOUR - MINUTE, 'en')).toBe('47 hours');
    expect(formatDuration(10 * HOUR + 30 * MINUTE, 'en')).toBe('10 hours');
    expect(formatDuration(MINUTE - 1, 'en')).toBe('59 seconds');
    for (const ms of [59_999, 61_000, 89 * MINUTE + 59_999, 25 * HOUR, 47 * HOUR + 59 * MINUTE, 200 * DAY + 1]) {
      const [count, unit] = formatDuration(ms, 'en').split(' ') as [string, string];
      const unitMs = { second: SECOND, minute: MINUTE, hour: HOUR, day: DAY }[unit.replace(/s$/, '')]!;
      expect({ ms, stated: Number(count) * unitMs <= ms, tenth: Number(count) * unitMs >= 0.9 * ms }).toEqual({
        ms,
        stated: true,
        tenth: true,
      });
    }
  });

  it('never says 0: a lifetime under a second is stated as 1 second', () => {
    expect(formatDuration(1, 'en')).toBe('1 second');
    expect(formatDuration(999, 'nl')).toBe('1 seconde');
  });

  it('refuses a duration that is not a positive finite number of milliseconds, and an unknown locale', () => {
    for (const bad of [0, -MINUTE, Number.NaN, Number.POSITIVE_INFINITY, '5' as unknown as number]) {
      expect(() => formatDuration(bad, 'en')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    try {
      formatDuration(MINUTE, 'de' as never);
      expect.unreachable();
    } catch (error) {
      expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
    }
  });
});
