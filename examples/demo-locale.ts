/**
 * `npm run demo -- --locale hu|el|nl|en`: the language of the demo's mails and SMS.
 * The demo's own narration stays English; what the desk sends comes in this locale
 * (recipients the story gives a locale of their own keep theirs).
 */
import { LOCALES, DEFAULT_LOCALE, type Locale } from '../src/index.js';

/** The locale named by `--locale xx` or `--locale=xx` in `argv`; default `en`. Exits with a usage line on an unknown one. */
export function demoLocale(argv: readonly string[] = process.argv.slice(2)): Locale {
  const at = argv.findIndex((arg) => arg === '--locale' || arg.startsWith('--locale='));
  if (at === -1) return DEFAULT_LOCALE;
  const value = argv[at]!.includes('=') ? argv[at]!.slice('--locale='.length) : argv[at + 1];
  const locale = LOCALES.find((known) => known === value?.trim().toLowerCase());
  if (!locale) {
    console.error(`Unknown locale "${value ?? ''}". Usage: npm run demo -- --locale ${LOCALES.join('|')}`);
    process.exit(2);
  }
  console.log(`(mails and SMS in: ${locale})\n`);
  return locale;
}
