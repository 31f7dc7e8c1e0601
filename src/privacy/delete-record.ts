import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';

/**
 * Deletes `record` (with its indexes, deadline and history) in a commit of its own, guarded by the
 * version it was read at. Returns false, changing nothing, when it changed or went meanwhile.
 */
export async function deleteAtVersion(storage: Storage, record: Pick<StoredRecord, 'kind' | 'id' | 'version'>) {
  const deletes = [{ kind: record.kind, id: record.id, expectedVersion: record.version }];
  return (await storage.commit({ writes: [], history: [], outbox: [], idempotency: [], deletes })) !== null;
}
