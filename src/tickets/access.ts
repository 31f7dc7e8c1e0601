import { denied } from '../accounts/actor.js';
import { can, type PermissionHolder, type Permission } from '../accounts/permissions.js';
import { actorOf } from '../accounts/principal.js';
import {
  ACCOUNT_KIND,
  accountPrincipal,
  findAccountById,
  phonePrincipal,
  PHONE_PRINCIPAL_KIND,
  type PhonePrincipalRecord,
} from '../accounts/store.js';
import type { RecordReader } from '../engine/aggregate.js';
import type { Json } from '../ports/json.js';
import { ticketErrors } from './error-codes.js';
import type { TicketActor, TicketContext } from './ticket-machine.js';
import { PHONE_REQUESTER_PREFIX, type TicketCaller } from './caller.js';
import { GUEST_ACCESS_KIND, guestAccessIdOf, type GuestAccess } from './guest-access.js';

// Who may do what to a ticket. The rules live here, beside each other, so a command only asks
// "may this caller see it / reply / act as support" and never re-derives an answer.

export {
  agentCallerSchema,
  guestCallerSchema,
  mailCallerSchema,
  ticketCallerSchema,
  PHONE_REQUESTER_PREFIX,
} from './caller.js';
export type { AgentCaller, GuestCaller, MailCaller, TicketCaller } from './caller.js';

/** A caller as stored now (a revoked grant or a disabled account takes effect at once). */
export type ResolvedCaller =
  /** No `auth`: the host acting as itself (the deprecated inputs). */
  | { kind: 'host' }
  | { kind: 'agent'; id: string; groups: readonly string[] | null }
  /** A guest token: the one ticket it opens, or null for a token that opens none (it sees nothing). */
  | { kind: 'guest'; ticketId: string | null; requesterId: string }
  /** An inbound-mail sender: who it is depends on the ticket, so only `reply` resolves it further. */
  | { kind: 'mail'; from: string }
  | {
      kind: 'account' | 'phone';
      /** The ticket requester id this caller has: the account id, or `phone:<E.164>`. */
      requesterId: string;
      /** Null for a phone principal: its number is the contact. */
      email: string | null;
      locale: string | null;
      organizationId: string | null;
      principal: PermissionHolder;
      actor: Json;
    };

/**
 * The record `resolveCaller` will read for `auth` (an account, a phone principal, a guest token's
 * access record), as a read a command can batch with its ticket's (issue 16: one round trip on
 * PostgreSQL). Nothing is decided by it: `resolveCaller` checks the caller as before.
 */
export function callerReads(auth: TicketCaller | undefined): Array<{ op: 'load'; kind: string; id: string }> {
  if (auth === undefined) return [];
  if ('role' in auth) {
    const id = auth.role === 'guest' ? guestAccessIdOf(auth.token) : null;
    return id === null ? [] : [{ op: 'load', kind: GUEST_ACCESS_KIND, id }];
  }
  const claimed = auth.principal;
  return claimed.type === 'phone'
    ? [{ op: 'load', kind: PHONE_PRINCIPAL_KIND, id: claimed.phone }]
    : [{ op: 'load', kind: ACCOUNT_KIND, id: claimed.accountId }];
}

/** The host acting as itself (no `auth`). */
export const HOST_CALLER: ResolvedCaller = { kind: 'host' };

const unknownCaller = () => denied('tickets.read', { reason: 'unknown_principal' });

/**
 * The caller as stored now. An account must exist, be active and still belong to the organisation
 * it claims; a phone principal must still be registered to its organisation. PERMISSION_DENIED otherwise.
 */
export async function resolveCaller(
  reader: RecordReader,
  auth: TicketCaller | undefined,
  guests: GuestAccess | null = null,
): Promise<ResolvedCaller> {
  if (auth === undefined) return HOST_CALLER;
  if ('role' in auth && auth.role === 'guest') {
    // A wrong, unknown or unverifiable token is a caller that sees nothing: TICKET_NOT_FOUND.
    const opened = guests ? await guests.verify(reader, auth.token) : null;
    return { kind: 'guest', ticketId: opened?.ticketId ?? null, requesterId: opened?.requesterId ?? '' };
  }
  if ('role' in auth && auth.role === 'mail') return { kind: 'mail', from: auth.from };
  if ('role' in auth) return { kind: 'agent', id: auth.id, groups: auth.groups ?? null };
  const claimed = auth.principal;
  if (claimed.type === 'phone') {
    const record = await reader.load(PHONE_PRINCIPAL_KIND, claimed.phone);
    const stored = record?.state as unknown as PhonePrincipalRecord | undefined;
    if (!stored || stored.organizationId !== claimed.organizationId) throw unknownCaller();
    return {
      kind: 'phone',
      requesterId: `${PHONE_REQUESTER_PREFIX}${stored.phone}`,
      email: null,
      locale: null,
      organizationId: stored.organizationId,
      principal: phonePrincipal(stored),
      actor: actorOf(auth),
    };
  }
  const account = (await findAccountById(reader, claimed.accountId))?.value;
  if (!account || account.status !== 'active' || account.organizationId !== claimed.organizationId)
    throw unknownCaller();
  return {
    kind: 'account',
    requesterId: account.id,
    email: account.email,
    locale: account.locale,
    organizationId: account.organizationId,
    principal: accountPrincipal(account),
    actor: actorOf(auth),
  };
}

/** Whether the caller is support (an agent, or the host acting as itself). */
export const isSupport = (caller: ResolvedCaller): boolean => caller.kind === 'host' || caller.kind === 'agent';

const holds = (caller: ResolvedCaller, permission: Permission) =>
  caller.kind === 'account' || caller.kind === 'phone' ? can(caller.principal, permission) : false;

/** Whether an agent's groups let it see a ticket in `groupId`: no groups (undefined) see all; anyone sees ungrouped. */
export function groupAllows(groups: readonly string[] | null, groupId: string | null | undefined): boolean {
  return groups === null || groupId == null || groups.includes(groupId);
}

/**
 * Whether the caller may see the ticket: the host always; an agent without `groups` always, with
 * `groups` when the ticket has no group or its group is one of them; a guest token its one ticket;
 * the requester their own (a phone principal: the tickets of its number); a business user with
 * `tickets.read` the tickets of their organisation.
 */
export function maySee(
  caller: ResolvedCaller,
  ticket: Pick<TicketContext, 'id' | 'requesterId' | 'organizationId' | 'groupId'>,
): boolean {
  switch (caller.kind) {
    case 'host':
      return true;
    case 'agent':
      return groupAllows(caller.groups, ticket.groupId);
    case 'guest':
      return caller.ticketId !== null && caller.ticketId === ticket.id;
    case 'mail':
      return false; // a mail sender only replies: it reads nothing
    default:
      if (ticket.requesterId === caller.requesterId) return true;
      return seesOrganization(caller) && ticket.organizationId === caller.organizationId;
  }
}

/**
 * Whether the caller reads its organisation's tickets: a business user with `tickets.read`. A
 * phone principal never does, whatever its grant: a phone-number login gives up company-level
 * handling and reaches only the functions of its number ("ebben az esetben a cég szintű
 * ügyintézésről le kell mondanod, csak az adott hívószámhoz tartozó funkciók érhetőek el").
 */
function seesOrganization(caller: ResolvedCaller): boolean {
  return caller.kind === 'account' && caller.organizationId !== null && holds(caller, 'tickets.read');
}

/** TICKET_NOT_FOUND, exactly as for a ticket that does not exist, so its existence never leaks. */
export function ticketNotFound(ticketId: string) {
  return ticketErrors.raise('TICKET_NOT_FOUND', { ticketId }, `No ticket with id "${ticketId}".`);
}

/** TICKET_NOT_FOUND unless the caller may see the ticket. */
export function requireSee(caller: ResolvedCaller, ticket: TicketContext): void {
  if (!maySee(caller, ticket)) throw ticketNotFound(ticket.id);
}

/** PERMISSION_DENIED unless the caller is support (agent or host): `command` names what was refused. */
export function requireSupport(caller: ResolvedCaller, command: string): void {
  if (!isSupport(caller)) throw denied('agent', { command, reason: 'agents_only' });
}

/**
 * Whether the caller may reply on the requester's side: a personal account on its own ticket;
 * a business user or phone principal only with `tickets.create` ("file tickets and reply to them").
 */
export function requireRequesterReply(caller: ResolvedCaller, ticket: TicketContext): void {
  requireSee(caller, ticket); // a guest token: its own ticket is all it needs

  if (caller.kind !== 'account' && caller.kind !== 'phone') return;
  const personal = caller.kind === 'account' && caller.organizationId === null;
  if (!personal && !holds(caller, 'tickets.create')) throw denied('tickets.create', { command: 'reply' });
}

/**
 * PERMISSION_DENIED unless the caller may file a ticket: a personal account always (for itself);
 * a business user or phone principal with `tickets.create` (for its organisation); an agent on a
 * requester's behalf.
 */
export function requireSubmit(caller: ResolvedCaller): void {
  if (caller.kind === 'mail') throw mailOnlyReplies('submit');
  if (caller.kind === 'guest') throw denied('tickets.create', { command: 'submit', reason: 'guest_token' });
  if (caller.kind !== 'account' && caller.kind !== 'phone') return;
  const personal = caller.kind === 'account' && caller.organizationId === null;
  if (!personal && !holds(caller, 'tickets.create')) throw denied('tickets.create', { command: 'submit' });
}

/** PERMISSION_DENIED for a mail sender on any command but `reply`. */
export const mailOnlyReplies = (command: string) => denied('tickets.create', { command, reason: 'mail_replies_only' });

/** The ticket actor of the machine event for a caller (the host acting as itself never reaches here). */
export function ticketActorOf(caller: ResolvedCaller): TicketActor {
  if (caller.kind === 'agent') return { role: 'agent', id: caller.id };
  if (caller.kind === 'host') return { role: 'system' };
  if (caller.kind === 'mail') throw mailOnlyReplies('command');
  return { role: 'requester', id: caller.requesterId };
}

/**
 * PERMISSION_DENIED unless the caller may set a ticket's group or tags: support only (the host or
 * an agent). Requesters file into no group; support sorts.
 */
export function requireSorting(caller: ResolvedCaller, shape: { groupId?: unknown; tags?: unknown }): void {
  if (isSupport(caller) || (shape.groupId === undefined && shape.tags === undefined)) return;
  throw denied('agent', {
    command: 'submit',
    reason: 'agents_only',
    field: shape.groupId !== undefined ? 'groupId' : 'tags',
  });
}

/** The actor written to history for a caller: never a secret. */
export function historyActorOf(caller: ResolvedCaller): Json {
  if (caller.kind === 'agent') return { role: 'agent', id: caller.id };
  if (caller.kind === 'host') return { role: 'system' };
  if (caller.kind === 'guest') return { role: 'requester', id: caller.requesterId, via: 'guest_token' };
  if (caller.kind === 'mail') throw mailOnlyReplies('command');
  return caller.actor;
}

/**
 * The store filter a caller may list with: everything for support; for anyone else their own
 * tickets, or a business user's organisation's with `tickets.read`. Null when the asked filter falls outside
 * the caller's scope (the page is empty).
 */
export function listScope(caller: ResolvedCaller, asked: Record<string, string>): Record<string, string> | null {
  if (isSupport(caller) || caller.kind === 'host' || caller.kind === 'agent') return asked;
  if (caller.kind === 'mail') return null;
  // A guest token lists its one ticket (so a mailed link needs no ticket id); a token that opens none lists nothing.
  if (caller.kind === 'guest') {
    if (caller.ticketId === null || (asked['requester'] ?? caller.requesterId) !== caller.requesterId) return null;
    return { ...asked, requester: caller.requesterId };
  }
  const scope: Record<string, string> =
    seesOrganization(caller) && caller.organizationId !== null
      ? { organization: caller.organizationId }
      : { requester: caller.requesterId };
  for (const [key, value] of Object.entries(scope)) {
    if (asked[key] !== undefined && asked[key] !== value) return null;
  }
  return { ...asked, ...scope };
}

/** Who acts in a command: the caller as checked, the machine's actor, and the history's actor. */
export interface Acting {
  caller: ResolvedCaller;
  actor: TicketActor;
  history: Json;
}

/**
 * The acting caller of a command: `auth` when given (it wins, and is checked); otherwise the
 * deprecated host-vouched `actor`/`author`, which the host answers for (no check but the machine's).
 * A mail sender is PERMISSION_DENIED here: `reply` resolves it against the ticket instead.
 */
export async function acting(
  reader: RecordReader,
  auth: TicketCaller | undefined,
  legacy: TicketActor | undefined,
  guests: GuestAccess | null = null,
): Promise<Acting> {
  if (auth !== undefined) {
    const caller = await resolveCaller(reader, auth, guests);
    return { caller, actor: ticketActorOf(caller), history: historyActorOf(caller) };
  }
  const actor = legacy ?? { role: 'system' as const };
  return { caller: HOST_CALLER, actor, history: { ...actor } };
}
