import { commonErrors } from '../errors.js';
import { describeValue } from './describe.js';
import { isLocale, type Locale } from './locales.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'day' | 'hour' | 'minute' | 'second';

/** Largest first: the first unit that states the duration well enough wins. */
const UNITS: ReadonlyArray<readonly [Unit, number]> = [
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];

/**
 * A unit after the number 1 and after any other number. Hungarian keeps the singular after a
 * numeral ("20 perc"); Dutch says "uur" after any number; the Greek forms are nominative and
 * accusative alike, so "για 2 ώρες" and "μετά από 14 ημέρες" both read right.
 */
const UNIT_WORDS: Readonly<Record<Locale, Record<Unit, readonly [one: string, many: string]>>> = {
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'], second: ['second', 'seconds'] },
  hu: { day: ['nap', 'nap'], hour: ['óra', 'óra'], minute: ['perc', 'perc'], second: ['másodperc', 'másodperc'] },
  el: {
    day: ['ημέρα', 'ημέρες'],
    hour: ['ώρα', 'ώρες'],
    minute: ['λεπτό', 'λεπτά'],
    second: ['δευτερόλεπτο', 'δευτερόλεπτα'],
  },
  nl: { day: ['dag', 'dagen'], hour: ['uur', 'uur'], minute: ['minuut', 'minuten'], second: ['seconde', 'seconden'] },
};

/** A larger unit is used while rounding down to it drops at most this share of the duration. */
const MAX_DROPPED = 0.1;

/**
 * A lifetime as a mail or an SMS states it (`{expiresIn}`): one number and one unit in the
 * reader's language, singular or plural as the number needs ("1 hour", "20 minutes", "2 óra",
 * "1 λεπτό", "24 uur"). It rounds down, so it never promises more time than the link or code
 * has, and it takes the largest unit that drops at most a tenth: 24 h is "1 day", 90 minutes
 * stays "90 minutes" (not "1 hour"), 47 h 59 min is "47 hours" (not "2 days"). Never "0": under
 * a minute it counts seconds, and a lifetime under a second is stated as 1 second.
 *
 * The words fit any sentence shape the templates use: no case ending or postposition is attached
 * to the unit, so a template writes "Érvényességi idő: {expiresIn}." rather than "…-ig érvényes".
 * Pure.
 *
 * @param ms - the lifetime in milliseconds; must be a positive finite number.
 * @param locale - the reader's locale.
 * @throws `INVALID_INPUT` when `locale` is not one of the four, or `ms` is not a positive finite number.
 */
export function formatDuration(ms: number, locale: Locale): string {
  if (!isLocale(locale)) {
    throw commonErrors.raise('INVALID_INPUT', { locale }, `Unknown locale ${describeValue(locale)}.`);
  }
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw commonErrors.raise('INVALID_INPUT', { ms }, 'A duration must be a positive finite number of milliseconds.');
  }
  const words = UNIT_WORDS[locale];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(ms / size);
    if (count >= 1 && count * size >= (1 - MAX_DROPPED) * ms) return phrase(count, words[unit]);
  }
  // Only seconds are left: round down to whole ones, and say at least 1.
  return phrase(Math.max(1, Math.floor(ms / SECOND)), words.second);
}

function phrase(count: number, [one, many]: readonly [string, string]): string {
  return `${count} ${count === 1 ? one : many}`;
}
