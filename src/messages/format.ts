import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
// One file per locale, never the `date-fns/locale` index: a bundle must carry these four, not all 90+.
import { el } from 'date-fns/locale/el';
import { enGB } from 'date-fns/locale/en-GB';
import { hu } from 'date-fns/locale/hu';
import { nl } from 'date-fns/locale/nl';
import type { Locale as DateFnsLocale } from 'date-fns';
import { commonErrors } from '../errors.js';
import { describeValue } from './describe.js';
import { isLocale, type Locale } from './locales.js';

interface DateTimeStyle {
  /** The date-fns locale: month names in the right case (el genitive "Μαΐου", hu "május"). */
  readonly dateFns: DateFnsLocale;
  /** The BCP 47 tag the zone abbreviation is looked up in. */
  readonly tag: string;
  /** A date-fns pattern, 24-hour clock, the way each language writes a date in running text. */
  readonly pattern: string;
}

// en is British English: day before month and a 24-hour clock, as the rest of Europe reads them.
const STYLES: Readonly<Record<Locale, DateTimeStyle>> = {
  en: { dateFns: enGB, tag: 'en-GB', pattern: "d MMMM yyyy 'at' HH:mm" },
  hu: { dateFns: hu, tag: 'hu', pattern: 'yyyy. MMMM d. HH:mm' },
  el: { dateFns: el, tag: 'el', pattern: 'd MMMM yyyy, HH:mm' },
  nl: { dateFns: nl, tag: 'nl', pattern: "d MMMM yyyy 'om' HH:mm" },
};

/** The last instant (and, negated, the first) a JavaScript date can hold: 100 million days from the epoch. */
const MAX_INSTANT = 8.64e15;

/** The default zone of {@link formatDateTime}: the only one every reader can convert from. */
export const DEFAULT_TIME_ZONE = 'UTC';

/**
 * An instant as a reader of `locale` writes it in running text, in `timeZone`, followed by
 * the zone's abbreviation (or its offset where the locale knows no abbreviation) so nobody
 * has to guess which clock is meant:
 *
 * - en `5 May 2024 at 14:00 (CEST)`
 * - hu `2024. május 5. 14:00 (CEST)`
 * - el `5 Μαΐου 2024, 14:00 (CEST)`
 * - nl `5 mei 2024 om 14:00 (CEST)`
 *
 * Templates that take a date (`{autoResolveAt}`, `{waitingEndsAt}`) must be given this text,
 * never an ISO timestamp. Pure: it never reads the current time.
 *
 * @param at - epoch milliseconds; must be finite.
 * @param locale - the recipient's locale.
 * @param timeZone - an IANA zone (`Europe/Budapest`) or an offset (`+02:00`); default `UTC`.
 * @throws `INVALID_INPUT` when `locale` is not one of the four, `at` is not a finite number of
 *   epoch milliseconds a date can hold (±8.64e15), or `timeZone` is not a string naming a zone
 *   (an offset beyond ±14:00, or with 60 minutes or more, names none).
 */
export function formatDateTime(at: number, locale: Locale, timeZone: string = DEFAULT_TIME_ZONE): string {
  // One of the four by name, never a key lookup: `__proto__` or `toString` would find Object.prototype's.
  if (!isLocale(locale)) {
    throw commonErrors.raise('INVALID_INPUT', { locale }, `Unknown locale ${describeValue(locale)}.`);
  }
  const style = STYLES[locale];
  if (typeof at !== 'number' || !Number.isFinite(at) || Math.abs(at) > MAX_INSTANT) {
    throw commonErrors.raise(
      'INVALID_INPUT',
      { at },
      'The instant to format must be a finite number of epoch milliseconds within ±8.64e15.',
    );
  }
  if (typeof timeZone !== 'string') {
    throw commonErrors.raise('INVALID_INPUT', { timeZone }, `Unknown time zone ${describeValue(timeZone)}.`);
  }
  const zoneName = zoneAbbreviation(at, style.tag, timeZone);
  const local = format(new TZDate(at, timeZone), style.pattern, { locale: style.dateFns });
  return `${local} (${zoneName})`;
}

/** Formatters per locale and zone: building one costs far more than using it. */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
/** Zones come from host configuration, so the cache stays small; the cap only guards a misuse. */
const MAX_CACHED_FORMATTERS = 256;

const OFFSET_ZONE = /^[+-](\d{2})(?::?(\d{2}))?$/;
/** The widest UTC offset any zone uses (Kiribati's +14:00; the western end is -12:00), in minutes. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** `CEST`, `EET`, `UTC`, or `GMT+9` where the locale has no abbreviation for the zone. */
function zoneAbbreviation(at: number, tag: string, timeZone: string): string {
  // Intl in Node 20 refuses offset zones that @date-fns/tz accepts; an offset is its own name.
  const offset = OFFSET_ZONE.exec(timeZone);
  if (offset !== null) {
    const hours = Number(offset[1]);
    const minutes = Number(offset[2] ?? 0);
    if (minutes >= 60 || hours * 60 + minutes > MAX_OFFSET_MINUTES) {
      throw commonErrors.raise('INVALID_INPUT', { timeZone }, `Unknown time zone "${timeZone}": beyond ±14:00.`);
    }
    return `UTC${timeZone}`;
  }
  const key = `${tag}|${timeZone}`;
  let formatter = zoneFormatters.get(key);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat(tag, { timeZone, timeZoneName: 'short' });
    } catch {
      throw commonErrors.raise('INVALID_INPUT', { timeZone }, `Unknown time zone "${timeZone}".`);
    }
    if (zoneFormatters.size >= MAX_CACHED_FORMATTERS) zoneFormatters.clear();
    zoneFormatters.set(key, formatter);
  }
  const part = formatter.formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
