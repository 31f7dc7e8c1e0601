import type { Commit } from '../../ports/storage.js';

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;

/**
 * True when the commit deletes a record twice, or also writes it or appends history to it: such
 * a commit means two things at once, so the port says it must change nothing.
 */
export function deletesClash(commit: Commit): boolean {
  const deleted = new Set<string>();
  for (const d of commit.deletes ?? []) {
    const key = keyOf(d.kind, d.id);
    if (deleted.has(key)) return true;
    deleted.add(key);
  }
  return (
    commit.writes.some((w) => deleted.has(keyOf(w.kind, w.id))) ||
    commit.history.some((h) => deleted.has(keyOf(h.kind, h.id)))
  );
}
