import { UnitOfWork } from '../engine/unit-of-work.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';

/**
 * Deletes `record` (with its indexes, deadline and history) in a commit of its own through
 * `uow.delete`, guarded by the version it was read at. Returns false, changing nothing, when it
 * changed or went meanwhile.
 */
export async function deleteAtVersion(storage: Storage, record: Pick<StoredRecord, 'kind' | 'id' | 'version'>) {
  return deleteAllAtVersion(storage, [record]);
}

/** {@link deleteAtVersion} for several records in one commit: all of them, or none when one changed or went. */
export async function deleteAllAtVersion(
  storage: Storage,
  records: ReadonlyArray<Pick<StoredRecord, 'kind' | 'id' | 'version'>>,
) {
  const uow = new UnitOfWork(storage, 0); // no history is written, so its "now" is never read
  for (const record of records) uow.delete(record.kind, record.id, record.version);
  return (await storage.commit(uow.toCommit())) !== null;
}
