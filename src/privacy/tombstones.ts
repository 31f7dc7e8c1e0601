import type { Json } from '../ports/json.js';
import type { RecordWrite } from '../ports/storage.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { SecretHasher } from '../security/hmac.js';

/**
 * Record kind of a tombstone: an erased identifier (username, email, phone), kept only as a
 * keyed hash until `freeAt`, so registration can refuse it during the cooling period without
 * the store holding the identifier itself.
 */
export const TOMBSTONE_KIND = 'privacy_tombstone';
const PURPOSE = 'privacy.tombstone';

/** The stored state of a tombstone. */
export interface TombstoneState {
  freeAt: number;
}

/** The tombstone record id of `identifier` (case-insensitive): its HMAC under the desk's pepper. */
export function tombstoneIdOf(macs: Pick<SecretHasher, 'hash'>, identifier: string): Promise<string> {
  return macs.hash(PURPOSE, identifier.trim().toLowerCase());
}

/**
 * True when one of `identifiers` belongs to an account erased less than the cooling period ago
 * (its tombstone's `freeAt` is still ahead of `now`). Reads one record per identifier.
 */
export async function holdsErasedIdentifier(
  reader: { load(kind: string, id: string): Promise<StoredRecord | null> },
  macs: Pick<SecretHasher, 'hash'>,
  identifiers: ReadonlyArray<string | null | undefined>,
  now: number,
): Promise<boolean> {
  for (const identifier of identifiers) {
    if (!identifier) continue;
    const record = await reader.load(TOMBSTONE_KIND, await tombstoneIdOf(macs, identifier));
    const freeAt = (record?.state as TombstoneState | undefined)?.freeAt;
    if (typeof freeAt === 'number' && now < freeAt) return true;
  }
  return false;
}

/**
 * The writes that (re)place the tombstones of `identifiers` until `freeAt`, each guarded by the
 * version `load` finds (a repeated erasure extends them).
 */
export async function tombstoneWrites(
  reader: { load(kind: string, id: string): Promise<StoredRecord | null> },
  macs: Pick<SecretHasher, 'hash'>,
  identifiers: readonly string[],
  freeAt: number,
): Promise<RecordWrite[]> {
  const ids = [...new Set(await Promise.all(identifiers.map((identifier) => tombstoneIdOf(macs, identifier))))];
  return Promise.all(
    ids.map(async (id) => ({
      kind: TOMBSTONE_KIND,
      id,
      expectedVersion: (await reader.load(TOMBSTONE_KIND, id))?.version ?? 0,
      state: { freeAt } satisfies TombstoneState as unknown as Json,
      nextDueAt: null,
    })),
  );
}
