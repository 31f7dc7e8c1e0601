import type { z } from 'zod';
import { denied } from '../accounts/actor.js';
import { accountErrors } from '../accounts/error-codes.js';
import { can } from '../accounts/permissions.js';
import {
  ACCOUNT_KIND,
  accountPrincipal,
  findAccountById,
  accountsByEmailRead,
  accountsOf,
  findAccountsByEmail,
  type AccountRecord,
} from '../accounts/store.js';
import type { RecordReader } from '../engine/aggregate.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { commonErrors, isHelpdeskError } from '../errors.js';
import type { Locale } from '../messages/locales.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';
import {
  acting,
  callerReads,
  isSupport,
  maySee,
  requireRequesterReply,
  requireSee,
  ticketNotFound,
  type Acting,
  type ResolvedCaller,
} from './access.js';
import type { GuestAccess } from './guest-access.js';
import type { TicketOptions } from './options.js';
import { MAX_FOLLOWERS, type TicketFollower } from './people.js';
import { TICKET_KIND, ticketAggregate, type CatchUp, type LoadedTicket } from './records.js';
import type { followSchema } from './schemas.js';
import type { TicketContext, TicketTimingPolicy } from './ticket-machine.js';

// Followers and CC (issue 12): who may add whom, and who a public reply or status notice reaches.

/** A recipient of a ticket mail: the address, the name to greet and the locale to write in. */
export interface NoticeRecipient {
  email: string;
  /** A CC'd colleague's name; null for the requester (greeted by his own) and an agent (who has none known). */
  name: string | null;
  /** A following agent: mailed in the desk's locale (agents' mails are), greeted as a colleague. */
  agent: boolean;
  /** A CC'd colleague's account locale, as stored now; null: the ticket's (the requester's). */
  locale: Locale | null;
}

/** The followers of a ticket (none on a ticket stored before followers existed). */
export const followersOf = (context: TicketContext): readonly TicketFollower[] => context.followers ?? [];

const greetingOf = (account: AccountRecord) => account.displayName || account.login;

/**
 * The account of each CC'd follower as stored now (null: gone), loaded before a step so its mails
 * go to current addresses only. A follower missing from it gets no mail.
 */
export type FollowerAccounts = ReadonlyMap<string, AccountRecord | null>;

/**
 * Loads the current account of every CC'd follower of the ticket (no read when there are none; in
 * one round trip on a store with `readBatch` when `reader` is a unit of work: what it has not read yet).
 */
export async function loadFollowerAccounts(reader: RecordReader, context: TicketContext): Promise<FollowerAccounts> {
  const ids = followersOf(context)
    .filter((f) => f.kind === 'cc')
    .map((f) => f.id);
  if (ids.length > 1 && 'preload' in reader)
    await (reader as UnitOfWork).preload(ids.map((id) => ({ op: 'load', kind: ACCOUNT_KIND, id }) as const));
  const found = await Promise.all(
    ids.map(async (id) => [id, (await findAccountById(reader, id))?.value ?? null] as const),
  );
  return new Map(found);
}

/**
 * Where the requester's mail goes: the ticket's requester address, or null for none (a phone
 * principal's ticket) and for an erased requester, whose address is a pseudonym
 * (`erased-user-…`, no @): an erased person gets no more mail, whatever deadline falls due.
 */
export function requesterMailbox(context: Pick<TicketContext, 'requesterEmail'>): string | null {
  const address = context.requesterEmail;
  return address !== null && address.includes('@') ? address : null;
}

/**
 * The requester and every follower, each address once (compared case-insensitively), leaving
 * out `excluded` addresses and the agent follower `excludedAgentId` (the author of the change).
 * A CC'd follower is mailed at the address of his account as stored now (`accounts`), in its locale
 * and by its name, and only while it is active and still in the ticket's organisation: the stored
 * address may be stale.
 */
export function recipientsOf(
  context: TicketContext,
  excluded: ReadonlyArray<string | null>,
  excludedAgentId: string | null,
  accounts: FollowerAccounts,
): NoticeRecipient[] {
  const seen = new Set(excluded.filter((e): e is string => e !== null).map((e) => e.toLowerCase()));
  const out: NoticeRecipient[] = [];
  const add = (to: NoticeRecipient) => {
    const key = to.email.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    out.push(to);
  };
  const requester = requesterMailbox(context);
  if (requester !== null) add({ email: requester, name: null, agent: false, locale: null });
  for (const follower of followersOf(context)) {
    if (follower.kind === 'agent') {
      // An agent's stored `name` is his id (the host vouches for no more): no name to greet him by.
      if (follower.id !== excludedAgentId) add({ email: follower.email, name: null, agent: true, locale: null });
      continue;
    }
    // The requester following his own ticket is mailed once, as the requester, above.
    if (follower.id === context.requesterId) continue;
    const account = accounts.get(follower.id) ?? null;
    if (account === null || account.status !== 'active' || account.organizationId !== context.organizationId) continue;
    // An erased account's address is a pseudonym (`erased-user-…`, no @): it gets no more mail.
    if (!account.email.includes('@')) continue;
    add({ email: account.email, name: greetingOf(account), agent: false, locale: account.locale });
  }
  return out;
}

/** Whether the caller is an account CC'd on the ticket. */
export function isCcd(caller: ResolvedCaller, context: TicketContext): boolean {
  return caller.kind === 'account' && followersOf(context).some((f) => f.kind === 'cc' && f.id === caller.requesterId);
}

/**
 * May the caller reply on the requester's side? As `requireRequesterReply` says; being CC'd (or
 * following) grants nothing more, except that a CC'd colleague need not hold `tickets.read`: he
 * must, as resolved now, be an active account of the ticket's organisation holding `tickets.create`.
 */
export function requireRequesterSideReply(caller: ResolvedCaller, context: TicketContext): void {
  if (caller.kind !== 'account' || !isCcd(caller, context) || caller.requesterId === context.requesterId)
    return requireRequesterReply(caller, context);
  // No longer of the ticket's organisation: the CC counts for nothing, he is anyone else.
  if (caller.organizationId === null || caller.organizationId !== context.organizationId)
    return requireRequesterReply(caller, context);
  if (!can(caller.principal, 'tickets.create'))
    throw denied('tickets.create', { command: 'reply', reason: 'follower_without_create' });
}

/**
 * Who a reply by mail from `from` is (issue 12): the requester when it is the ticket's requester
 * address; else the CC'd colleague whose account, as stored now, has that address and passes the
 * reply rule above (active, of the ticket's organisation, holding `tickets.create`). Addresses
 * compare case-insensitively. Anyone else: TICKET_NOT_FOUND, so the mail learns nothing.
 */
export async function mailReplier(reader: RecordReader, from: string, context: TicketContext): Promise<Acting> {
  const caller: ResolvedCaller = { kind: 'mail', from };
  const address = from.toLowerCase();
  // An account requester is known by the address his account has now, and may reply as on the web
  // (`requireRequesterReply`): active, and a business user only with tickets.create. A requester
  // without an account is known by the address the ticket keeps. (The reply's first batch read the
  // account: `ticketCommandReads`.)
  const requester = (await findAccountById(reader, context.requesterId))?.value ?? null;
  const requesterAddress = requester === null ? context.requesterEmail : requester.email;
  if (requesterAddress !== null && requesterAddress.toLowerCase() === address) {
    if (requester !== null && !mayReplyAsRequester(requester)) throw ticketNotFound(context.id);
    const history = { role: 'requester', id: context.requesterId, via: 'mail' };
    return { caller, actor: { role: 'requester', id: context.requesterId }, history };
  }
  for (const [id, account] of await loadFollowerAccounts(reader, context)) {
    if (account === null || account.email.toLowerCase() !== address) continue;
    if (account.status !== 'active' || account.organizationId !== context.organizationId) continue;
    if (!can(accountPrincipal(account), 'tickets.create')) continue;
    const history = { role: 'account', id, login: account.login, via: 'mail' };
    return { caller, actor: { role: 'requester', id }, history };
  }
  throw ticketNotFound(context.id);
}

/** Whether an account, as stored now, may reply to its own ticket: active; a business user holding tickets.create. */
const mayReplyAsRequester = (account: AccountRecord): boolean =>
  account.status === 'active' && (account.organizationId === null || can(accountPrincipal(account), 'tickets.create'));

/**
 * PERMISSION_DENIED unless the caller may CC someone else: support; a personal account on its own
 * ticket; a business user holding `tickets.create` on its own ticket or one of its organisation's
 * it sees. Being the requester grants a business user nothing more (an agent may have filed it).
 */
function requireMayCc(caller: ResolvedCaller, context: TicketContext, email: string): void {
  if (isSupport(caller)) return;
  if (caller.kind !== 'account') throw notColleague(email);
  const own = caller.requesterId === context.requesterId;
  if (own && caller.organizationId === null) return;
  const colleague = caller.organizationId !== null && caller.organizationId === context.organizationId;
  if (!(own || colleague) || !can(caller.principal, 'tickets.create'))
    throw denied('tickets.create', { command: 'follow', reason: 'cc_needs_create' });
}

/**
 * PERMISSION_DENIED unless an account may follow or manage the followers of a ticket it sees: a
 * personal account; a business user holding `tickets.read` or `tickets.create`. A business user
 * without a ticket permission may not, even on a ticket he requested.
 */
function requireMayFollow(caller: ResolvedCaller, command: 'follow' | 'unfollow'): void {
  if (caller.kind !== 'account') return;
  if (caller.organizationId === null) return;
  if (can(caller.principal, 'tickets.read') || can(caller.principal, 'tickets.create')) return;
  throw denied('tickets.read', { command, reason: 'follow_needs_ticket_permission' });
}

const notColleague = (email: string) =>
  accountErrors.raise(
    'PERMISSION_DENIED',
    { command: 'follow', reason: 'not_a_colleague', email },
    'Only a colleague of the ticket’s organisation (an active account of it) can be CC’d.',
  );

/** What the follower commands need from the service. */
export interface FollowerDeps {
  storage: Storage;
  policy: TicketTimingPolicy;
  agentAddress: TicketOptions['agentAddress'];
  /** Resolves a guest token, so a guest is refused with PERMISSION_DENIED rather than not found. */
  guests: GuestAccess | null;
  /** Fires the deadlines that passed unswept first, as the sweep would have (a close refuses a follow). */
  catchUp: CatchUp;
}

/** The colleague of the ticket's organisation with that address: PERMISSION_DENIED when there is none. */
async function colleague(
  storage: Storage,
  context: TicketContext,
  email: string,
  /** The accounts with that address when the command's batch read them. */
  listed: AccountRecord[] | undefined,
): Promise<TicketFollower> {
  if (context.organizationId === null) throw notColleague(email);
  const match = (listed ?? (await findAccountsByEmail(storage, email))).find(
    (a) => a.status === 'active' && a.organizationId === context.organizationId,
  );
  if (!match) throw notColleague(email);
  return { kind: 'cc', id: match.id, email: match.email, name: greetingOf(match) };
}

/** An agent following himself: his address comes from the host's `agentAddress`. */
function agentFollower(deps: FollowerDeps, agentId: string): TicketFollower {
  const email = deps.agentAddress?.({ agentId }) ?? null;
  if (email === null)
    throw commonErrors.raise(
      'INVALID_INPUT',
      { field: 'auth', reason: 'no_agent_address', agentId },
      'This agent has no mail address: pass tickets.agentAddress to createHelpdesk.',
    );
  return { kind: 'agent', id: agentId, email, name: agentId };
}

/**
 * The follower a `follow` adds: an agent himself (or a colleague he names); an account that may
 * see the ticket himself (mail only: it gives no reply right); a colleague of the ticket's
 * organisation named by whoever `requireMayCc` lets. A phone principal or guest: PERMISSION_DENIED.
 */
async function followerFor(
  uow: UnitOfWork,
  deps: FollowerDeps,
  caller: ResolvedCaller,
  context: TicketContext,
  email: string | undefined,
  listed: AccountRecord[] | undefined,
): Promise<TicketFollower> {
  if (email !== undefined) {
    requireMayCc(caller, context, email);
    return colleague(deps.storage, context, email, listed);
  }
  if (caller.kind === 'agent') return agentFollower(deps, caller.id);
  if (caller.kind !== 'account') throw notColleague('');
  requireMayFollow(caller, 'follow');
  const self = (await findAccountById(uow, caller.requesterId))?.value;
  if (!self) throw notColleague('');
  return { kind: 'cc', id: self.id, email: self.email, name: greetingOf(self) };
}

type FollowInput = z.output<typeof followSchema>;

/**
 * The caller and the ticket, read in one batch (the ticket, the caller's record and, for a follow
 * that CCs an address, the accounts with that address: `listed`, when the batch read them).
 */
async function ticketAndCaller(uow: UnitOfWork, deps: FollowerDeps, p: FollowInput, ccByEmail = false) {
  const byEmail = !ccByEmail || p.email === undefined ? null : accountsByEmailRead(p.email);
  const reads = [{ op: 'load', kind: TICKET_KIND, id: p.ticketId } as const, ...callerReads(p.auth)];
  const results = await uow.preload(byEmail ? [...reads, byEmail] : reads);
  const listed = byEmail && results ? accountsOf(results[reads.length] as StoredRecord[]) : undefined;
  const who = await acting(uow, p.auth, undefined, deps.guests);
  return { who, ticket: await deps.catchUp(uow, await ticketAggregate.load(uow, p.ticketId)), listed };
}

/** `desk.tickets.follow`: adds a follower (one entry per address; at most {@link MAX_FOLLOWERS}). */
export async function follow(uow: UnitOfWork, deps: FollowerDeps, p: FollowInput): Promise<LoadedTicket> {
  const { who, ticket, listed } = await ticketAndCaller(uow, deps, p, true);
  const context = ticket.snapshot.context;
  requireSee(who.caller, context);
  const follower = await followerFor(uow, deps, who.caller, context, p.email, listed);
  const others = followersOf(context).filter((f) => f.email.toLowerCase() !== follower.email.toLowerCase());
  if (others.length >= MAX_FOLLOWERS)
    throw commonErrors.raise(
      'INVALID_INPUT',
      { reason: 'too_many_followers', max: MAX_FOLLOWERS },
      'Too many followers.',
    );
  return ticketAggregate.apply(
    uow,
    ticket,
    { type: 'follow', at: uow.now, actor: who.actor, follower, policy: deps.policy },
    { history: { type: 'ticket.follow', actor: who.history, data: { kind: follower.kind, id: follower.id } } },
  ).next;
}

/**
 * `desk.tickets.unfollow`: a follower removes himself; support removes anyone; a requester-side
 * caller who may see the ticket removes a CC'd colleague (never an agent).
 */
export async function unfollow(
  uow: UnitOfWork,
  deps: FollowerDeps,
  p: FollowInput,
): Promise<{ ticket: LoadedTicket; maySee: boolean }> {
  const { who, ticket } = await ticketAndCaller(uow, deps, p);
  const context = ticket.snapshot.context;
  // A CC'd colleague may leave even when he could not see the ticket otherwise (then he is
  // answered no view: `maySee` false).
  const mayShow = maySee(who.caller, context);
  if (!mayShow && !isCcd(who.caller, context)) requireSee(who.caller, context);
  const caller = who.caller;
  const selfId = caller.kind === 'agent' ? caller.id : caller.kind === 'account' ? caller.requesterId : null;
  const wanted = p.email?.toLowerCase();
  const target = followersOf(context).find((f) =>
    wanted !== undefined ? f.email.toLowerCase() === wanted : f.id === selfId,
  );
  // Such a colleague may only leave himself: removing anyone else takes seeing the ticket.
  if (!mayShow && (target === undefined || target.id !== selfId)) requireSee(caller, context);
  if (target && target.id !== selfId && !isSupport(caller) && target.kind !== 'cc')
    throw accountErrors.raise('PERMISSION_DENIED', { command: 'unfollow', reason: 'agents_only' });
  // Anyone may leave himself; removing a CC'd colleague takes a right to follow the ticket.
  if (caller.kind === 'account' && (target === undefined || target.id !== selfId)) requireMayFollow(caller, 'unfollow');
  const email = target?.email ?? p.email ?? '';
  const step = () =>
    ticketAggregate.apply(
      uow,
      ticket,
      { type: 'unfollow', at: uow.now, actor: who.actor, email, policy: deps.policy },
      {
        // Unfollowing someone who does not follow changes nothing: its own history type, no event.
        history: target
          ? { type: 'ticket.unfollow', actor: who.history, data: { kind: target.kind, id: target.id } }
          : { type: 'ticket.unfollow_ignored', actor: who.history, data: {} },
      },
    ).next;
  if (mayShow) return { ticket: step(), maySee: true };
  try {
    return { ticket: step(), maySee: false };
  } catch (error) {
    // The refusal names the ticket and its status (closed): one who may not see it learns nothing.
    if (isHelpdeskError(error)) requireSee(caller, context);
    throw error;
  }
}
