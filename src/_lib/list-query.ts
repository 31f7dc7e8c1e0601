import { commonErrors } from '../errors.js';
import type { ListQuery } from '../ports/record-store.js';

/**
 * Refuses, with INVALID_INPUT, a `list` filter with a value that is not a string (`undefined`
 * from a missing field, null, a number). Every adapter calls it before any look-up: PostgreSQL
 * would drop an `undefined` from the JSON of its filter and so match every record of the kind.
 */
export function refuseNonStringFilter(where: ListQuery['where']): void {
  for (const key in where) {
    if (!Object.hasOwn(where, key)) continue;
    const value: unknown = where[key];
    if (typeof value !== 'string') {
      throw commonErrors.raise(
        'INVALID_INPUT',
        { path: `where.${key}` },
        `A list filter value must be a string; where.${key} is ${value === null ? 'null' : typeof value}.`,
      );
    }
  }
}

/** A page limit as every adapter applies it: whole records only, never negative (`LIMIT floor(limit)`). */
export function pageLimit(limit: number): number {
  return Math.max(0, Math.floor(limit));
}
