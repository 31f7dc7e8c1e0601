import type { TicketView } from '../tickets/records.js';
import type { SlaClock, SlaBreach, DualDuration, TicketMetrics } from '../tickets/sla.js';

// Each view lists its fields one by one: a field added to the domain view reaches a browser
// only when someone adds it here (a test pins the exact keys).

/**
 * A ticket as its requester may see it: what they filed, where it stands, and when it solves
 * or closes itself. No SLA clocks, assignee, version or internal timings; `assigned` says
 * whether someone took it, `merged` whether it continues in another ticket.
 */
export interface RequesterTicketView {
  id: string;
  number: number;
  title: string;
  status: TicketView['status'];
  priority: TicketView['priority'];
  content: TicketView['content'];
  /** The requester's own address (where the mails go); null for a ticket a phone principal filed. */
  requesterEmail: string | null;
  assigned: boolean;
  merged: boolean;
  replyCount: number;
  createdAt: number;
  updatedAt: number;
  /** Pending only: the ticket solves itself at this instant unless the requester replies. */
  autoResolveAt: number | null;
  solvedAt: number | null;
  /** `automatic` when it solved itself after the requester did not reply. */
  solvedReason: TicketView['solvedReason'];
  closedAt: number | null;
  /** The colleagues CC'd on the ticket (their addresses); never the agents following it. */
  cc: string[];
  /** The requester's rating from the survey link; null until rated. The comment is not repeated. */
  rated: 'good' | 'bad' | null;
}

/** One SLA clock as an agent's screen shows it: when it is due, and whether it was met or breached. */
export interface AgentSlaClockView {
  dueAt: number | null;
  warnAt: number | null;
  paused: boolean;
  breachedAt: number | null;
  fulfilledAt: number | null;
}

/** A ticket as an agent's browser may see it: everything support works with, as plain JSON. */
export interface AgentTicketView {
  id: string;
  number: number;
  title: string;
  status: TicketView['status'];
  /** Send it back with a change to detect a concurrent edit. */
  version: number;
  priority: TicketView['priority'];
  channel: TicketView['channel'];
  content: TicketView['content'];
  requesterId: string;
  /** Null for a ticket a phone principal filed. */
  requesterEmail: string | null;
  locale: string;
  organizationId: string | null;
  assigneeId: string | null;
  createdAt: number;
  updatedAt: number;
  lastAgentReplyAt: number | null;
  lastRequesterReplyAt: number | null;
  autoResolveAt: number | null;
  reminderAt: number | null;
  closeAt: number | null;
  solvedAt: number | null;
  solvedReason: TicketView['solvedReason'];
  closedAt: number | null;
  mergedInto: string | null;
  mergedFrom: string[];
  followUpOf: string | null;
  followUps: string[];
  replyCount: number;
  sla: {
    firstResponse: AgentSlaClockView | null;
    nextResponse: AgentSlaClockView | null;
    resolution: AgentSlaClockView | null;
    breaches: SlaBreach[];
  };
  statusSince: number;
  firstReplyTime: DualDuration | null;
  metrics: TicketMetrics;
  /** The group (queue), or null. */
  groupId: string | null;
  tags: string[];
  /** The host's own fields (`TicketOptions.fields`), as validated. */
  fields: TicketView['fields'];
  /** CC'd colleagues and following agents, with the addresses their mail goes to. */
  followers: Array<TicketView['followers'][number]>;
  /** The requester's rating and comment from the survey link; null until rated. */
  satisfaction: TicketView['satisfaction'];
}

/** The requester's view of `ticket`. The caller must have checked that the reader is its requester. */
export function requesterTicketView(ticket: TicketView): RequesterTicketView {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    priority: ticket.priority,
    content: structuredClone(ticket.content),
    requesterEmail: ticket.requesterEmail,
    assigned: ticket.assigneeId !== null,
    merged: ticket.mergedInto !== null,
    replyCount: ticket.replyCount,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    autoResolveAt: ticket.autoResolveAt,
    solvedAt: ticket.solvedAt,
    solvedReason: ticket.solvedReason,
    closedAt: ticket.closedAt,
    cc: ticket.followers.filter((follower) => follower.kind === 'cc').map((follower) => follower.email),
    rated: ticket.satisfaction?.score ?? null,
  };
}

/** An agent's view of `ticket`: the fields listed in {@link AgentTicketView}, copied. */
export function agentTicketView(ticket: TicketView): AgentTicketView {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    status: ticket.status,
    version: ticket.version,
    priority: ticket.priority,
    channel: ticket.channel,
    content: structuredClone(ticket.content),
    requesterId: ticket.requesterId,
    requesterEmail: ticket.requesterEmail,
    locale: ticket.locale,
    organizationId: ticket.organizationId,
    assigneeId: ticket.assigneeId,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    lastAgentReplyAt: ticket.lastAgentReplyAt,
    lastRequesterReplyAt: ticket.lastRequesterReplyAt,
    autoResolveAt: ticket.autoResolveAt,
    reminderAt: ticket.reminderAt,
    closeAt: ticket.closeAt,
    solvedAt: ticket.solvedAt,
    solvedReason: ticket.solvedReason,
    closedAt: ticket.closedAt,
    mergedInto: ticket.mergedInto,
    mergedFrom: [...ticket.mergedFrom],
    followUpOf: ticket.followUpOf,
    followUps: [...ticket.followUps],
    replyCount: ticket.replyCount,
    sla: {
      firstResponse: clockView(ticket.sla.firstResponse),
      nextResponse: clockView(ticket.sla.nextResponse),
      resolution: clockView(ticket.sla.resolution),
      breaches: ticket.sla.breaches.map((breach) => ({ metric: breach.metric, dueAt: breach.dueAt, at: breach.at })),
    },
    statusSince: ticket.statusSince,
    firstReplyTime: dual(ticket.firstReplyTime),
    metrics: {
      firstReplyTime: dual(ticket.metrics.firstReplyTime),
      requesterWaitTime: dual(ticket.metrics.requesterWaitTime),
      agentWorkTime: dual(ticket.metrics.agentWorkTime),
    },
    groupId: ticket.groupId,
    tags: [...ticket.tags],
    fields: structuredClone(ticket.fields),
    followers: ticket.followers.map((follower) => ({ ...follower })),
    satisfaction: ticket.satisfaction === null ? null : { ...ticket.satisfaction },
  };
}

function dual<D extends DualDuration | null>(duration: D): D {
  return (duration && { calendar: duration.calendar, business: duration.business }) as D;
}

function clockView(clock: SlaClock | null): AgentSlaClockView | null {
  if (clock === null) return null;
  return {
    dueAt: clock.dueAt,
    warnAt: clock.warnAt,
    paused: clock.paused,
    breachedAt: clock.breachedAt,
    fulfilledAt: clock.fulfilledAt,
  };
}
