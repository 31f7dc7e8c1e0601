import type { Commit } from '../../ports/storage.js';
import { deletesClash } from '../memory/memory-deletes.js';

/**
 * The CTEs that apply a commit's deletes inside the single commit statement: the records at their
 * expected versions, then their history. Adds to `applied` one term that is 0 when every delete
 * applied (its count minus the number asked for) and negative otherwise, so the statement's
 * `commit_guard(sum of applied = number of updates)` also refuses a missed delete and rolls back all.
 * Returns no CTE for a commit without deletes.
 */
export function deleteCtes(s: string, params: unknown[], commit: Commit, applied: string[]): string[] {
  const deletes = commit.deletes ?? [];
  if (deletes.length === 0) return [];
  const values = deletes.map((d) => {
    params.push(d.kind, d.id, d.expectedVersion);
    const n = params.length;
    return `($${n - 2}::text, $${n - 1}::text, $${n}::integer)`;
  });
  applied.push(`((SELECT count(*) FROM deleted) - ${deletes.length})`);
  return [
    `deleted AS (
      DELETE FROM ${s}.records AS r USING (VALUES ${values.join(', ')}) AS d(kind, id, ev)
      WHERE r.kind = d.kind AND r.id = d.id AND r.version = d.ev
      RETURNING r.kind, r.id)`,
    `deleted_history AS (
      DELETE FROM ${s}.history AS h USING deleted WHERE h.kind = deleted.kind AND h.id = deleted.id
      RETURNING 1)`,
  ];
}

/** True when the commit has deletes: it then always ends in `commit_guard`, never the one-update shortcut. */
export function hasDeletes(commit: Commit): boolean {
  return (commit.deletes?.length ?? 0) > 0;
}

/** See {@link deletesClash}: such a commit returns null before anything is sent. */
export { deletesClash };
