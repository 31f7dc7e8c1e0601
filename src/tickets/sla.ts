import { addBusinessTime, businessTimeBetween, type BusinessCalendar } from '../calendar/index.js';
import type { SlaMetric, SlaPolicy, SlaTarget } from './sla-policy.js';

/**
 * One running SLA target on one ticket. The target is copied in when the clock starts, so a
 * later policy change does not move a deadline already set. Time is counted on the target's
 * clock: business time on the policy calendar, or plain calendar time.
 */
export interface SlaClock {
  target: SlaTarget;
  /** Start of the current running stretch (or of the last one, when paused or stopped). */
  startedAt: number;
  /** Target-clock ms consumed before `startedAt`. */
  elapsed: number;
  /**
   * The time consumed before `startedAt` on both clocks, so a priority change can count it on the
   * new target's clock. Absent in clocks stored before it existed: `elapsed` then stands for both.
   */
  used?: DualDuration;
  /** The breach instant while running; null while paused. */
  dueAt: number | null;
  /** When the warning fires; null once it fired or while paused. */
  warnAt: number | null;
  warned: boolean;
  paused: boolean;
  breachedAt: number | null;
  /** When the target was met (an agent response; the solve for resolution). */
  fulfilledAt: number | null;
}

/** A missed SLA target: which `metric`, when it was due (`dueAt`) and when the breach was recorded (`at`), in epoch ms. */
export interface SlaBreach {
  metric: SlaMetric;
  dueAt: number;
  at: number;
}

/** The SLA state of a ticket: one clock per metric, and the breaches recorded so far. */
export interface TicketSla {
  firstResponse: SlaClock | null;
  nextResponse: SlaClock | null;
  resolution: SlaClock | null;
  breaches: SlaBreach[];
}

/** A duration on both clocks. */
export interface DualDuration {
  calendar: number;
  business: number;
}

function dueFrom(target: SlaTarget, calendar: BusinessCalendar, at: number, remaining: number): number {
  if (remaining <= 0) return at;
  return target.clock === 'business' ? addBusinessTime(calendar, at, remaining) : at + remaining;
}

function withDue(clock: SlaClock, calendar: BusinessCalendar, at: number, warnBefore: number): SlaClock {
  const remaining = clock.target.duration - clock.elapsed;
  const dueAt = dueFrom(clock.target, calendar, at, remaining);
  // A clock that is due the moment it runs (re-targeted past its target) breaches unwarned, as a
  // sweep after the breach would, unless the warning is the breach's own (`warnBefore: 0`); one
  // with less than `warnBefore` left warns at once. A warning is owed per breach: a warned clock
  // given more than `warnBefore` of its own time again (a lower priority) is warned again; one
  // paused or reopened with its few minutes left is not, even when they now end the next morning.
  const warned = clock.warned && remaining <= warnBefore;
  const quiet = warned || clock.breachedAt !== null || (dueAt <= at && warnBefore > 0);
  return {
    ...clock,
    startedAt: at,
    paused: false,
    dueAt,
    warned,
    warnAt: quiet ? null : Math.max(at, dueAt - warnBefore),
  };
}

const usedOf = (clock: SlaClock): DualDuration => clock.used ?? { calendar: clock.elapsed, business: clock.elapsed };

/** The clock with its running stretch up to `at` added to what it used (both clocks), and `startedAt` at `at`. */
function counted(clock: SlaClock, at: number, policy: SlaPolicy): SlaClock {
  const used = addDual(usedOf(clock), dual(policy.calendar, clock.startedAt, at));
  return { ...clock, used, elapsed: used[clock.target.clock], startedAt: at };
}

export function startClock(target: SlaTarget, at: number, policy: SlaPolicy): SlaClock {
  const clock: SlaClock = {
    target: { ...target },
    startedAt: at,
    elapsed: 0,
    used: ZERO,
    dueAt: null,
    warnAt: null,
    warned: false,
    paused: false,
    breachedAt: null,
    fulfilledAt: null,
  };
  return withDue(clock, policy.calendar, at, policy.warnBefore);
}

/** Is the clock counting toward a breach right now? */
export const isRunning = (clock: SlaClock | null): clock is SlaClock =>
  clock !== null && !clock.paused && clock.fulfilledAt === null;

export function pauseClock(clock: SlaClock, at: number, policy: SlaPolicy): SlaClock {
  if (!isRunning(clock)) return clock;
  return { ...counted(clock, at, policy), paused: true, dueAt: null, warnAt: null };
}

export function resumeClock(clock: SlaClock, at: number, policy: SlaPolicy): SlaClock {
  if (!clock.paused || clock.fulfilledAt !== null) return clock;
  return withDue(clock, policy.calendar, at, policy.warnBefore);
}

export function fulfilClock(clock: SlaClock, at: number, policy: SlaPolicy): SlaClock {
  if (clock.fulfilledAt !== null) return clock;
  const paused = pauseClock(clock, at, policy);
  return { ...paused, fulfilledAt: at, warnAt: null };
}

/** Reopens a fulfilled clock (resolution after a reopen): counting goes on from what was consumed. */
export function reopenClock(clock: SlaClock, at: number, policy: SlaPolicy): SlaClock {
  if (clock.fulfilledAt === null) return clock;
  return withDue({ ...clock, fulfilledAt: null }, policy.calendar, at, policy.warnBefore);
}

/**
 * Re-targets a clock (a priority change): the time it ran so far, pauses left out, is counted on
 * the new target's clock, so the ticket is due when one filed with the new priority would be. 45
 * minutes of Saturday night used by a critical ticket (a calendar clock) are no business time for
 * the normal ticket it becomes; raised back to critical, the 45 minutes count again. A ticket
 * raised to critical after waiting longer than the critical target is due at once (it breaches at
 * the next sweep, unwarned).
 */
export function retargetClock(clock: SlaClock, target: SlaTarget, at: number, policy: SlaPolicy): SlaClock {
  if (clock.fulfilledAt !== null || clock.breachedAt !== null) return clock;
  const retargeted = { ...clock, target: { ...target } };
  if (clock.paused) return { ...retargeted, elapsed: usedOf(clock)[target.clock] };
  return withDue(counted(retargeted, at, policy), policy.calendar, at, policy.warnBefore);
}

export const warnClock = (clock: SlaClock): SlaClock => ({ ...clock, warned: true, warnAt: null });
export const breachClock = (clock: SlaClock, at: number): SlaClock => ({ ...clock, breachedAt: at, warnAt: null });

/** The next instant an SLA timer is due on this ticket, or null. */
export function nextSlaDeadline(sla: TicketSla): number | null {
  let next: number | null = null;
  for (const clock of [sla.firstResponse, sla.nextResponse, sla.resolution]) {
    if (!isRunning(clock) || clock.breachedAt !== null) continue;
    for (const at of [clock.warnAt, clock.dueAt]) if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}

export function dual(calendar: BusinessCalendar, from: number, to: number): DualDuration {
  return to <= from
    ? { calendar: 0, business: 0 }
    : { calendar: to - from, business: businessTimeBetween(calendar, from, to) };
}

export const addDual = (a: DualDuration, b: DualDuration): DualDuration => ({
  calendar: a.calendar + b.calendar,
  business: a.business + b.business,
});

export const ZERO: DualDuration = { calendar: 0, business: 0 };

/** Per-ticket metrics, in calendar and business time. */
export interface TicketMetrics {
  /** Creation to the first agent reply; null until there is one. */
  firstReplyTime: DualDuration | null;
  /** Time the requester waited on support: in new, open and on hold (pending does not count). */
  requesterWaitTime: DualDuration;
  /** Time support had the ticket in hand: in new and open. */
  agentWorkTime: DualDuration;
}

const sum = (times: Record<string, DualDuration>, statuses: readonly string[]) =>
  statuses.reduce((total, status) => addDual(total, times[status] ?? ZERO), ZERO);

/**
 * The metrics of a ticket as of `now`: the closed stretches from `timeInStatus` plus the
 * stretch of the current status up to `now`.
 */
export function ticketMetrics(
  ticket: {
    status: string;
    statusSince: number;
    timeInStatus: Record<string, DualDuration>;
    firstReplyTime: DualDuration | null;
  },
  now: number,
  calendar: BusinessCalendar,
): TicketMetrics {
  const times = { ...ticket.timeInStatus };
  if (ticket.status !== 'closed' && ticket.status !== 'solved') {
    times[ticket.status] = addDual(times[ticket.status] ?? ZERO, dual(calendar, ticket.statusSince, now));
  }
  return {
    firstReplyTime: ticket.firstReplyTime,
    requesterWaitTime: sum(times, ['new', 'open', 'on_hold']),
    agentWorkTime: sum(times, ['new', 'open']),
  };
}
