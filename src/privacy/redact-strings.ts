import type { Json } from '../ports/json.js';

/** Shorter strings are not hunted for inside other texts: they would erase unrelated words. */
export const MIN_TEXT_LENGTH = 3;

/** Every string value of `value` (object keys excluded), depth first. */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, out);
  return out;
}

/** The strings `before` held that `after` no longer holds: what a handler's redaction removed. */
export function removedStrings(before: unknown, after: unknown): string[] {
  const kept = new Set(stringsOf(after));
  return [...new Set(stringsOf(before))].filter((text) => !kept.has(text));
}

/**
 * Shorter texts the subject wrote are not hunted in mail that is not about them: "Thanks, it
 * works" may be anyone's words, and a pending mail whose payload changes is never sent.
 */
export const MIN_QUOTE_LENGTH = 20;

/** Keys under which a record holds free text its subject wrote (a reply's body, a description, a rating comment). */
const WRITTEN_KEYS = new Set(['body', 'description', 'comment', 'note', 'text', 'message']);

/**
 * The texts the subject wrote that a redaction removed: strings `before` held under a
 * {@link WRITTEN_KEYS} key (at any depth) that `after` no longer holds, of at least
 * {@link MIN_QUOTE_LENGTH} characters. Not names, addresses, titles or an organisation's name:
 * people share those, so they are hunted only where the place is the subject's.
 */
export function removedWritings(before: unknown, after: unknown): string[] {
  const written: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (WRITTEN_KEYS.has(key)) stringsOf(item, written);
        else walk(item);
      }
    }
  };
  walk(before);
  const kept = new Set(stringsOf(after));
  return [...new Set(written)].filter((text) => text.length >= MIN_QUOTE_LENGTH && !kept.has(text));
}

/** Escapes `text` for use inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A replacer of every occurrence (case-insensitive) of `texts` inside the string values of a
 * JSON value by `pseudonym`. Longest texts first, so an address wins over the name inside it.
 * Used only in the subject's own places (their records, mail to them): elsewhere it would cut
 * into other people's words; there {@link identifierRedactor} replaces whole identifiers only.
 */
export function textRedactor(texts: readonly string[], pseudonym: string): (value: Json) => Json {
  const usable = [...new Set(texts.filter((text) => text.length >= MIN_TEXT_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0) return (value) => value;
  const pattern = new RegExp(usable.map(escape).join('|'), 'giu');
  return mapStrings((text) => text.replace(pattern, pseudonym));
}

/**
 * Identifiers are matched only whole: not inside a longer word, address or number. Before one
 * may stand no letter, digit, `@` or `_ . + -` (so `joann@x` is not `ann@x`, and a username is
 * never a mail domain); after one no letter, digit, `_` or `@` (a username is not the start of an
 * address), nor `.`/`-` followed by one (so `ann@example.com.au` is another address).
 */
const BEFORE = String.raw`(?<![\p{L}\p{N}_.+\-@])`;
const AFTER = String.raw`(?![\p{L}\p{N}_@]|[.\-][\p{L}\p{N}_])`;

/**
 * A replacer of whole occurrences (case-insensitive) of `identifiers` (emails, phone numbers,
 * usernames, ids) inside the string values of a JSON value by `pseudonym`: "Ann" as a word, never
 * the "Ann" in "Annual report". Identifiers shorter than {@link MIN_TEXT_LENGTH} are not hunted.
 */
export function identifierRedactor(identifiers: readonly string[], pseudonym: string): (value: Json) => Json {
  const pattern = identifierPattern(identifiers);
  if (pattern === null) return (value) => value;
  const walk = (value: Json): Json => {
    if (typeof value === 'string') return value.replace(pattern, pseudonym);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, Json> = {};
      // An object whose identity field was wholly one of the subject's identifiers stands for the
      // subject (a follower entry `{ id, email, name }`, an actor): its name fields go too, though
      // a name alone decides nothing (people share names).
      let standsForSubject = false;
      for (const [key, item] of Object.entries(value)) {
        const redacted = walk(item as Json);
        const identity = (IDENTITY_FIELDS as readonly string[]).includes(key);
        if (identity && typeof item === 'string' && item !== pseudonym && redacted === pseudonym)
          standsForSubject = true;
        out[key] = redacted;
      }
      if (standsForSubject) for (const field of NAME_FIELDS) if (typeof out[field] === 'string') out[field] = pseudonym;
      return out;
    }
    return value;
  };
  return walk;
}

/**
 * The fields that say whom an object stands for, and those that name that person (see
 * {@link identifierRedactor}): a follower entry `{ kind, id, email, name }` stands for the subject
 * when its `id` or `email` is theirs; an organisation whose `mainAdminAccountId` is theirs does not.
 */
const IDENTITY_FIELDS = ['id', 'accountId', 'email', 'phone', 'login'] as const;
const NAME_FIELDS = ['name', 'displayName'] as const;

/** True when a string inside `value` holds one of `identifiers` whole (see {@link identifierRedactor}). */
export function namesIdentifier(value: unknown, identifiers: readonly string[]): boolean {
  const pattern = identifierPattern(identifiers, '');
  return pattern !== null && stringsOf(value).some((text) => pattern.test(text));
}

function identifierPattern(identifiers: readonly string[], flags = 'g'): RegExp | null {
  const usable = [...new Set(identifiers.filter((text) => text.length >= MIN_TEXT_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0) return null;
  return new RegExp(`${BEFORE}(?:${usable.map(escape).join('|')})${AFTER}`, `${flags}iu`);
}

/** Applies `replace` to every string value (object keys kept) of a JSON value. */
export function mapStrings(replace: (text: string) => string): (value: Json) => Json {
  const walk = (value: Json): Json => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, Json> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(item as Json);
      return out;
    }
    return value;
  };
  return walk;
}

/** True when two JSON values serialise alike (they come from the same code, so key order matches). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
