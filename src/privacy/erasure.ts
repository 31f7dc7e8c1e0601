import { forgetSharedLeaves } from '../_lib/json.js';
import type { Json } from '../ports/json.js';
import type { RecordCursor } from '../ports/privacy-store.js';
import type { StoredRecord } from '../ports/record-store.js';
import {
  identifierRedactor,
  MIN_TEXT_LENGTH,
  namesIdentifier,
  removedStrings,
  removedWritings,
  sameJson,
  textRedactor,
} from './redact-strings.js';
import { budgetKeysOf, concerns, otherAccountKeys, PRIVACY_KINDS, textKeys } from './subject.js';
import type { WalkCursor } from './walk-cursor.js';
import { collectSources, readSource, type CollectCursor } from './collect-sources.js';
import { recordMentions } from './mention-test.js';
import { eventPage, filterable, outboxPage } from './mention-pages.js';
import { ADDRESS_LIKE, applyToRecord, deleteDependents } from './erase-record.js';
import type { ErasureJob, SkippedCursor, StepContext } from './erasure-job.js';

/** Record kind of an erasure job; its id is the subject's pseudonym. */
export const PRIVACY_JOB_KIND = 'privacy_job';

const MAX_COLLECT_PASSES = 3;

/**
 * Runs one bounded step of the job: one page of records (collect or apply), outbox or events.
 * Returns the job as it stands after the step; the caller stores it. Every change is atomic per
 * record and idempotent, so a step that is cut short is simply run again.
 */
export async function stepErasure(job: ErasureJob, ctx: StepContext): Promise<ErasureJob> {
  try {
    return await stepOnce(job, ctx);
  } finally {
    // Equal small leaves are shared through a process-wide table (src/_lib/json.ts) that may hold
    // a lower-case word of the subject's (a username): it keeps nothing the store erased.
    forgetSharedLeaves();
  }
}

async function stepOnce(job: ErasureJob, ctx: StepContext): Promise<ErasureJob> {
  const identifiers = new Set(job.identifiers);
  const cursor = job.cursor;
  if (cursor.part === 'collect') return collectStep(job, cursor, ctx);
  if (cursor.part === 'records' && job.status === 'applying' && job.walkRecords !== true) {
    const filtered = await applyMentionsStep(job, cursor.after, ctx, identifiers);
    if (filtered) return filtered;
  }
  if (cursor.part === 'skipped') return applySkippedStep(job, ctx, identifiers);
  if (cursor.part === 'records') {
    const page = await ctx.store.scanRecords(cursor.after, ctx.batchSize);
    const next = copyJob(job);
    const othersKey = otherAccountKeys(ctx.storage, job.accountId);
    for (const record of page) {
      if (PRIVACY_KINDS.has(record.kind)) continue;
      if (job.status === 'collecting') await collect(next, record, ctx, othersKey);
      else await applyToRecord(next, record, ctx, identifiers);
    }
    const last = page[page.length - 1];
    if (page.length === ctx.batchSize && last)
      return { ...next, cursor: { part: 'records', after: { kind: last.kind, id: last.id } } };
    if (job.status === 'collecting') {
      // A record found late may name the subject by another address (a recovery case's private
      // mail): collect again, so records seen earlier under that address are found too.
      const grew = next.identifiers.length > job.passStartIdentifiers;
      const restart = { part: 'records' as const, after: null };
      if (grew && job.passes < MAX_COLLECT_PASSES) {
        return { ...next, cursor: restart, passes: job.passes + 1, passStartIdentifiers: next.identifiers.length };
      }
      return { ...next, status: 'applying', cursor: restart };
    }
    return { ...next, cursor: afterRecords(next) };
  }
  // The subject's texts are cut out only where the place is theirs (a message naming them, an
  // event of their record); elsewhere only their whole identifiers go.
  const redactAll = textRedactor([...job.texts, ...job.identifiers], job.pseudonym);
  // Whether a message or event is theirs is decided by keys; a bare login is still hunted whole in the text.
  const keys = textKeys(job.identifiers, job.words);
  const redactIds = identifierRedactor(job.identifiers, job.pseudonym);
  // Another person's mail still to be sent keeps a bare login word: a pending message whose
  // payload is redacted is never sent (a reset, an activation mail), and erasing the login
  // `ticket` must not kill everyone's mail. It leaves with retention once delivered.
  const redactKeys = identifierRedactor(keys, job.pseudonym);
  if (cursor.part === 'outbox') {
    // Mail to others quotes the subject's texts (the assignee's notice of their reply, a follower's
    // status mail with their ticket's title): those are looked for too, as in events.
    const page = await outboxPage(ctx.store, cursor.after, ctx.batchSize, usable([...job.identifiers, ...job.texts]));
    const aboutTheirs = mailAboutSubject(ctx, subjectRecords(ctx, job));
    // What they wrote, long enough to be theirs, goes from any mail; shorter texts only from theirs.
    const redactWritings = textRedactor(job.writings ?? [], job.pseudonym);
    let after = cursor.after;
    let outbox = job.counts.outbox;
    for (const { position, message } of page.messages) {
      const theirs =
        namesIdentifier(message.payload, keys) ||
        (!sameJson(redactAll(message.payload), message.payload) && (await aboutTheirs(message.payload)));
      const payload = theirs
        ? redactAll(message.payload)
        : redactWritings((message.status === 'pending' ? redactKeys : redactIds)(message.payload));
      // A provider's refusal quotes the address (SMTP 550): the store sets `lastError` to the reason.
      const errorNames = typeof message.lastError === 'string' && namesIdentifier(message.lastError, keys);
      if (!sameJson(payload, message.payload) || errorNames) {
        // A claimed message is being sent right now: stop here and come back after its lease.
        if (!(await ctx.store.redactOutbox(message.id, payload, 'erased')))
          return { ...job, cursor: { part: 'outbox', after } };
        outbox++;
      }
      after = position;
    }
    const counts = { ...job.counts, outbox };
    if (page.next !== null) return { ...job, counts, cursor: { part: 'outbox', after: page.next } };
    return { ...job, counts, cursor: { part: 'events', after: 0 } };
  }
  if (cursor.part === 'events') {
    const needles = usable([...job.identifiers, ...job.texts]);
    const page = await eventPage(ctx.storage, ctx.store, cursor.after, ctx.batchSize, needles);
    let events = job.counts.events;
    const owned = subjectRecords(ctx, job);
    for (const event of page.events) {
      const theirs =
        !sameJson(redactAll([event.subject.id, event.data]), [event.subject.id, event.data]) &&
        (namesIdentifier([event.subject.id, event.data], keys) || (await owned(event.subject.kind, event.subject.id)));
      const redact = theirs ? redactAll : redactIds;
      const data = redact(event.data);
      const subjectId = redact(event.subject.id) as string;
      if (sameJson([subjectId, data], [event.subject.id, event.data])) continue;
      if (await ctx.store.redactEvent(event.seq, { subjectId, data })) events++;
    }
    const counts = { ...job.counts, events };
    if (page.next !== null) return { ...job, counts, cursor: { part: 'events', after: page.next } };
    return { ...job, counts, cursor: { part: 'done' } };
  }
  return job;
}

/**
 * `about(payload)`: true when a mail is about a record of the subject's: a ticket of theirs, named
 * by the `[#number]` every ticket template puts in the subject line (also once it was redacted).
 * Reads each ticket once per step.
 */
function mailAboutSubject(ctx: StepContext, owned: (kind: string, id: string) => Promise<boolean>) {
  // The `[#number]` of tickets/reference.ts, read here rather than imported: an import from the
  // privacy module put reference.ts in the bundler's chunk with the ticket machine, and an app
  // importing only parseTicketReference from helpdesk-core/tickets got the machine too.
  const referenceOf = (text: string): number | null => {
    const match = /\[#([1-9][0-9]{0,15})\]/.exec(text);
    const ticketNumber = match ? Number(match[1]) : NaN;
    return Number.isSafeInteger(ticketNumber) ? ticketNumber : null;
  };
  const byNumber = new Map<number, Promise<boolean>>();
  return (payload: Json): Promise<boolean> => {
    const subject = (payload as { subject?: unknown } | null)?.subject;
    const number = typeof subject === 'string' ? referenceOf(subject) : null;
    if (number === null) return Promise.resolve(false);
    if (!byNumber.has(number)) {
      const found = ctx.storage.list('ticket', { where: { number: String(number) }, limit: 1 });
      byNumber.set(
        number,
        found.then(([ticket]) => (ticket ? owned(ticket.kind, ticket.id) : false)),
      );
    }
    return byNumber.get(number)!;
  };
}

/** Needles long enough to be hunted in text ({@link MIN_TEXT_LENGTH}), each exact string once (case folds are not all equal under `/iu`). */
function usable(texts: readonly string[]): string[] {
  return [...new Set(texts.filter((text) => text.length >= MIN_TEXT_LENGTH))];
}

/**
 * What a record must mention to be changed by applying: an identifier of the subject (a record
 * of theirs names one by its handler, in its state or id; another record is changed only where it
 * holds one, in its state, indexes or history), or an address-like text a record id may hold.
 * Every identifier counts here, short ones too: a record id names the subject by whole parts.
 */
function recordNeedles(job: ErasureJob): string[] {
  return [...new Set([...job.identifiers, ...job.texts.filter((text) => ADDRESS_LIKE.test(text))])];
}

/**
 * One page of applying through the store's filter: only the records that mention the subject, so
 * the cost follows the subject, not the store. Records the store skipped as locked are kept in
 * the job and visited after the scan. Null when the store has no filter (the walk runs instead).
 */
async function applyMentionsStep(
  job: ErasureJob,
  after: RecordCursor | null,
  ctx: StepContext,
  identifiers: ReadonlySet<string>,
): Promise<ErasureJob | null> {
  const needles = recordNeedles(job);
  if (!filterable(ctx.store, needles)) return null;
  const page = await ctx.store.scanMentions(after, ctx.batchSize, needles);
  const next = copyJob(job);
  for (const record of page.records) {
    if (PRIVACY_KINDS.has(record.kind)) continue;
    await applyToRecord(next, record, ctx, identifiers);
  }
  next.skipped = [...(job.skipped ?? []), ...page.skipped.filter((skipped) => !PRIVACY_KINDS.has(skipped.kind))];
  // A page may hold fewer matches than asked and still not be the last: the store bounds each scan.
  if (page.next !== null) return { ...next, cursor: { part: 'records', after: page.next } };
  return { ...next, cursor: afterRecords(next) };
}

/** One page of the records a filtered scan skipped: loaded and applied without skipping (a write waits for the lock). */
async function applySkippedStep(job: ErasureJob, ctx: StepContext, identifiers: ReadonlySet<string>) {
  const next = copyJob(job);
  const pending = job.skipped ?? [];
  for (const { kind, id } of pending.slice(0, ctx.batchSize)) {
    const record = await ctx.storage.load(kind, id);
    if (record) await applyToRecord(next, record, ctx, identifiers);
  }
  next.skipped = pending.slice(ctx.batchSize);
  return { ...next, cursor: afterRecords(next) };
}

/** Where applying goes once the records are scanned: the skipped ones, else the outbox. */
function afterRecords(job: ErasureJob): SkippedCursor | WalkCursor {
  return (job.skipped ?? []).length > 0 ? { part: 'skipped' } : { part: 'outbox', after: 0 };
}

/**
 * One page of the indexed collect: the next unfinished source (a handler's index lookups for the
 * identifiers known so far, or a whole kind without one). Reads the subject's records, not the
 * store's; when every source is read, applying starts with one walk of the store, which also
 * finds the subject's whole identifiers in other people's records.
 */
async function collectStep(job: ErasureJob, cursor: CollectCursor, ctx: StepContext): Promise<ErasureJob> {
  const next = copyJob(job);
  // Index values keep their case; the job holds identifiers lower-cased, their stored forms among its texts.
  const known = new Set(job.identifiers);
  const asStored = [job.accountId, ...job.texts.filter((text) => known.has(text.toLowerCase())), ...job.identifiers];
  const names = [...new Set(asStored.filter((value): value is string => typeof value === 'string'))];
  const done = new Set(cursor.done);
  const source =
    collectSources(ctx.registry.values(), names).find((candidate) => candidate.key === cursor.current) ??
    collectSources(ctx.registry.values(), names).find((candidate) => !done.has(candidate.key));
  if (!source) {
    const grew = next.identifiers.length > job.passStartIdentifiers;
    if (grew && job.passes < MAX_COLLECT_PASSES) {
      // Whole kinds read before an identifier was found are read again for it.
      const restart: CollectCursor = { part: 'collect', done: [], current: null, after: null };
      return { ...next, cursor: restart, passes: job.passes + 1, passStartIdentifiers: next.identifiers.length };
    }
    return { ...next, status: 'applying', cursor: { part: 'records', after: null } };
  }
  const after = source.key === cursor.current ? cursor.after : null;
  const page = await readSource(ctx.storage, source, after, ctx.batchSize);
  const othersKey = otherAccountKeys(ctx.storage, job.accountId);
  for (const record of page) await collect(next, record, ctx, othersKey);
  const last = page[page.length - 1];
  if (page.length === ctx.batchSize && last)
    return { ...next, cursor: { part: 'collect', done: cursor.done, current: source.key, after: last.id } };
  return { ...next, cursor: { part: 'collect', done: [...cursor.done, source.key], current: null, after: null } };
}

/**
 * Takes what a record of the subject's holds into the job: the texts its redaction removes, what
 * they wrote in it, and the identifiers it names them by. An identifier or address that is
 * another account's key (`othersKey`) is not taken: the record is still erased, but it does not
 * make that account the subject's. The links acting as the subject on the record (a ticket's
 * guest and survey links, `dependentsOf`) are deleted here already: applying walks the store once,
 * and a link deleted while that walk runs would be read or not depending on where the walk stood.
 */
async function collect(
  job: ErasureJob,
  record: StoredRecord,
  ctx: StepContext,
  othersKey: (value: string) => Promise<boolean>,
) {
  const known = new Set(job.identifiers);
  const handler = ctx.registry.get(record.kind);
  if (!handler || !concerns(handler, record, known)) return;
  await deleteDependents(job, record, handler, ctx.storage);
  const theirs = async (value: string) => known.has(value.toLowerCase()) || !(await othersKey(value));
  const redacted = handler.redact(record.state, job.pseudonym);
  for (const text of removedStrings(record.state, redacted))
    if (!ADDRESS_LIKE.test(text) || (await theirs(text))) job.texts.push(text);
  job.writings = [...new Set([...(job.writings ?? []), ...removedWritings(record.state, redacted)])];
  const subjects: string[] = [];
  for (const value of handler.subjectsOf(record.state, record.id)) if (await theirs(value)) subjects.push(value);
  job.texts = [...new Set([...job.texts, ...subjects])];
  // A `+tag` address spends its mailbox's sending budget: the window is theirs too.
  const budgets = await budgetKeysOf(subjects, othersKey);
  job.identifiers = [...new Set([...job.identifiers, ...subjects.map((value) => value.toLowerCase()), ...budgets])];
  // Applying finds records through the filter; one it would miss sends the job down the walk.
  if (!recordMentions(record, recordNeedles(job))) job.walkRecords = true;
  if (job.passes === 0) job.attachments.push(...(handler.attachmentsOf?.(record.state) ?? []));
}

/**
 * `owned(kind, id)`: true when the record is the subject's by its handler, also once it was
 * redacted (it then names the pseudonym). Reads each record once per step.
 */
function subjectRecords(ctx: StepContext, job: ErasureJob) {
  const identifiers = new Set([...job.identifiers, job.pseudonym.toLowerCase()]);
  const seen = new Map<string, boolean>();
  return async (kind: string, id: string): Promise<boolean> => {
    const key = `${kind}\u0000${id}`;
    if (!seen.has(key)) {
      const record = ctx.registry.has(kind) ? await ctx.storage.load(kind, id) : null;
      seen.set(key, record !== null && concerns(ctx.registry.get(kind), record, identifiers));
    }
    return seen.get(key)!;
  };
}

/** A job to step: its lists and counts copied, so the stored job is never changed in place. */
function copyJob(job: ErasureJob): ErasureJob {
  return {
    ...job,
    identifiers: [...job.identifiers],
    ...(job.words ? { words: [...job.words] } : {}),
    texts: [...job.texts],
    ...(job.writings ? { writings: [...job.writings] } : {}),
    attachments: [...job.attachments],
    counts: { ...job.counts },
    ...(job.skipped ? { skipped: [...job.skipped] } : {}),
  };
}
