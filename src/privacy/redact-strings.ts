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

/** Escapes `text` for use inside a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A replacer of every occurrence (case-insensitive) of `texts` inside the string values of a
 * JSON value by `pseudonym`. Longest texts first, so an address wins over the name inside it.
 */
export function textRedactor(texts: readonly string[], pseudonym: string): (value: Json) => Json {
  const usable = [...new Set(texts.filter((text) => text.length >= MIN_TEXT_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0) return (value) => value;
  const pattern = new RegExp(usable.map(escape).join('|'), 'giu');
  const walk = (value: Json): Json => {
    if (typeof value === 'string') return value.replace(pattern, pseudonym);
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
