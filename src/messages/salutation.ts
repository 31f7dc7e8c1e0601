import type { Locale } from './locales.js';

// What `{name}` holds in a greeting ("Hello {name},") to an agent: the host vouches for his id only,
// and an id is no name to greet by, so he is addressed as a colleague, in the mail's locale.
const COLLEAGUE: Readonly<Record<Locale, string>> = { en: 'colleague', hu: 'Kolléga', el: 'συνάδελφε', nl: 'collega' };

/** The `{name}` of a greeting to an agent, whose name the library does not know: "Hello colleague,", "Kedves Kolléga!". */
export function agentSalutation(locale: Locale): string {
  return COLLEAGUE[locale];
}
