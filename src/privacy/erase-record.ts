import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { BatchRead, Storage } from '../ports/storage.js';
import { deleteAllAtVersion, deleteAtVersion } from './delete-record.js';
import type { DependentRecords, PersonalDataHandler } from './handlers.js';
import type { ErasureJob, StepContext } from './erasure-job.js';
import { identifierRedactor, sameJson, textRedactor } from './redact-strings.js';
import { concerns, idNamesSubject, textKeys } from './subject.js';

/** Keys of history data that hold free text when the subject is the entry's actor. */
const FREE_TEXT_KEYS = new Set([
  'body',
  'text',
  'description',
  'message',
  'comment',
  'note',
  'subject',
  'title',
  'name',
]);

/** Conflicts on one record (a command writing it meanwhile) are retried this often within a step. */
const RECORD_RETRIES = 5;

/** Texts that look like an address or a number: a record id may hold them (a rate window of a private mail). */
export const ADDRESS_LIKE = /^(?:[^\s@]+@[^\s@]+|\+?\d{6,15})$/u;

/**
 * Applies the erasure to one record: deleted, or its state, indexes and history redacted, at its
 * version; a record changed meanwhile is loaded again and retried. Counts what it did in `job`.
 */
export async function applyToRecord(
  job: ErasureJob,
  first: StoredRecord,
  ctx: StepContext,
  identifiers: ReadonlySet<string>,
) {
  // The subject's own records lose their texts anywhere in them; other records only whole identifiers.
  const redactAll = textRedactor([...job.texts, ...job.identifiers], job.pseudonym);
  const keys = textKeys(job.identifiers, job.words);
  const redactIds = identifierRedactor(job.identifiers, job.pseudonym);
  // A record that exists only for someone else (their account, session) is their identity, not
  // text about anyone: a bare login there is theirs (the business user `bob@acme`'s username `bob`).
  const redactOthersOwn = identifierRedactor(keys, job.pseudonym);
  const named = new Set([
    ...keys,
    ...job.texts.filter((text) => ADDRESS_LIKE.test(text)).map((text) => text.toLowerCase()),
  ]);
  const words = new Set(job.words ?? []);
  // Links acting as the subject on their record (a ticket's guest and survey links): collect
  // deleted those of the records it found; these are a record's filed since. They go before the
  // record is redacted: a step cut short after that would not find the record, nor them, again.
  const firstHandler = ctx.registry.get(first.kind);
  if (concerns(firstHandler, first, identifiers)) await deleteDependents(job, first, firstHandler, ctx.storage);
  let record: StoredRecord | null = first;
  for (let attempt = 0; record && attempt < RECORD_RETRIES; attempt++) {
    const handler = ctx.registry.get(record.kind);
    const concerned = concerns(handler, record, identifiers);
    const redact = concerned ? redactAll : handler?.onErase === 'delete' ? redactOthersOwn : redactIds;
    if (
      (concerned && handler?.onErase === 'delete') ||
      (!concerned && idNamesSubject(record.id, named, record.kind, words))
    ) {
      if (await deleteAtVersion(ctx.storage, record)) return void job.counts.deleted++;
    } else {
      await redactHistory(job, record, ctx, new Set(keys), redact);
      const state = redact(concerned ? handler!.redact(record.state, job.pseudonym) : record.state);
      const indexes = redact(record.indexes as Json) as Record<string, string>;
      if (sameJson(state, record.state) && sameJson(indexes, record.indexes)) return;
      const write = {
        kind: record.kind,
        id: record.id,
        expectedVersion: record.version,
        state,
        indexes,
        nextDueAt: record.nextDueAt,
      };
      if (await ctx.storage.commit({ writes: [write], history: [], outbox: [], idempotency: [] }))
        return void job.counts.redacted++;
    }
    record = await ctx.storage.load(first.kind, first.id);
  }
  if (record) throw new Error(`Erasure could not update ${first.kind} ${first.id}: it kept changing; the job retries.`);
}

/** Dependents are read this many per lookup at a time (a ticket has one guest link, a survey link per solve). */
const DEPENDENTS_PAGE = 100;

/**
 * Deletes the records that exist only for `record` (its handler's `dependentsOf`), counted in the
 * job; a dependent changed meanwhile (a survey link used) is read again and retried.
 */
export async function deleteDependents(
  job: ErasureJob,
  record: StoredRecord,
  handler: PersonalDataHandler | undefined,
  storage: Storage,
) {
  const sources = handler?.dependentsOf?.(record.state, record.id) ?? [];
  if (sources.length === 0) return;
  for (let attempt = 0; attempt < RECORD_RETRIES;) {
    const step = await deleteDependentsOnce(storage, sources);
    if (step === null) attempt++;
    else {
      job.counts.deleted += step.deleted;
      if (!step.more) return;
    }
  }
  throw new Error(
    `Erasure could not delete the links of ${record.kind} ${record.id}: they kept changing; the job retries.`,
  );
}

/**
 * One try: every source's first page in one read (one round trip on a store with `readBatch`),
 * then one commit deleting what it found, guarded by the versions read. Null when one changed
 * meanwhile; otherwise how many went, and whether a full page says more may be left.
 */
export async function deleteDependentsOnce(
  storage: Storage,
  sources: readonly DependentRecords[],
): Promise<{ deleted: number; more: boolean } | null> {
  const pages = await readDependents(storage, sources);
  const found = pages.flat();
  if (found.length === 0) return { deleted: 0, more: false };
  if (!(await deleteAllAtVersion(storage, found))) return null;
  return { deleted: found.length, more: pages.some((page) => page.length >= DEPENDENTS_PAGE) };
}

/** The first page of each source, in one batch where the store has `readBatch`. */
async function readDependents(storage: Storage, sources: readonly DependentRecords[]): Promise<StoredRecord[][]> {
  type Read = Extract<BatchRead, { op: 'load' | 'list' }>;
  const reads: Read[] = sources.map(({ kind, lookup }) =>
    'id' in lookup
      ? { op: 'load', kind, id: lookup.id }
      : { op: 'list', kind, query: { where: lookup.where, limit: DEPENDENTS_PAGE } },
  );
  const results: Array<StoredRecord | StoredRecord[] | null> = storage.readBatch
    ? await storage.readBatch(reads)
    : await Promise.all(
        reads.map((read) =>
          read.op === 'load' ? storage.load(read.kind, read.id) : storage.list(read.kind, read.query),
        ),
      );
  return results.map((result) => (Array.isArray(result) ? result : result ? [result] : []));
}

async function redactHistory(
  job: ErasureJob,
  record: StoredRecord,
  ctx: StepContext,
  /** The subject's keys: an entry whose actor id is one is theirs (a bare login may be an agent's id). */
  keys: ReadonlySet<string>,
  redact: (value: Json) => Json,
) {
  const entries = await ctx.storage.history(record.kind, record.id);
  for (const entry of entries) {
    const actorId = (entry.actor as { id?: unknown } | null)?.id;
    const bySubject = typeof actorId === 'string' && keys.has(actorId.toLowerCase());
    let data = entry.data;
    if (bySubject && data !== null && typeof data === 'object' && !Array.isArray(data)) {
      data = Object.fromEntries(
        Object.entries(data).map(([key, value]) => [
          key,
          FREE_TEXT_KEYS.has(key) && typeof value === 'string' ? job.pseudonym : value,
        ]),
      );
    }
    const actor = redact(entry.actor);
    data = redact(data);
    if (sameJson(actor, entry.actor) && sameJson(data, entry.data)) continue;
    if (await ctx.store.redactHistory({ kind: entry.kind, id: entry.id, seq: entry.seq, actor, data }))
      job.counts.history++;
  }
}
