import { ACCOUNT_KIND, findAccountById } from '../accounts/store.js';
import type { AccountStatus } from '../accounts/account-machine.js';
import type { CoreDeps } from '../engine/deps.js';
import { queueMessage } from '../engine/notify.js';
import type { DueHandler } from '../engine/timers.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { BatchRead, Storage } from '../ports/storage.js';
import { callerReads } from './access.js';
import type { TicketCaller } from './caller.js';
import { parseInput } from '../engine/validate.js';
import type { Locale } from '../messages/locales.js';
import {
  follow,
  loadFollowerAccounts,
  requesterMailbox,
  unfollow,
  type FollowerAccounts,
  type FollowerDeps,
} from './followers.js';
import { GUEST_ACCESS_KIND, type GuestAccess } from './guest-access.js';
import { sendTicketNotices, type NoticeExtra, type NoticeSetup } from './notices.js';
import type { TicketOptions } from './options.js';
import type { TicketPolicy } from './policy.js';
import {
  TICKET_KIND,
  TICKET_NUMBER_SEQUENCE,
  ticketNumberOf,
  type CatchUp,
  type LoadedTicket,
  type TicketEffect,
  type TicketView,
} from './records.js';
import { followSchema, rateSchema } from './schemas.js';
import { createSurveyLinks, type SurveyWiring } from './survey.js';
import type { TicketContext, TicketEvent, TicketStatus } from './ticket-machine.js';
import type { TicketPeopleService } from './ticket-service.js';

/** What the ticket service hands the people part: how it runs a command and answers a view. */
export interface PeopleHost {
  run<T>(handler: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  answer(ticket: LoadedTicket): TicketView;
  /** Fires the deadlines that passed unswept before a command steps the ticket (`caughtUp`). */
  catchUp: CatchUp;
}

/** The people part of the ticket service: its commands, and the hooks the service calls per step. */
export interface TicketPeople {
  /** `follow`, `unfollow` and `rate`, spread into `desk.tickets`. */
  service: TicketPeopleService;
  /**
   * Loads what the step's mails need: the requester's display name (only for a step that greets)
   * and the CC'd followers' current accounts (only when there are any); call before stepping.
   */
  prepare(uow: UnitOfWork, ticket: LoadedTicket, event: TicketEvent['type']): Promise<void>;
  /** Carries out one accepted step's mails: the machine's effects, status and agent notices, the survey. */
  send(
    uow: UnitOfWork,
    event: TicketEvent,
    from: TicketStatus,
    to: TicketStatus,
    context: TicketContext,
    effects: readonly TicketEffect[],
    extra?: NoticeExtra,
  ): void;
  /** Wraps the ticket's due handler: prepares the greeting, and stores the survey tokens it issued. */
  due(handler: DueHandler): DueHandler;
}

/**
 * Builds the people part of the ticket service (issue 12): followers and CC, status notices,
 * agent notices through `options.agentAddress`, and the satisfaction survey.
 */
export function createTicketPeople(
  deps: CoreDeps,
  policy: TicketPolicy,
  options: TicketOptions & SurveyWiring,
  host: PeopleHost,
  guests: GuestAccess | null = null,
): TicketPeople {
  const survey = createSurveyLinks(deps.random, policy, options);
  const names = new WeakMap<UnitOfWork, Map<string, string>>();
  const followerAccounts = new WeakMap<UnitOfWork, FollowerAccounts>();
  const followerDeps: FollowerDeps = {
    storage: deps.storage,
    policy,
    agentAddress: options.agentAddress,
    guests,
    catchUp: host.catchUp,
  };
  const requesterName = (uow: UnitOfWork) => (context: TicketContext) =>
    names.get(uow)?.get(context.requesterId) ?? context.requesterName ?? localPart(context.requesterEmail);
  const setup = (uow: UnitOfWork): NoticeSetup => ({
    ids: deps.ids,
    locale: deps.locale,
    notices: policy.notices,
    agentAddress: options.agentAddress,
    requesterName: requesterName(uow),
    timeZone: policy.sla.calendar.timeZone,
    followerAccounts: followerAccounts.get(uow) ?? new Map(),
  });

  async function prepare(uow: UnitOfWork, ticket: LoadedTicket, event: TicketEvent['type']): Promise<void> {
    const status = ticket.snapshot.value as TicketStatus;
    // A reply to a solved ticket reopens it, and greets; so does one to a pending ticket whose
    // auto-resolve passed unswept (the command solves it first: `caughtUp`).
    const autoResolved = status === 'pending' && (ticket.snapshot.context.autoResolveAt ?? Infinity) <= uow.now;
    // A survey that a command's catch-up sends (its due time passed unswept) greets by name too.
    const surveyDue = (ticket.snapshot.context.surveyAt ?? Infinity) <= uow.now;
    const greets =
      GREETING_EVENTS.has(event) || surveyDue || (event === 'reply' && (status === 'solved' || autoResolved));
    if (greets) await loadName(uow, ticket.snapshot.context);
    // Followers are mailed at their accounts' current addresses (reads only when someone is CC'd).
    followerAccounts.set(uow, await loadFollowerAccounts(uow, ticket.snapshot.context));
  }

  async function loadName(uow: UnitOfWork, context: TicketContext): Promise<void> {
    const account = (await findAccountById(uow, context.requesterId))?.value;
    if (!account) return;
    const known = names.get(uow) ?? new Map<string, string>();
    known.set(context.requesterId, account.displayName || account.login);
    names.set(uow, known);
  }

  function sendSurvey(uow: UnitOfWork, context: TicketContext): void {
    const mailbox = requesterMailbox(context);
    if (mailbox === null) return; // a phone principal's ticket, or an erased requester: nowhere to send it
    if ((context.satisfaction ?? null) !== null) return; // rated once (then reopened and solved again): asked no more
    const { link, stored } = survey.issue(uow, context.id);
    uow.waitFor(stored); // the token's record lands in this commit (runCommand awaits it)
    queueMessage(uow, deps.ids, 'email', mailbox, 'ticket.survey', context.locale as Locale, {
      number: context.number,
      title: context.title,
      name: requesterName(uow)(context),
      link,
    });
  }

  return {
    service: {
      async follow(input) {
        const p = parseInput(followSchema, input, 'follow');
        return host.answer(await host.run((uow) => follow(uow, followerDeps, p)));
      },
      async unfollow(input) {
        const p = parseInput(followSchema, input, 'unfollow');
        const { ticket, maySee } = await host.run((uow) => unfollow(uow, followerDeps, p));
        return maySee ? host.answer(ticket) : null;
      },
      async rate(input) {
        const p = parseInput(rateSchema, input, 'rating');
        return host.answer(await host.run((uow) => survey.rate(uow, p)));
      },
    },
    prepare,
    send(uow, event, from, to, context, effects, extra = {}) {
      const actor = 'actor' in event ? event.actor : ({ role: 'system' } as const);
      sendTicketNotices(uow, setup(uow), context, effects, extra, { event: event.type, actor, from, to });
      if (effects.some((e) => e.params.template === 'ticket.survey')) sendSurvey(uow, context);
    },
    due(handler) {
      return async (uow, record) => {
        const state = record.state as unknown as { context?: TicketContext };
        const context = state.context;
        const surveyDue = (context?.surveyAt ?? null) !== null && context!.surveyAt! <= uow.now;
        // An auto-resolve due now may bring its survey due in the same run (a late sweep).
        const solvesThenAsks =
          policy.survey.enabled &&
          (context?.autoResolveAt ?? null) !== null &&
          context!.autoResolveAt! + policy.survey.delay <= uow.now;
        if (surveyDue || solvesThenAsks) await loadName(uow, context!); // only the survey mail greets by name
        return handler(uow, record);
      };
    },
  };
}

/** Steps whose mails greet the requester by name: the status notices (the survey's timer is read in `due`). */
const GREETING_EVENTS: ReadonlySet<string> = new Set(['hold', 'resume', 'solve']);

/** How many followers' accounts a command reads with its ticket; a ticket with more CC'd reads the rest in one more batch. */
const FOLLOWERS_READ_FIRST = 4;

/**
 * What a ticket command reads first, in one round trip on a store with `readBatch` (issue 16): its
 * ticket; the requester's account when the event may greet them by name (a reply greets on a
 * solved ticket, which is known only once the ticket is read, so a reply always reads it); the
 * accounts of the first followers (CC'd colleagues are mailed at their accounts' current
 * addresses; an agent follower's id names no account and reads nothing); and the caller's record
 * (`callerReads`). Reads only: `acting`, `prepare` and the rules decide as before.
 */
export function ticketCommandReads(ticketId: string, event: string, auth?: TicketCaller) {
  const reads: Array<Extract<BatchRead, { op: 'load' | 'loadReferenced' }>> = [
    { op: 'load', kind: TICKET_KIND, id: ticketId },
  ];
  if (GREETING_EVENTS.has(event) || event === 'reply')
    reads.push({ op: 'loadReferenced', kind: ACCOUNT_KIND, from: 0, path: ['context', 'requesterId'] });
  for (let i = 0; i < FOLLOWERS_READ_FIRST; i++)
    reads.push({ op: 'loadReferenced', kind: ACCOUNT_KIND, from: 0, path: ['context', 'followers', String(i), 'id'] });
  return [...reads, ...callerReads(auth)];
}

/**
 * A reply's first reads ({@link ticketCommandReads}) in one round trip. When `takeNumber`, the
 * same batch takes the next ticket number if the ticket is closed and the caller is one whose reply
 * to it opens a follow-up without further checks (a `nextSequenceIf`, {@link followUpConditions}),
 * so the follow-up needs no call of its own (issue 16). Those conditions are every check such a
 * reply then passes, so a reply that takes a number is not refused for its caller (unless a record
 * changes before a retry after a lost commit, as on the path that takes it later). A business
 * user's, a phone principal's or a colleague's reply (permissions decide) takes its number once the
 * checks passed ({@link takeTicketNumber}). Returns the ticket number taken, or null.
 */
export async function preloadReply(
  uow: UnitOfWork,
  policy: Pick<TicketPolicy, 'firstTicketNumber'>,
  ticketId: string,
  auth: TicketCaller | undefined,
  takeNumber: boolean,
  guests: GuestAccess | null,
): Promise<number | null> {
  const reads = ticketCommandReads(ticketId, 'reply', auth);
  const when = takeNumber ? await followUpConditions(reads, ticketId, auth, guests) : null;
  if (when === null) {
    await uow.preload(reads);
    return null;
  }
  const closed = { from: 0, path: ['value'], equals: 'closed' satisfies TicketStatus };
  const step = { op: 'nextSequenceIf', name: TICKET_NUMBER_SEQUENCE, when: [closed, ...when] } as const;
  const results = await uow.preload([...reads, step]);
  const value = results?.[reads.length];
  return typeof value === 'number' ? ticketNumberOf(policy, value) : null;
}

type Condition = Extract<BatchRead, { op: 'nextSequenceIf' }>['when'][number];

/**
 * What the reads of a reply to the closed ticket (read 0) must hold for the reply to pass its
 * caller's checks and open a follow-up, or null when those checks are not string equalities:
 * - a personal account: the ticket is theirs, the account active and personal;
 * - a mail sender (the host vouches for `from`): the ticket's requester address is `from` as given
 *   (`mailReplier` compares ignoring case: a differently cased address takes the later path). Not
 *   every check: `mailReplier` then also holds an account requester to his account as stored now
 *   (its current address, active, a business user with tickets.create), so such a mail refused
 *   there leaves the number it took unused (sequences may have gaps; the ticket is untouched);
 * - a guest token: the record it names opens this ticket and holds the token's HMAC (the check
 *   `GuestAccess.verify` makes in constant time; here it only decides when a number is taken).
 */
async function followUpConditions(
  reads: ReadonlyArray<Extract<BatchRead, { op: 'load' | 'loadReferenced' }>>,
  ticketId: string,
  auth: TicketCaller | undefined,
  guests: GuestAccess | null,
): Promise<Condition[] | null> {
  const loaded = (kind: string, id: string) =>
    reads.findIndex((r) => r.op === 'load' && r.kind === kind && r.id === id);
  if (auth === undefined) return null;
  if ('role' in auth) {
    if (auth.role === 'mail') return [{ from: 0, path: ['context', 'requesterEmail'], equals: auth.from }];
    const expected = auth.role === 'guest' && guests !== null ? await guests.expected(auth.token) : null;
    if (expected === null) return null;
    const record = loaded(GUEST_ACCESS_KIND, expected.selector);
    if (record < 0) return null;
    return [
      { from: record, path: ['ticketId'], equals: ticketId },
      { from: record, path: ['mac'], equals: expected.mac },
    ];
  }
  const claimed = auth.principal;
  if (claimed.type !== 'account' || claimed.organizationId !== null) return null;
  const account = loaded(ACCOUNT_KIND, claimed.accountId);
  if (account < 0) return null;
  return [
    { from: 0, path: ['context', 'requesterId'], equals: claimed.accountId },
    { from: account, path: ['status'], equals: 'active' satisfies AccountStatus },
    { from: account, path: ['kind'], equals: 'personal' },
  ];
}

/** The next ticket number, in a call of its own. */
export async function takeTicketNumber(
  storage: Pick<Storage, 'nextSequence'>,
  policy: Pick<TicketPolicy, 'firstTicketNumber'>,
): Promise<number> {
  return ticketNumberOf(policy, await storage.nextSequence(TICKET_NUMBER_SEQUENCE));
}

/** The part of an address before `@`: the greeting when the requester has no account. */
function localPart(email: string | null): string {
  return email === null ? '' : email.slice(0, Math.max(email.indexOf('@'), 0)) || email;
}
