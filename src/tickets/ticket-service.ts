import type { HistoryEntry } from '../ports/history-store.js';
import type { CompletenessReport } from './content.js';
import type { ChannelAdvice } from './priorities.js';
import type { TicketView } from './records.js';
import type { MessagePage } from './messages.js';
import type {
  AddNoteInput,
  AssignInput,
  ListMessagesInput,
  ListTicketsInput,
  MergeInput,
  ReadOptions,
  ReplyInput,
  SetPriorityInput,
  SubmitTicketInput,
  TicketCommandInput,
  UpdateTicketInput,
} from './schemas.js';
import type { FollowInput, RateInput } from './schemas.js';

/** The answer of {@link TicketService.submit}. */
export interface SubmitResult {
  ticket: TicketView;
  /** False when an earlier submit with the same idempotency key already made this ticket. */
  created: boolean;
  /** Recommended fields the requester left out (Dutch source checklist). */
  completeness: CompletenessReport;
  /** Open tickets of the same requester with a near-identical subject. */
  possibleDuplicates: Array<{ id: string; number: number; title: string }>;
  /** Urgent and critical requests are advised to call instead. */
  channelAdvice: ChannelAdvice;
  /**
   * A guest's access token (`gst_…`) for this ticket, returned once: the host files for a
   * requester without an account. Pass `auth: { role: 'guest', token }` to get, page through and
   * reply on this ticket only. Null otherwise, on a repeated submit, or without `secrets.pepper`.
   */
  guestToken: string | null;
}

/** A page of {@link TicketService.list}. */
export interface TicketPage {
  tickets: TicketView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * `desk.tickets`: the ticket lifecycle. Every command and read takes the caller as `auth` (see
 * `access.ts` and docs/tickets.md for the rules): a ticket the caller may not see answers
 * TICKET_NOT_FOUND, a command it may not give PERMISSION_DENIED, and neither changes anything. Every command parses its input (INVALID_INPUT), loads
 * the ticket (TICKET_NOT_FOUND), steps the machine (TRANSITION_NOT_ALLOWED naming the status and
 * the command when the rules refuse it) and commits the new state, one history entry, the mails
 * the step asked for and the next deadline atomically. A refused command changes nothing.
 */
export interface TicketService {
  /**
   * Files a ticket: validates the content, numbers it from the store's sequence, and queues the
   * confirmation mail with the number, all in one commit. With an `idempotencyKey`, a repeated
   * submit returns the first ticket (`created: false`).
   */
  submit(input: SubmitTicketInput): Promise<SubmitResult>;
  /**
   * A reply on the ticket. An agent reply with `askForInfo` moves it to pending and (re)starts the
   * 72 h; a requester reply moves pending back to open and reopens a solved ticket. A requester
   * reply to a closed ticket creates a follow-up ticket linked to it, which is returned.
   */
  reply(input: ReplyInput): Promise<TicketView>;
  /**
   * An internal note on the ticket: agents only (PERMISSION_DENIED for anyone else). It is a
   * message of the conversation that requesters never see and nobody is mailed; it changes no
   * status, no 72 h clock and no SLA clock.
   */
  addNote(input: AddNoteInput): Promise<TicketView>;
  /**
   * The ticket's conversation, oldest first, `limit` (default 50) per page with a cursor: the
   * description, public replies and, for support only, internal notes. A requester-side caller
   * never gets an internal note. TICKET_NOT_FOUND for a ticket the caller may not see.
   */
  messages(ticketId: string, options?: ListMessagesInput): Promise<MessagePage>;
  /** Assigns the ticket to an agent (or unassigns with null). Assigning a new ticket opens it. */
  assign(input: AssignInput): Promise<TicketView>;
  /** Puts the ticket on hold: support met unexpected behaviour and works on a fix. Agents only. */
  hold(input: TicketCommandInput): Promise<TicketView>;
  /** Takes the ticket off hold, back to open. Agents only. */
  resume(input: TicketCommandInput): Promise<TicketView>;
  /** Marks the ticket solved; it closes after `closeSolvedAfter` without activity. Agents only. */
  solve(input: TicketCommandInput): Promise<TicketView>;
  /** Changes the priority (and re-targets the running SLA clocks). Agents only. */
  setPriority(input: SetPriorityInput): Promise<TicketView>;
  /**
   * Merges `sourceId` into `targetId`: the source is closed with `mergedInto`, and history is
   * written on both. Refused (MERGE_NOT_ALLOWED) for a self-merge, a closed or merged target, or
   * a cycle.
   */
  merge(input: MergeInput): Promise<{ source: TicketView; target: TicketView }>;
  /**
   * The ticket, or TICKET_NOT_FOUND (also for a ticket `options.auth` may not see). Without
   * `auth` the host reads as itself (deprecated: pass the caller).
   */
  get(ticketId: string, options?: ReadOptions): Promise<TicketView>;
  /** The ticket with that number (as in `[#12345]`), or TICKET_NOT_FOUND; `options.auth` as for `get`. */
  getByNumber(ticketNumber: number, options?: ReadOptions): Promise<TicketView>;
  /**
   * Tickets by requester, organisation and/or status, oldest first, with cursor paging. With
   * `auth`, a requester-side caller lists only what it may see (its own, or a business user's
   * organisation's with `tickets.read`; a phone principal its number's); a filter outside that
   * answers an empty page.
   */
  list(query?: ListTicketsInput): Promise<TicketPage>;
  /** The ticket's history: who, when, what, and from which status to which. Support only (PERMISSION_DENIED). */
  history(ticketId: string, options?: ReadOptions): Promise<HistoryEntry[]>;
  // ── tickets: people ──
  /**
   * Adds a follower, told of public replies and status changes. An agent follows himself (his
   * address from `tickets.agentAddress`; INVALID_INPUT without one). The requester, or a business
   * user with `tickets.read` of the ticket's organisation, follows himself or CCs `email`, which
   * must be an active account of that organisation (PERMISSION_DENIED otherwise). Each address
   * once; at most 50. TRANSITION_NOT_ALLOWED on a closed ticket.
   */
  follow(input: FollowInput): Promise<TicketView>;
  /**
   * Removes a follower: himself (no `email`), or `email`. A follower may always remove himself,
   * support anyone, a requester-side caller a CC'd colleague (never an agent: PERMISSION_DENIED).
   * Answers the ticket's view, or null to a CC'd colleague who leaves a ticket he may not see
   * otherwise (no `tickets.read`): leaving shows him nothing `get` would not.
   */
  unfollow(input: FollowInput): Promise<TicketView | null>;
  /**
   * Records the requester's rating from the survey link's token, once (view `satisfaction`, and
   * history). TOKEN_INVALID for an unknown token, TOKEN_EXPIRED after 30 days, TOKEN_USED once rated.
   */
  rate(input: RateInput): Promise<TicketView>;
  /**
   * Sorts the ticket or changes the host's fields: `groupId` (null: none), `tags` (the whole set),
   * `fields` (merged into the stored ones, then validated by `TicketOptions.fields`). Agents only
   * (PERMISSION_DENIED); refused on a closed ticket (TRANSITION_NOT_ALLOWED). One history entry
   * `ticket.update` names what changed.
   */
  update(input: UpdateTicketInput): Promise<TicketView>;
}

/** The commands of {@link TicketService} the people part (`ticket-people.ts`) provides. */
export type TicketPeopleService = Pick<TicketService, 'follow' | 'unfollow' | 'rate'>;
