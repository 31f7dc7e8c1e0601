import { readOneByOne } from '../_lib/read-one-by-one.js';
import { sendingBudgetKey } from '../engine/sending-budget.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { BatchRead, BatchReadResults, Storage } from '../ports/storage.js';
import { RATE_WINDOW_KIND } from '../security/rate-limiter.js';
import { scopeHash } from './command-keys.js';
import { callerReads, maySee, resolveCaller, type ResolvedCaller } from './access.js';
import { selfRequesterId, type TicketCaller } from './caller.js';
import { OPEN_STATUSES, TICKET_KIND, TICKET_NUMBER_SEQUENCE, type StoredTicket } from './records.js';
import { isNearDuplicateSubject } from './similarity.js';

/** How many of the requester's tickets a submit reads to look for possible duplicates. */
const DUPLICATE_SCAN_LIMIT = 500;

/** What a submit reads before it steps the new ticket. */
export interface SubmitReads {
  /** The value taken from the `ticket_number` sequence (the ticket's number before the policy's offset). */
  sequence: number;
  /** The requester's tickets as stored before this submit, for {@link duplicatesAmong}. */
  requesterTickets: StoredRecord[];
  /** The ticket an earlier submit with the same idempotency key created, or null. */
  replayOf: string | null;
}

/** Who submits, and what the submit will need to read. */
export interface SubmitReadsInput {
  requesterId: string;
  /** The idempotency key's scope and key, or null without a key. */
  idempotency: { scope: string; key: string } | null;
  /** The confirmation mail's recipient, or null when none goes out. */
  mailTo: string | null;
}

/**
 * The reads of a submit: on the first attempt the ticket number, the requester's tickets, the
 * idempotency key and the confirmation's sending-budget window together, in one round trip on a
 * storage with `readBatch` (issue 16; the budget wrapper keeps the window it sees, so the commit
 * need not load it). A sequence value taken for a submit that turns out to be a replay stays
 * unused: the sequence is gap-tolerant, and numbers stay unique. On a re-run after a lost commit
 * only the idempotency key is read again (a racing submit with the same key may have won).
 */
export async function readForSubmit(
  storage: Storage,
  previous: SubmitReads | undefined,
  input: SubmitReadsInput,
): Promise<SubmitReads> {
  const { idempotency } = input;
  if (previous) {
    const again = idempotency ? await storage.getIdempotency(idempotency.scope, idempotency.key) : null;
    return { ...previous, replayOf: replayOf(again) };
  }
  return (await firstReads(storage, input, [])).reads;
}

/**
 * The idempotency scope of a requester's submits: `ticket.submit:` and a hash (hex) of the
 * requester id, never the id itself. A host may use an email address as the requester id, and
 * idempotency keys are not erased with a person (issue 17). With `secrets.pepper` the hash is an
 * HMAC keyed with it (an address cannot be found by hashing guesses); without, a SHA-256. The
 * in-repo JavaScript hashes are synchronous and run on edge runtimes. Keys stored before 0.2.0
 * under the plain id do not replay.
 */
export function submitScoper(pepper?: string | undefined): (requesterId: string) => string {
  const hash = scopeHash(pepper, 'submit-scope');
  return (requesterId) => `ticket.submit:${hash(requesterId)}`;
}

/** The scope of {@link submitScoper} for a desk without a pepper. */
export const submitScope: (requesterId: string) => string = submitScoper();

/**
 * The submitting caller, as `resolveCaller` finds it. A logged-in requester's requester id is
 * known from `auth`, so on a storage with `readBatch` their record is read in the submit's batch
 * (one round trip on PostgreSQL, issue 16) and those reads come back for the first attempt; the
 * caller is checked as before, and a refused submit (the caller, sorting, fields) leaves only an
 * unused ticket number (the sequence is gap-tolerant). The confirmation's budget window is not in
 * that batch (the address is in the record): the budget finds it in its cache or loads it.
 */
export async function callerForSubmit(
  storage: Storage,
  auth: TicketCaller | undefined,
  idempotencyKey: string | undefined,
  scopeOf: (requesterId: string) => string = submitScope,
): Promise<{ caller: ResolvedCaller; reads?: SubmitReads }> {
  const requesterId = selfRequesterId(auth);
  if (requesterId === null || !storage.readBatch) return { caller: await resolveCaller(storage, auth) };
  const loads = callerReads(auth);
  const idempotency = idempotencyKey === undefined ? null : { scope: scopeOf(requesterId), key: idempotencyKey };
  const { reads, extra } = await firstReads(storage, { requesterId, idempotency, mailTo: null }, loads);
  const preloaded = {
    load: async (kind: string, id: string) => {
      const at = loads.findIndex((read) => read.kind === kind && read.id === id);
      return at >= 0 ? (extra[at] ?? null) : storage.load(kind, id);
    },
  };
  const caller = await resolveCaller(preloaded, auth);
  const same = (caller.kind === 'account' || caller.kind === 'phone') && caller.requesterId === requesterId;
  return same ? { caller, reads } : { caller };
}

/** The first attempt's reads, with `loads` of other records in the same batch. */
async function firstReads(
  storage: Storage,
  input: SubmitReadsInput,
  loads: ReadonlyArray<{ op: 'load'; kind: string; id: string }>,
): Promise<{ reads: SubmitReads; extra: Array<StoredRecord | null> }> {
  const { idempotency } = input;
  const reads: BatchRead[] = [
    { op: 'nextSequence', name: TICKET_NUMBER_SEQUENCE },
    { op: 'list', kind: TICKET_KIND, query: { where: { requester: input.requesterId }, limit: DUPLICATE_SCAN_LIMIT } },
    ...(idempotency ? [{ op: 'getIdempotency' as const, ...idempotency }] : []),
    // Only worth a read in the same round trip: without a batch, the budget loads it when it needs it.
    ...(storage.readBatch && input.mailTo !== null
      ? [{ op: 'load' as const, kind: RATE_WINDOW_KIND, id: sendingBudgetKey('email', input.mailTo) }]
      : []),
  ];
  const results = await readAll(storage, [...reads, ...loads]);
  const [sequence, requesterTickets, key] = results;
  return {
    reads: {
      sequence: sequence as number,
      requesterTickets: requesterTickets as StoredRecord[],
      replayOf: idempotency ? replayOf(key) : null,
    },
    extra: results.slice(reads.length) as Array<StoredRecord | null>,
  };
}

const replayOf = (stored: unknown) => (stored as { ticketId?: string } | null)?.ticketId ?? null;

/**
 * The reads through `storage.readBatch` when the store has it, else one call after the other
 * (the same results, one round trip each).
 */
export function readAll<R extends readonly BatchRead[]>(storage: Storage, reads: R): Promise<BatchReadResults<R>> {
  return storage.readBatch ? storage.readBatch(reads) : readOneByOne(storage, reads);
}

/**
 * The requester's open tickets with a near-identical subject among `records`, those `caller`
 * may see only, and never `exceptId` (the ticket submitted).
 */
export function duplicatesAmong(
  records: readonly StoredRecord[],
  subject: string,
  exceptId: string,
  caller: ResolvedCaller,
) {
  // Reads the stored states directly: only status, subject, number and title are needed.
  const found: Array<{ id: string; number: number; title: string }> = [];
  for (const record of records) {
    const { value: status, context: t } = record.state as unknown as StoredTicket;
    if (t.id === exceptId || !OPEN_STATUSES.has(status) || !maySee(caller, t)) continue;
    if (isNearDuplicateSubject(t.content.subject, subject)) found.push({ id: t.id, number: t.number, title: t.title });
  }
  return found;
}
