/**
 * True when two of `items` have the same key (`idOf`). No Set for the usual case of one item or
 * none: most commits write one record, one message, one event.
 */
export function repeats<T>(items: readonly T[], idOf: (item: T) => string): boolean {
  if (items.length < 2) return false;
  const seen = new Set<string>();
  for (const item of items) {
    const id = idOf(item);
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}
