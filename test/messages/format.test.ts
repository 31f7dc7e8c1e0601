import { afterEach, describe, expect, it, vi } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { formatDateTime } from '../../src/messages/index.js';

/** 5 May 2024, 12:00 UTC: summer time everywhere in Europe. */
const MAY_5_NOON_UTC = Date.UTC(2024, 4, 5, 12, 0);

describe('formatDateTime', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes an instant the way each language writes it in running text, with the zone', () => {
    expect(formatDateTime(MAY_5_NOON_UTC, 'nl', 'Europe/Amsterdam')).toBe('5 mei 2024 om 14:00 (CEST)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'hu', 'Europe/Budapest')).toBe('2024. május 5. 14:00 (CEST)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'el', 'Europe/Athens')).toBe('5 Μαΐου 2024, 15:00 (EEST)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'en', 'Europe/London')).toBe('5 May 2024 at 13:00 (BST)');
  });

  it('defaults to UTC and says so', () => {
    expect(formatDateTime(MAY_5_NOON_UTC, 'en')).toBe('5 May 2024 at 12:00 (UTC)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'hu')).toBe('2024. május 5. 12:00 (UTC)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'el')).toBe('5 Μαΐου 2024, 12:00 (UTC)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'nl')).toBe('5 mei 2024 om 12:00 (UTC)');
  });

  it('uses the genitive month in Greek and lower-case months in Hungarian and Dutch', () => {
    const march1 = Date.UTC(2026, 2, 1, 9, 0);
    expect(formatDateTime(march1, 'el', 'Europe/Athens')).toBe('1 Μαρτίου 2026, 11:00 (EET)');
    expect(formatDateTime(march1, 'hu', 'Europe/Budapest')).toBe('2026. március 1. 10:00 (CET)');
    expect(formatDateTime(march1, 'nl', 'Europe/Amsterdam')).toBe('1 maart 2026 om 10:00 (CET)');
  });

  // EU summer time 2026 starts on 29 March at 01:00 UTC and ends on 25 October at 01:00 UTC.
  it('follows the spring change: the same UTC hour reads an hour later once summer time starts', () => {
    const beforeSpring = Date.UTC(2026, 2, 29, 0, 30);
    const afterSpring = Date.UTC(2026, 2, 29, 1, 30);
    expect(formatDateTime(beforeSpring, 'hu', 'Europe/Budapest')).toBe('2026. március 29. 01:30 (CET)');
    expect(formatDateTime(afterSpring, 'hu', 'Europe/Budapest')).toBe('2026. március 29. 03:30 (CEST)');
    expect(formatDateTime(beforeSpring, 'el', 'Europe/Athens')).toBe('29 Μαρτίου 2026, 02:30 (EET)');
    expect(formatDateTime(afterSpring, 'el', 'Europe/Athens')).toBe('29 Μαρτίου 2026, 04:30 (EEST)');
    expect(formatDateTime(beforeSpring, 'nl', 'Europe/Amsterdam')).toBe('29 maart 2026 om 01:30 (CET)');
    expect(formatDateTime(afterSpring, 'nl', 'Europe/Amsterdam')).toBe('29 maart 2026 om 03:30 (CEST)');
  });

  it('tells the two readings of the repeated autumn hour apart by their zone', () => {
    const firstPass = Date.UTC(2026, 9, 25, 0, 30);
    const secondPass = Date.UTC(2026, 9, 25, 1, 30);
    expect(formatDateTime(firstPass, 'nl', 'Europe/Amsterdam')).toBe('25 oktober 2026 om 02:30 (CEST)');
    expect(formatDateTime(secondPass, 'nl', 'Europe/Amsterdam')).toBe('25 oktober 2026 om 02:30 (CET)');
    expect(formatDateTime(firstPass, 'hu', 'Europe/Budapest')).toBe('2026. október 25. 02:30 (CEST)');
    expect(formatDateTime(secondPass, 'hu', 'Europe/Budapest')).toBe('2026. október 25. 02:30 (CET)');
    expect(formatDateTime(firstPass - 3_600_000, 'el', 'Europe/Athens')).toBe('25 Οκτωβρίου 2026, 02:30 (EEST)');
    expect(formatDateTime(secondPass - 3_600_000, 'el', 'Europe/Athens')).toBe('25 Οκτωβρίου 2026, 03:30 (EEST)');
    expect(formatDateTime(secondPass, 'el', 'Europe/Athens')).toBe('25 Οκτωβρίου 2026, 03:30 (EET)');
  });

  it('shows an offset where the locale knows no abbreviation, and for an offset zone', () => {
    expect(formatDateTime(MAY_5_NOON_UTC, 'en', 'Asia/Tokyo')).toBe('5 May 2024 at 21:00 (GMT+9)');
    expect(formatDateTime(MAY_5_NOON_UTC, 'nl', '+05:30')).toBe('5 mei 2024 om 17:30 (UTC+05:30)');
  });

  it('never reads the current time', () => {
    vi.useFakeTimers({ now: Date.UTC(1999, 0, 1) });
    const early = formatDateTime(MAY_5_NOON_UTC, 'hu', 'Europe/Budapest');
    vi.setSystemTime(Date.UTC(2040, 6, 1));
    expect(formatDateTime(MAY_5_NOON_UTC, 'hu', 'Europe/Budapest')).toBe(early);
  });

  it('refuses an unknown zone, a locale it has no words for, or an instant that is not a number', () => {
    const codeOf = (run: () => unknown) => {
      try {
        run();
        return 'no error';
      } catch (error) {
        return isHelpdeskError(error, 'INVALID_INPUT') ? 'INVALID_INPUT' : String(error);
      }
    };
    expect(codeOf(() => formatDateTime(MAY_5_NOON_UTC, 'en', 'Mars/Olympus_Mons'))).toBe('INVALID_INPUT');
    expect(codeOf(() => formatDateTime(MAY_5_NOON_UTC, 'de' as never))).toBe('INVALID_INPUT');
    expect(codeOf(() => formatDateTime(Number.NaN, 'en'))).toBe('INVALID_INPUT');
  });
});
