/** The locales every message, label and definition is written in. */
export const LOCALES = ['en', 'hu', 'el', 'nl'] as const;

/** One of {@link LOCALES}. */
export type Locale = (typeof LOCALES)[number];

/** The locale used when the host configures none. */
export const DEFAULT_LOCALE: Locale = 'en';

/** True when `value` is one of {@link LOCALES} (exact match, no fallback from `en-GB` to `en`). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
