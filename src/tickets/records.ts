import type { BusinessCalendar } from '../calendar/index.js';
import { deepFreeze } from '../_lib/json.js';
import { Stamp } from '../_lib/stamp.js';
import { defineAggregate, type Loaded } from '../engine/aggregate.js';
import { commonErrors } from '../errors.js';
import { PHONE_REQUESTER_PREFIX } from './caller.js';
import { shapeIndexes } from './groups.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Channel } from './channels.js';
import type { TicketContent } from './content.js';
import { ticketErrors } from './error-codes.js';
import type { Priority } from './priorities.js';
import type { TicketFollower, TicketSatisfaction } from './people.js';
import { nextSlaDeadline, ticketMetrics, type DualDuration, type TicketMetrics, type TicketSla } from './sla.js';
import {
  ticketMachine,
  type TicketContext,
  type TicketEvent,
  type TicketNotification,
  type TicketStatus,
} from './ticket-machine.js';

// How a ticket is stored: the aggregate (record kind, indexes, deadline, refusals) and the view
// handed to hosts.

/** The record kind tickets are stored under. */
export const TICKET_KIND = 'ticket';
/** The sequence ticket numbers come from (`policy.firstTicketNumber` is its first value). */
export const TICKET_NUMBER_SEQUENCE = 'ticket_number';
/** The ticket number that `value`, a step of {@link TICKET_NUMBER_SEQUENCE}, stands for. */
export const ticketNumberOf = (policy: { firstTicketNumber: number }, value: number): number =>
  policy.firstTicketNumber + value - 1;

/** The effects the ticket machine asks for; the service carries them out in the same commit. */
export type TicketEffect = { type: 'notify'; params: TicketNotification };

/**
 * Stored beside the ticket's machine state: counters only. The messages themselves are records
 * of their own (`messages.ts`), so the ticket stays small however long the conversation.
 */
export interface TicketExtra {
  [field: string]: number;
  /** Messages written so far (the seq of the last one). Absent on tickets stored before messages. */
  messageCount: number;
}

/** The ticket aggregate: one record per ticket, indexed by status, requester, number and organisation. */
export const ticketAggregate = defineAggregate<typeof ticketMachine, TicketExtra, TicketEffect>({
  kind: TICKET_KIND,
  machine: ticketMachine,
  idOf: (context) => context.id,
  indexes: (snapshot) => indexesOf(snapshot.context, snapshot.value as TicketStatus),
  nextDueAt: (snapshot) => nextDueAt(snapshot.context),
  initialExtra: { messageCount: 0 },
  notFound: (ticketId) => ticketErrors.raise('TICKET_NOT_FOUND', { ticketId }, `No ticket with id "${ticketId}".`),
  refusal: (snapshot, event: TicketEvent) => {
    const actor = 'actor' in event ? event.actor.role : 'system';
    const status = snapshot.value as TicketStatus;
    return commonErrors.raise(
      'TRANSITION_NOT_ALLOWED',
      { ticketId: snapshot.context.id, status, command: event.type, actor },
      `Cannot ${event.type} ticket #${snapshot.context.number} as ${actor}: it is ${status}.`,
    );
  },
});

export type LoadedTicket = Loaded<typeof ticketMachine, TicketExtra>;

/** Fires the deadlines of a loaded ticket that passed unswept, before a command steps it (`catchUp` in `service.ts`). */
export type CatchUp = (uow: UnitOfWork, ticket: LoadedTicket) => Promise<LoadedTicket>;

/** The number of messages a ticket has (0 for a ticket stored before messages existed). */
export function messageCountOf(ticket: LoadedTicket): number {
  return (ticket.extra as Partial<TicketExtra>).messageCount ?? 0;
}

/**
 * A ticket as the host sees it. Frozen. Every field is listed here on purpose: this is what a
 * host may show (to agents; requester-facing pages pick from it), not the machine's context.
 */
export interface TicketView {
  id: string;
  /** The ticket number from the store's sequence, as in `[#12345]`. */
  number: number;
  /** `Organisation - Subject`. */
  title: string;
  status: TicketStatus;
  /** The stored version; it grows by one with every accepted command. */
  version: number;
  /** What the requester filed (Dutch source checklist). */
  content: TicketContent;
  requesterId: string;
  /** Null for a ticket a phone principal filed (it has no mail address; see `requesterPhone`). */
  requesterEmail: string | null;
  /** The E.164 number of a phone principal that filed the ticket; null otherwise. */
  requesterPhone: string | null;
  locale: string;
  organizationId: string | null;
  channel: Channel;
  priority: Priority;
  assigneeId: string | null;
  createdAt: number;
  updatedAt: number;
  lastAgentReplyAt: number | null;
  lastRequesterReplyAt: number | null;
  /** Pending only: when the ticket solves itself unless the requester replies. */
  autoResolveAt: number | null;
  /** Pending only: when the requester is reminded; null once sent or when turned off. */
  reminderAt: number | null;
  /** Solved only: when it closes unless there is activity. */
  closeAt: number | null;
  solvedAt: number | null;
  solvedReason: 'agent' | 'automatic' | null;
  closedAt: number | null;
  mergedInto: string | null;
  mergedFrom: readonly string[];
  followUpOf: string | null;
  followUps: readonly string[];
  /** Replies so far (agent and requester). */
  replyCount: number;
  /** SLA clocks (first response, next response, resolution) and the recorded breaches. */
  sla: TicketSla;
  /** Since when the ticket is in its current status. */
  statusSince: number;
  /** Time spent in each status so far (closed stretches only), in calendar and business time. */
  timeInStatus: Readonly<Record<TicketStatus, DualDuration>>;
  /** From creation to the first agent reply. */
  firstReplyTime: DualDuration | null;
  /** First reply time, requester wait time and agent work time as of the read. */
  metrics: TicketMetrics;
  /** CC'd colleagues and following agents, with the addresses their mail goes to. */
  followers: readonly TicketFollower[];
  /** The requester's rating from the survey link; null until rated. */
  satisfaction: TicketSatisfaction | null;
  /** The group (queue) the ticket is in; null for none. */
  groupId: string | null;
  /** Short lowercase tags, sorted. */
  tags: readonly string[];
  /** The host's own fields (`TicketOptions.fields`; default the fleet fields), as validated. */
  fields: Readonly<Record<string, Json>>;
}

export interface StoredTicket {
  value: TicketStatus;
  context: TicketContext;
}

export const OPEN_STATUSES: ReadonlySet<TicketStatus> = new Set(['new', 'open', 'pending', 'on_hold']);

export function toView(record: StoredRecord, now: number, calendar: BusinessCalendar): TicketView {
  const state = record.state as unknown as StoredTicket;
  return viewOf(state, record.version, now, calendar);
}

/** What a repeated command answers (`tickets/command-keys.ts`): the ticket as stored now, nothing written. */
export interface Repeat {
  repeatOf: LoadedTicket;
}

/**
 * The view a command answers: of the ticket it just wrote (at the version the commit stores), or
 * for a {@link Repeat}, of the ticket as loaded and left (at its stored version).
 */
export function resultView(result: LoadedTicket | Repeat, now: number, calendar: BusinessCalendar): TicketView {
  if (!('repeatOf' in result)) return committedView(result, now, calendar);
  const stored = ticketAggregate.persisted(result.repeatOf) as unknown as StoredTicket;
  return viewOf(stored, result.repeatOf.version, now, calendar);
}

/** The view of a ticket a command just wrote (at the version the commit stores). */
export function committedView(loaded: LoadedTicket, now: number, calendar: BusinessCalendar): TicketView {
  return viewOf(ticketAggregate.persisted(loaded) as unknown as StoredTicket, loaded.version + 1, now, calendar);
}

/**
 * The frozen view of a ticket state at `version`. `metrics` is computed on first access (it
 * needs business-time arithmetic that most callers never read), as of `now`.
 */
export function viewOf(state: StoredTicket, version: number, now: number, calendar: BusinessCalendar): TicketView {
  const c = state.context;
  const view: Omit<TicketView, 'metrics'> = {
    id: c.id,
    number: c.number,
    title: c.title,
    status: state.value,
    version,
    content: c.content,
    requesterId: c.requesterId,
    requesterEmail: c.requesterEmail ?? null,
    requesterPhone: c.requesterId.startsWith(PHONE_REQUESTER_PREFIX)
      ? c.requesterId.slice(PHONE_REQUESTER_PREFIX.length)
      : null,
    locale: c.locale,
    organizationId: c.organizationId,
    channel: c.channel,
    priority: c.priority,
    assigneeId: c.assigneeId,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastAgentReplyAt: c.lastAgentReplyAt,
    lastRequesterReplyAt: c.lastRequesterReplyAt,
    autoResolveAt: c.autoResolveAt,
    reminderAt: c.reminderAt,
    closeAt: c.closeAt,
    solvedAt: c.solvedAt,
    solvedReason: c.solvedReason,
    closedAt: c.closedAt,
    mergedInto: c.mergedInto,
    mergedFrom: c.mergedFrom,
    followUpOf: c.followUpOf,
    followUps: c.followUps,
    replyCount: c.replyCount,
    sla: c.sla,
    statusSince: c.statusSince,
    timeInStatus: c.timeInStatus,
    firstReplyTime: c.firstReplyTime,
    followers: c.followers ?? [],
    satisfaction: c.satisfaction ?? null,
    groupId: c.groupId ?? null,
    tags: c.tags ?? [],
    fields: c.fields ?? {},
  };
  for (const value of Object.values(c)) deepFreeze(value);
  LazyMetrics.attach(view as TicketView, now, calendar);
  Object.defineProperty(view, 'metrics', metricsProperty);
  return Object.freeze(view as TicketView);
}

/**
 * What a view needs to compute its metrics on first access, kept in a private field of the view.
 * A getter closure per view (as before) gave every view its own hidden class, which made
 * defining it cost more than the rest of the view; one shared getter keeps one shape for all.
 * (One field holding a small record: each private field added is a shape change of the view.)
 */
class LazyMetrics extends Stamp {
  #lazy: { now: number; calendar: BusinessCalendar; metrics: TicketMetrics | undefined };
  private constructor(view: TicketView, now: number, calendar: BusinessCalendar) {
    super(view);
    this.#lazy = { now, calendar, metrics: undefined };
  }
  static attach(view: TicketView, now: number, calendar: BusinessCalendar): void {
    new LazyMetrics(view, now, calendar);
  }
  static of(view: TicketView): TicketMetrics {
    const lazy = (view as unknown as LazyMetrics).#lazy; // a TypeError for an object that is not a view
    return (lazy.metrics ??= deepFreeze(ticketMetrics(view, Math.max(lazy.now, view.statusSince), lazy.calendar)));
  }
}

const metricsProperty: PropertyDescriptor = {
  enumerable: true,
  get(this: TicketView) {
    return LazyMetrics.of(this);
  },
};

export function nextDueAt(context: TicketContext): number | null {
  let due: number | null = null;
  const deadlines = [context.reminderAt, context.autoResolveAt, context.closeAt, nextSlaDeadline(context.sla)];
  for (const at of [...deadlines, context.surveyAt ?? null]) {
    if (at !== null && (due === null || at < due)) due = at;
  }
  return due;
}

/**
 * The ticket's store indexes. `requesterEmail` (lower-cased) finds a requester the host filed under
 * its own id by the address (privacy export and erasure by `{ email }`); a ticket stored before it
 * existed gets it on its next write (PostgreSQL: migration 5 adds it).
 */
export function indexesOf(context: TicketContext, status: TicketStatus): Record<string, string> {
  const indexes: Record<string, string> = { status, requester: context.requesterId, number: String(context.number) };
  if (context.requesterEmail != null) indexes.requesterEmail = context.requesterEmail.toLowerCase();
  if (context.organizationId !== null) indexes.organization = context.organizationId;
  return { ...indexes, ...shapeIndexes(context) };
}
