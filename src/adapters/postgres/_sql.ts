import { isStorableText } from '../../_lib/text.js';
import { commonErrors } from '../../errors.js';

/** The schema the adapter uses when none is given. */
export const DEFAULT_SCHEMA = 'helpdesk';

/**
 * Quotes a schema name as an SQL identifier. Any name PostgreSQL accepts is fine
 * (quotes are doubled); an empty name, a NUL or more than 63 bytes is a configuration error.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\u0000') || new TextEncoder().encode(name).length > 63) {
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { schema: name },
      `Invalid PostgreSQL schema name: ${JSON.stringify(name)}.`,
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** A stable 31-bit hash (FNV-1a) of the schema name: the migration lock's key. */
export function lockKeyOf(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x7fffffff;
}

/** A bigint (or null) column as a JS number: pg returns int8 as a string, PGlite as a number. */
export function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A json column selected as text: parsed into a fresh object nobody else holds. */
export function parseJson(value: unknown): any {
  return value === null || value === undefined ? null : JSON.parse(value as string);
}

/**
 * Refuses, with INVALID_INPUT, a string PostgreSQL would refuse (U+0000: a raw 22021, or 22P05
 * inside JSON) or silently change (a lone UTF-16 surrogate becomes U+FFFD, so two keys could
 * collide). Must be called on the parameters of every query before it is sent, and on the values
 * of a `list` filter before they are stringified (JSON escapes would hide them from this check).
 */
export function refuseUnstorableText(values: readonly unknown[]): void {
  for (const value of values) {
    if (typeof value === 'string' && !isStorableText(value)) {
      throw commonErrors.raise(
        'INVALID_INPUT',
        {},
        'PostgreSQL cannot keep U+0000 or a lone UTF-16 surrogate in text: refused before the database.',
      );
    }
  }
}
