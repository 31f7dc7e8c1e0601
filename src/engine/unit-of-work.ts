import type { HistoryEntryInput } from '../ports/history-store.js';
import type { Json } from '../ports/json.js';
import type { OutboxMessageInput } from '../ports/outbox-store.js';
import type { RecordDelete, StoredRecord } from '../ports/record-store.js';
import type { BatchRead, Commit, RecordWrite, Storage } from '../ports/storage.js';
import { jitter } from '../_lib/jitter.js';
import { referencedId } from '../_lib/read-one-by-one.js';
import { commonErrors } from '../errors.js';
import { eventsFromHistory } from '../events/from-history.js';

const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;

/** What a command handler wants stored for one record. */
export interface RecordChange {
  state: Json;
  indexes?: Record<string, string>;
  nextDueAt: number | null;
}

/**
 * Collects one command's reads and writes. Every load remembers the version it saw;
 * `put` writes against that version, so the commit is guarded by what the handler read.
 * A load after a `put` or `create` of the same record returns that pending write (still at
 * the version loaded), so later steps of one command build on what earlier steps wrote and no
 * service needs a side map of its own writes.
 */
export class UnitOfWork {
  private readonly seen = new Map<string, StoredRecord | null>();
  private readonly writes = new Map<string, RecordWrite>();
  private readonly historyEntries: HistoryEntryInput[] = [];
  private readonly outboxMessages: OutboxMessageInput[] = [];
  private readonly idempotencyKeys: Commit['idempotency'] = [];
  private readonly deletes = new Map<string, RecordDelete>();
  private waits: Array<Promise<unknown>> | null = null;

  constructor(
    readonly storage: Storage,
    /** The command's "now", read once from the clock. */
    readonly now: number,
  ) {}

  /**
   * Work that writes into this unit of work when it settles (a token's record, once its HMAC is
   * computed): `runCommand` awaits it before the commit, so it lands in this commit whatever the
   * timing. A rejection fails the command.
   */
  waitFor(work: Promise<unknown>): void {
    (this.waits ??= []).push(work);
  }

  /** Awaits the work given to {@link waitFor}, including work it adds meanwhile. */
  async settle(): Promise<void> {
    while (this.waits !== null) {
      const waits = this.waits;
      this.waits = null;
      await Promise.all(waits);
    }
  }

  /** Whether work given to {@link waitFor} is outstanding. */
  get waiting(): boolean {
    return this.waits !== null;
  }

  async load(kind: string, id: string): Promise<StoredRecord | null> {
    const key = keyOf(kind, id);
    const pending = this.writes.get(key);
    if (pending) return pendingRecord(pending);
    if (this.deletes.has(key)) return null;
    if (this.seen.has(key)) return this.seen.get(key) ?? null;
    const record = await this.storage.load(kind, id);
    this.seen.set(key, record);
    return record;
  }

  /**
   * Reads several records as `load` would, in one round trip on a store with `readBatch` (issue
   * 16), so the `load`s that follow find them; a store without it is left to those `load`s. A
   * record this unit of work has already read, written or deleted keeps what it had. A `list` or
   * `nextSequenceIf` read rides along: its result is returned (in the batch's order), not kept, and
   * guards nothing.
   * Returns the batch's results, in the order of `reads`, when a read is not a plain `load`; null
   * otherwise (plain loads are found with `load`) and when no batch was read (no `readBatch`).
   */
  async preload(
    reads: ReadonlyArray<Extract<BatchRead, { op: 'load' | 'loadReferenced' | 'list' | 'nextSequenceIf' }>>,
  ): Promise<readonly unknown[] | null> {
    if (!this.storage.readBatch) return null;
    // Plain loads this unit of work already holds are not asked again (a batch of them is no call at
    // all); their results are then not the caller's positions, so none are returned.
    const loadsOnly = reads.every((read) => read.op === 'load');
    if (loadsOnly) reads = reads.filter((read) => read.op === 'load' && !this.known(keyOf(read.kind, read.id)));
    if (reads.length === 0) return null;
    const results = await this.storage.readBatch(reads);
    reads.forEach((read, i) => {
      if (read.op === 'list' || read.op === 'nextSequenceIf') return;
      const id = read.op === 'load' ? read.id : referencedId(reads, results, read, i);
      const key = id === null ? null : keyOf(read.kind, id);
      if (key === null || this.known(key)) return;
      this.seen.set(key, results[i] as StoredRecord | null);
    });
    return loadsOnly ? null : results;
  }

  /** Whether this unit of work has read, written or deleted the record under `key`. */
  private known(key: string): boolean {
    return this.seen.has(key) || this.writes.has(key) || this.deletes.has(key);
  }

  /** Writes a record the handler loaded (or found missing: then it is created). */
  put(kind: string, id: string, change: RecordChange): void {
    const key = keyOf(kind, id);
    if (!this.seen.has(key))
      throw new Error(`UnitOfWork.put(${kind}, ${id}) without a load: the write would be unguarded`);
    const expectedVersion = this.seen.get(key)?.version ?? 0;
    this.deletes.delete(key);
    this.writes.set(key, { kind, id, expectedVersion, ...change });
  }

  /**
   * Deletes a record with the rest of the commit (its indexes, deadline and history go too),
   * guarded by `expectedVersion`, default the version this unit of work loaded; a record it
   * loaded as missing is nothing to delete. Cancels a pending write of the same record.
   */
  delete(kind: string, id: string, expectedVersion?: number): void {
    const key = keyOf(kind, id);
    const version = expectedVersion ?? this.seen.get(key)?.version;
    if (version === undefined && !this.seen.has(key))
      throw new Error(`UnitOfWork.delete(${kind}, ${id}) without a load or a version: the delete would be unguarded`);
    this.writes.delete(key);
    if (version === undefined) return; // loaded as missing: already gone
    this.deletes.set(key, { kind, id, expectedVersion: version });
  }

  /** Creates a record that must not exist yet (the commit fails if it does). */
  create(kind: string, id: string, change: RecordChange): void {
    const key = keyOf(kind, id);
    this.seen.set(key, null);
    this.writes.set(key, { kind, id, expectedVersion: 0, ...change });
  }

  /** The version a record will have once this unit of work commits (its loaded version + 1). */
  nextVersion(kind: string, id: string): number {
    return (this.seen.get(keyOf(kind, id))?.version ?? 0) + 1;
  }

  history(entry: HistoryEntryInput): void {
    this.historyEntries.push(entry);
  }

  outbox(message: OutboxMessageInput): void {
    this.outboxMessages.push(message);
  }

  idempotency(scope: string, key: string, value: Json): void {
    this.idempotencyKeys.push({ scope, key, value });
  }

  get isEmpty(): boolean {
    return (
      this.writes.size === 0 &&
      this.historyEntries.length === 0 &&
      this.outboxMessages.length === 0 &&
      this.deletes.size === 0
    );
  }

  /** The commit, with its domain events derived from its history entries in one place (src/events). */
  toCommit(): Commit {
    return {
      writes: [...this.writes.values()],
      history: this.historyEntries,
      outbox: this.outboxMessages,
      idempotency: this.idempotencyKeys,
      events: eventsFromHistory(this.historyEntries),
      ...(this.deletes.size > 0 ? { deletes: [...this.deletes.values()] } : {}),
    };
  }
}

/** A pending write as a loaded record: its state as written, at the version it was loaded with. */
function pendingRecord(write: RecordWrite): StoredRecord {
  return {
    kind: write.kind,
    id: write.id,
    version: write.expectedVersion,
    state: write.state,
    indexes: write.indexes ?? {},
    nextDueAt: write.nextDueAt,
  };
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** How many times a command is tried when its commit loses a race. Default 8. */
  maxAttempts?: number;
}

/**
 * Runs a command handler in a fresh unit of work and commits what it collected.
 * When the commit's guard misses (another writer got there first), the handler
 * runs again on fresh reads, up to `maxAttempts`, then `VERSION_CONFLICT`. The second try follows
 * at once; before each later one it waits a random 0–2^(n-2) ms (at most 50), so writers racing
 * for one record (a burst of mail from one address, several agents on one ticket, several
 * processes) spread out instead of colliding again in step: ~110 ms at most in all.
 * A handler that throws commits nothing.
 */
export async function runCommand<T>(
  storage: Storage,
  now: () => number,
  handler: (uow: UnitOfWork) => Promise<T>,
  options: RunCommandOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const uow = new UnitOfWork(storage, now());
    const result = await handler(uow);
    if (uow.waiting) await uow.settle();
    if (uow.isEmpty) return result;
    if ((await storage.commit(uow.toCommit())) !== null) return result;
    if (attempt >= 2 && attempt < maxAttempts) await jitter(Math.min(2 ** (attempt - 1), 50));
  }
  throw commonErrors.raise('VERSION_CONFLICT', { attempts: maxAttempts });
}
