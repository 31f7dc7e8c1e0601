import type { RecordStore, StoredRecord } from '../ports/record-store.js';
import { groupAllows, listScope, type ResolvedCaller } from './access.js';
import { tagIndexKey } from './groups.js';
export { OPEN_TICKET_STATUSES } from './groups.js';
import { TICKET_KIND, type StoredTicket } from './records.js';
import type { TicketStatus } from './ticket-machine.js';

// `desk.tickets.list`: the filters become exact-match store queries (one per asked status), the
// caller's scope is added to each, and the pages are merged in id order, so the cursor (the last
// id returned) stays stable whatever is written meanwhile.

/** The filters of a list query, as parsed. */
export interface TicketListFilters {
  requesterId?: string | undefined;
  organizationId?: string | undefined;
  status?: TicketStatus | TicketStatus[] | undefined;
  groupId?: string | undefined;
  tag?: string | undefined;
  assigneeId?: string | undefined;
  priority?: string | undefined;
}

/**
 * The store queries for a caller's filtered list (their union is the answer), or null when the
 * filters fall outside the caller's scope (an empty page).
 */
export function listQueries(caller: ResolvedCaller, f: TicketListFilters): Array<Record<string, string>> | null {
  const asked: Record<string, string> = {};
  if (f.requesterId !== undefined) asked.requester = f.requesterId;
  if (f.organizationId !== undefined) asked.organization = f.organizationId;
  if (f.groupId !== undefined) asked.group = f.groupId;
  if (f.tag !== undefined) asked[tagIndexKey(f.tag)] = '1';
  if (f.assigneeId !== undefined) asked.assignee = f.assigneeId;
  if (f.priority !== undefined) asked.priority = f.priority;
  // An agent with groups asking for another group's tickets: nothing to see (not an error).
  if (caller.kind === 'agent' && f.groupId !== undefined && !groupAllows(caller.groups, f.groupId)) return null;
  const where = listScope(caller, asked);
  if (where === null) return null;
  const statuses = f.status === undefined ? [] : [...new Set(Array.isArray(f.status) ? f.status : [f.status])];
  return statuses.length === 0 ? [where] : statuses.map((status) => ({ ...where, status }));
}

/** At most this many store rounds per page; a page cut short still carries a cursor that continues it. */
const MAX_ROUNDS = 20;

/**
 * One page of the union of `queries`, in ascending id order after `after`, keeping the records
 * `accept` lets through (an agent's groups: ungrouped tickets have no index to query by).
 * `nextCursor` is the last id examined when more may follow, else null.
 */
export async function pageOfUnion(
  store: RecordStore,
  queries: Array<Record<string, string>>,
  options: { after?: string | undefined; limit: number; accept: (record: StoredRecord) => boolean },
): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
  const { limit, accept } = options;
  const batch = limit + 1;
  const out: StoredRecord[] = [];
  let cursor = options.after;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const pages = await Promise.all(
      queries.map((where) =>
        store.list(TICKET_KIND, { where, limit: batch, ...(cursor !== undefined ? { after: cursor } : {}) }),
      ),
    );
    // Only ids up to the smallest last id of a full page are complete across every query.
    let bound: string | null = null;
    for (const page of pages) {
      const last = page.length === batch ? page[page.length - 1]!.id : null;
      if (last !== null && (bound === null || last < bound)) bound = last;
    }
    const seen = new Map<string, StoredRecord>();
    for (const page of pages)
      for (const record of page) if (bound === null || record.id <= bound) seen.set(record.id, record);
    const merged = [...seen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let i = 0; i < merged.length; i++) {
      const record = merged[i]!;
      if (!accept(record)) continue;
      out.push(record);
      if (out.length === limit) {
        const more = bound !== null || merged.slice(i + 1).some(accept);
        return { records: out, nextCursor: more ? record.id : null };
      }
    }
    if (bound === null) return { records: out, nextCursor: null };
    cursor = bound;
  }
  return { records: out, nextCursor: cursor ?? null };
}

/** Whether an agent's groups let it see a stored ticket (everything for anyone else listed by scope). */
export function acceptFor(caller: ResolvedCaller): (record: StoredRecord) => boolean {
  // A guest token lists exactly the ticket it opens (found among its requester's).
  if (caller.kind === 'guest') return (record) => record.id === caller.ticketId;
  if (caller.kind !== 'agent' || caller.groups === null) return () => true;
  const groups = caller.groups;
  return (record) => groupAllows(groups, (record.state as unknown as StoredTicket).context.groupId);
}
