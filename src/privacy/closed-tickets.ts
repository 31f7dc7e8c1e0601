import { listAll } from '../engine/list-all.js';
import type { Json } from '../ports/json.js';
import type { PrivacyStore } from '../ports/privacy-store.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';
import { deleteDependentsOnce } from './erase-record.js';
import { ticketHandler, ticketMessageHandler } from './handlers.js';
import { pseudonymOf } from './pseudonym.js';
import { identifierRedactor, removedStrings, sameJson, textRedactor } from './redact-strings.js';

/** Keys of history data that hold what the requester wrote, when they are the entry's actor. */
const FREE_TEXT_KEYS = new Set(['body', 'text', 'description', 'message', 'comment', 'note', 'subject', 'title']);

type Context = { context?: { closedAt?: unknown; requesterId?: unknown } };

/** What one page of closed tickets gave. */
export interface ClosedTicketsPage {
  anonymised: number;
  /** The last id of a full page (the next page starts after it), or undefined to start over. */
  after: string | undefined;
  full: boolean;
}

/**
 * Anonymises, in one page of closed tickets, those closed at least `period` ago: the requester's
 * id, address, number, title and content become their pseudonym (the one erasure would give),
 * in the ticket, its history and its messages; ticket numbers, statuses, times, SLA figures and
 * the length of history stay. Messages of others keep their text, with the requester's whole
 * identifiers replaced. Each record is written at the version it was read: one changed meanwhile
 * is left for the next pass, which finds it again (a pseudonymised ticket is skipped).
 */
export async function anonymiseClosedTickets(
  storage: Storage,
  store: PrivacyStore,
  input: { now: number; period: number; pepper: string; after: string | undefined; limit: number },
): Promise<ClosedTicketsPage> {
  const page = await storage.list('ticket', {
    where: { status: 'closed' },
    limit: input.limit,
    ...(input.after !== undefined ? { after: input.after } : {}),
  });
  let anonymised = 0;
  for (const ticket of page) {
    const context = (ticket.state as Context).context ?? {};
    const closedAt = typeof context.closedAt === 'number' ? context.closedAt : null;
    const requesterId = typeof context.requesterId === 'string' ? context.requesterId : '';
    if (closedAt === null || closedAt + input.period > input.now || requesterId.startsWith('erased-user-')) continue;
    if (await anonymise(storage, store, ticket, input.pepper)) anonymised++;
  }
  const full = page.length === input.limit;
  return { anonymised, after: full ? page[page.length - 1]!.id : undefined, full };
}

async function anonymise(storage: Storage, store: PrivacyStore, ticket: StoredRecord, pepper: string) {
  const subjects = ticketHandler.subjectsOf(ticket.state, ticket.id);
  const requesterId = subjects[0] ?? '';
  // The pseudonym erasure gives the same person: keyed by the account id, or by the address.
  const key =
    requesterId.startsWith('contact:') || requesterId.startsWith('phone:') ? subjects[1]!.toLowerCase() : requesterId;
  const pseudonym = await pseudonymOf(pepper, key);
  const identifiers = [...new Set(subjects.map((value) => value.toLowerCase()))];
  const field = ticketHandler.redact(ticket.state, pseudonym);
  const redactAll = textRedactor([...removedStrings(ticket.state, field), ...identifiers], pseudonym);
  const redactIds = identifierRedactor(identifiers, pseudonym);

  // The requester's guest and survey links go first: on a pseudonymised ticket they would still open
  // it, and a reply would open a follow-up under the pseudonym. Left for the next pass when one changed.
  if (!(await deleteTicketLinks(storage, ticket))) return false;
  // History first: the pseudonymised ticket marks the work done, so it is written last.
  await redactHistory(storage, store, ticket, identifiers, pseudonym, redactAll);
  const writes = [ticketWrite(ticket, redactAll(field), redactAll(ticket.indexes as Json))];
  for await (const message of listAll(storage, 'ticket-message', { ticket: ticket.id })) {
    const byRequester = ticketMessageHandler
      .subjectsOf(message.state, message.id)
      .some((value) => identifiers.includes(value.toLowerCase()));
    const state = byRequester ? ticketMessageHandler.redact(message.state, pseudonym) : redactIds(message.state);
    if (!sameJson(state, message.state)) writes.push(ticketWrite(message, state, message.indexes as Json));
  }
  // One commit for the ticket and its messages: all of them, or none when one changed meanwhile.
  return (await storage.commit({ writes, history: [], outbox: [], idempotency: [] })) !== null;
}

/** Deletes the links that act as the ticket's requester (its handler's dependents); false when one changed meanwhile. */
async function deleteTicketLinks(storage: Storage, ticket: StoredRecord): Promise<boolean> {
  const sources = ticketHandler.dependentsOf?.(ticket.state, ticket.id) ?? [];
  for (let step = await deleteDependentsOnce(storage, sources); step !== null;) {
    if (!step.more) return true;
    step = await deleteDependentsOnce(storage, sources);
  }
  return false;
}

async function redactHistory(
  storage: Storage,
  store: PrivacyStore,
  ticket: StoredRecord,
  identifiers: readonly string[],
  pseudonym: string,
  redactAll: (value: Json) => Json,
) {
  for (const entry of await storage.history(ticket.kind, ticket.id)) {
    const actorId = (entry.actor as { id?: unknown } | null)?.id;
    const byRequester = typeof actorId === 'string' && identifiers.includes(actorId.toLowerCase());
    let data = entry.data;
    if (byRequester && data !== null && typeof data === 'object' && !Array.isArray(data)) {
      data = Object.fromEntries(
        Object.entries(data).map(([k, v]) => [k, FREE_TEXT_KEYS.has(k) && typeof v === 'string' ? pseudonym : v]),
      );
    }
    const actor = redactAll(entry.actor);
    data = redactAll(data);
    if (!sameJson([actor, data], [entry.actor, entry.data]))
      await store.redactHistory({ kind: entry.kind, id: entry.id, seq: entry.seq, actor, data });
  }
}

function ticketWrite(record: StoredRecord, state: Json, indexes: Json) {
  return {
    kind: record.kind,
    id: record.id,
    expectedVersion: record.version,
    state,
    indexes: indexes as Record<string, string>,
    nextDueAt: record.nextDueAt,
  };
}
