import type { StoredRecord } from '../ports/record-store.js';

/**
 * A test "does a string inside this value contain one of `needles`, ignoring case as `/iu` does":
 * the matching a store's MentionScan must honour (and the memory store uses), so the erasure can
 * tell what the filter will find. Walks string values only and stops at the first hit. No needle:
 * nothing matches.
 */
export function mentionTest(needles: readonly string[]): (value: unknown) => boolean {
  if (needles.length === 0) return () => false;
  const pattern = new RegExp([...new Set(needles)].map(escapeRegExp).join('|'), 'iu');
  const walk = (value: unknown): boolean => {
    if (typeof value === 'string') return pattern.test(value);
    if (Array.isArray(value)) return value.some(walk);
    if (value !== null && typeof value === 'object') return Object.values(value).some(walk);
    return false;
  };
  return walk;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when a filtered scan for `needles` must return `record` from its id, state or indexes
 * alone (its history is not looked at, so false may be a record the filter would still find).
 */
export function recordMentions(record: StoredRecord, needles: readonly string[]): boolean {
  const matches = mentionTest(needles);
  return matches(record.id) || matches(record.state) || matches(record.indexes);
}
