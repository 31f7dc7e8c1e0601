import { commonErrors } from '../errors.js';
import { el } from './el.js';
import { en } from './en.js';
import { hu } from './hu.js';
import { isLocale, type Locale } from './locales.js';
import { nl } from './nl.js';
import { TEMPLATE_PLACEHOLDERS, type MessageCatalog, type TemplateName } from './templates.js';

/** The templates of every locale. */
export const MESSAGE_CATALOGS: Readonly<Record<Locale, MessageCatalog>> = { en, hu, el, nl };

/** A rendered message, ready for the outbox. */
export interface RenderedMessage {
  subject: string;
  text: string;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The distinct placeholder names used in a template string, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1] ?? ''))];
}

/**
 * Renders `template` in `locale`, replacing every `{name}` with `data[name]`.
 * Substitution is a single pass: a value that itself contains `{x}` is left as is.
 * Values are cleaned as they go in (defense in depth, whatever the caller validated): in the
 * subject every control character (C0, DEL, C1, U+2028/U+2029) becomes a space and runs of
 * spaces collapse to one, so no value can ever add a header line; in the text `\n` and `\t`
 * stay and every other control character is dropped (`\r\n` becomes `\n`).
 * Throws `INVALID_INPUT` for an unknown template or locale, or when `data` lacks
 * a placeholder: that is a programming error in the caller, never a user error.
 * `data` is a plain record so hosts can build it dynamically; annotate it as
 * `TemplateData<'ticket.reminder'>` to have the compiler check the placeholders.
 */
export function renderMessage(
  template: TemplateName,
  locale: Locale,
  data: Readonly<Record<string, string | number>>,
): RenderedMessage {
  if (!isLocale(locale)) {
    throw commonErrors.raise('INVALID_INPUT', { locale }, `Unknown locale "${String(locale)}".`);
  }
  if (!Object.hasOwn(TEMPLATE_PLACEHOLDERS, template)) {
    throw commonErrors.raise('INVALID_INPUT', { template }, `Unknown message template "${String(template)}".`);
  }
  const source = MESSAGE_CATALOGS[locale][template];
  const required = TEMPLATE_PLACEHOLDERS[template];
  for (let i = 0; i < required.length; i++) {
    if (isValue(data[required[i]!])) continue;
    const missing = required.filter((name) => !isValue(data[name]));
    throw commonErrors.raise(
      'INVALID_INPUT',
      { template, locale, missing },
      `Message template "${template}" needs ${missing.map((name) => `{${name}}`).join(', ')}.`,
    );
  }
  const fill = (text: string, clean: (value: string) => string) => {
    // The text split once at its placeholders (cached per catalog string): literal parts at even
    // indexes, placeholder names at odd ones. Same single pass as a regex replace, without
    // scanning the template again for every message.
    const parts = compiled.get(text) ?? compile(text);
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      const value = data[name];
      if (!isValue(value)) {
        // Only reachable when a locale file uses a placeholder its template does not declare.
        throw commonErrors.raise('INVALID_INPUT', { template, locale, missing: [name] }, `No value for {${name}}.`);
      }
      out += clean(String(value)) + parts[i + 1]!;
    }
    return out;
  };
  return { subject: fill(source.subject, cleanSubjectValue), text: fill(source.text, cleanTextValue) };
}

/** Catalog strings split at their placeholders; the catalogs are constants, so this stays small. */
const compiled = new Map<string, readonly string[]>();

function compile(text: string): readonly string[] {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, match.index), match[1]!);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  compiled.set(text, parts);
  return parts;
}

// Line breaks and every other control a mail header or an SMS gateway might act on.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SUBJECT_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
// The same, except the line feed and the tab a text body may legitimately carry.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const TEXT_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A value for a subject: one line, controls turned into single spaces. */
function cleanSubjectValue(value: string): string {
  if (isClean(value, true)) return value;
  return value.replace(SUBJECT_CONTROLS, ' ').replace(/ {2,}/g, ' ');
}

/** A value for a text body: line feeds and tabs kept, other controls (the CR of CRLF too) dropped. */
function cleanTextValue(value: string): string {
  return isClean(value, false) ? value : value.replace(TEXT_CONTROLS, '');
}

/** One pass over the code units before any replace: nearly every value is clean, and a render must stay cheap. */
function isClean(value: string, subject: boolean): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (subject && c === 0x20 && value.charCodeAt(i + 1) === 0x20) return false;
      continue;
    }
    if (c < 0x20) {
      if (subject || (c !== 0x0a && c !== 0x09)) return false;
    } else if (c <= 0x9f || (subject && (c === 0x2028 || c === 0x2029))) {
      return false;
    }
  }
  return true;
}

function isValue(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

const SWITCH_STATE_LABELS: Readonly<Record<Locale, { on: string; off: string }>> = {
  en: { on: 'on', off: 'off' },
  hu: { on: 'bekapcsolva', off: 'kikapcsolva' },
  el: { on: 'ενεργοποιημένος', off: 'απενεργοποιημένος' },
  nl: { on: 'aan', off: 'uit' },
};

/** The word for an on/off setting in `locale`, e.g. for `{enabled}` in `organization.sms_setting_changed`. */
export function switchStateLabel(locale: Locale, on: boolean): string {
  const labels = SWITCH_STATE_LABELS[locale];
  return on ? labels.on : labels.off;
}
