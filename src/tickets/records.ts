import type { BusinessCalendar } from '../calendar/index.js';
import { deepFreeze } from '../_lib/json.js';
import { Stamp } from '../_lib/stamp.js';
import type { StoredRecord } from '../ports/record-store.js';
import { nextSlaDeadline, ticketMetrics, type TicketMetrics } from './sla.js';
import type { TicketContext, TicketStatus } from './ticket-machine.js';

// How a ticket is stored: the record's state, indexes and deadline, and the view handed to hosts.

/** The record kind tickets are stored under. */
export const TICKET_KIND = 'ticket';

/** A ticket as the host sees it: its context, its status and its stored version. Frozen. */
export interface TicketView extends TicketContext {
  status: TicketStatus;
  version: number;
  /** First reply time, requester wait time and agent work time as of the read. */
  metrics: TicketMetrics;
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

/**
 * The frozen view of a ticket state at `version`. `metrics` is computed on first access (it
 * needs business-time arithmetic that most callers never read), as of `now`.
 */
export function viewOf(state: StoredTicket, version: number, now: number, calendar: BusinessCalendar): TicketView {
  const view = { ...state.context, status: state.value, version } as TicketView;
  for (const value of Object.values(state.context)) deepFreeze(value);
  LazyMetrics.attach(view, now, calendar);
  Object.defineProperty(view, 'metrics', metricsProperty);
  return Object.freeze(view);
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
  for (const at of [context.reminderAt, context.autoResolveAt, context.closeAt, nextSlaDeadline(context.sla)]) {
    if (at !== null && (due === null || at < due)) due = at;
  }
  return due;
}

export function indexesOf(context: TicketContext, status: TicketStatus): Record<string, string> {
  const indexes: Record<string, string> = { status, requester: context.requesterId, number: String(context.number) };
  if (context.organizationId !== null) indexes.organization = context.organizationId;
  return indexes;
}
