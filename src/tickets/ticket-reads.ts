import type { CoreDeps } from '../engine/deps.js';
import { parseInput } from '../engine/validate.js';
import {
  HOST_CALLER,
  isSupport,
  maySee,
  requireSupport,
  resolveCaller,
  ticketNotFound,
  type ResolvedCaller,
} from './access.js';
import { ticketErrors } from './error-codes.js';
import type { TicketPolicy } from './policy.js';
import { TICKET_KIND, toView, type StoredTicket, type TicketView } from './records.js';
import { MESSAGE_KIND, messageView } from './messages.js';
import {
  listMessagesSchema,
  listTicketsSchema,
  readOptionsSchema,
  ticketIdSchema,
  ticketNumberSchema,
} from './schemas.js';
import type { TicketService } from './ticket-service.js';
import type { GuestAccess } from './guest-access.js';
import { acceptFor, listQueries, pageOfUnion } from './list-filters.js';

/**
 * The reads of `desk.tickets` (get, getByNumber, list, history), each as the caller may see it,
 * and the read the commands share (`read`).
 */
export function createTicketReads(deps: CoreDeps, policy: TicketPolicy, guests: GuestAccess | null = null) {
  const { storage, clock } = deps;
  const callerOf = (auth: Parameters<typeof resolveCaller>[1]) => resolveCaller(storage, auth, guests);
  const calendar = policy.sla.calendar;

  /** The ticket as `caller` may see it, or TICKET_NOT_FOUND (whether it does not exist or is not theirs). */
  async function read(ticketId: string, caller: ResolvedCaller = HOST_CALLER): Promise<TicketView> {
    const record = await storage.load(TICKET_KIND, ticketId);
    if (!record || !maySee(caller, (record.state as unknown as StoredTicket).context)) throw ticketNotFound(ticketId);
    return toView(record, clock.now(), calendar);
  }

  const service: Pick<TicketService, 'get' | 'getByNumber' | 'list' | 'history' | 'messages'> = {
    async messages(ticketId, options) {
      const id = parseInput(ticketIdSchema, ticketId, 'ticket id');
      const o = parseInput(listMessagesSchema, options, 'message query');
      const caller = await callerOf(o.auth);
      await read(id, caller);
      // Requester-side callers page through the public index: a note is never even read for them.
      const where: Record<string, string> = isSupport(caller) ? { ticket: id } : { publicTicket: id };
      const records = await storage.list(MESSAGE_KIND, {
        where,
        limit: o.limit + 1,
        ...(o.cursor !== undefined ? { after: o.cursor } : {}),
      });
      const page = records.slice(0, o.limit).map(messageView);
      return { messages: page, nextCursor: records.length > o.limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    async get(ticketId, options) {
      const id = parseInput(ticketIdSchema, ticketId, 'ticket id');
      const o = parseInput(readOptionsSchema, options, 'read options');
      return read(id, await callerOf(o?.auth));
    },

    async getByNumber(ticketNumber, options) {
      const n = parseInput(ticketNumberSchema, ticketNumber, 'ticket number');
      const o = parseInput(readOptionsSchema, options, 'read options');
      const caller = await callerOf(o?.auth);
      const [record] = await storage.list(TICKET_KIND, { where: { number: String(n) }, limit: 1 });
      if (!record || !maySee(caller, (record.state as unknown as StoredTicket).context))
        throw ticketErrors.raise('TICKET_NOT_FOUND', { number: n }, `No ticket with number ${n}.`);
      return toView(record, clock.now(), calendar);
    },

    async list(query = {}) {
      const q = parseInput(listTicketsSchema, query, 'ticket query');
      const caller = await callerOf(q.auth);
      const queries = listQueries(caller, q);
      if (queries === null) return { tickets: [], nextCursor: null }; // outside the caller's scope
      const page = await pageOfUnion(storage, queries, { after: q.cursor, limit: q.limit, accept: acceptFor(caller) });
      return {
        tickets: page.records.map((record) => toView(record, clock.now(), calendar)),
        nextCursor: page.nextCursor,
      };
    },

    async history(ticketId, options) {
      const id = parseInput(ticketIdSchema, ticketId, 'ticket id');
      const o = parseInput(readOptionsSchema, options, 'read options');
      const caller = await callerOf(o?.auth);
      await read(id, caller);
      requireSupport(caller, 'history'); // history holds every body and actor: support only
      return storage.history(TICKET_KIND, id);
    },
  };
  return { service, read };
}
