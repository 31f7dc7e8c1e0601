import { formatDuration, type Locale } from '../../src/messages/index.js';

const UNITS = [1_000, 60_000, 3_600_000, 86_400_000];

/**
 * Every text `formatDuration` can give in `locale` for a lifetime up to `maxMs`: it states one
 * whole count (at most three digits) of one unit, so `count × unit` for every count up to 1000
 * of every unit reaches each one (and the smallest, under a second, is "1 second").
 */
export function lifetimeTexts(maxMs: number, locale: Locale): string[] {
  const texts = new Set([formatDuration(1, locale), formatDuration(maxMs, locale)]);
  for (const unit of UNITS) {
    for (let count = 1; count <= 1000 && count * unit <= maxMs; count++)
      texts.add(formatDuration(count * unit, locale));
  }
  return [...texts];
}

/** The longest of {@link lifetimeTexts} (in UTF-16 units; every unit word is GSM-7 or UCS-2 throughout). */
export function longestLifetime(maxMs: number, locale: Locale): string {
  return lifetimeTexts(maxMs, locale).reduce((a, b) => (b.length > a.length ? b : a));
}
