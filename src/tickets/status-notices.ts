import type { StatusNoticePolicy } from './people.js';
import type { TicketActor, TicketEvent, TicketStatus } from './ticket-machine.js';

// Which status changes people are told of (issue 12): the requester and followers when an agent
// solves, holds or resumes a ticket and when a requester-side reply reopens it; the assignee
// (else the ticket's group) when the requester side replies or reopens.

/** One accepted step of a ticket, as the notices read it. */
export interface StatusChange {
  event: TicketEvent['type'];
  /** Who stepped it; `system` for a timer. */
  actor: TicketActor;
  from: TicketStatus;
  to: TicketStatus;
}

/** The status notice templates to the requester and followers. */
export type StatusNoticeTemplate =
  'ticket.status_solved' | 'ticket.status_on_hold' | 'ticket.status_resumed' | 'ticket.status_reopened';

/** The agent notice templates. */
export type AgentNoticeTemplate = 'ticket.requester_replied' | 'ticket.requester_reopened';

/**
 * The status notice a step calls for, or null: solved, on hold or resumed by an agent, or
 * reopened by a requester-side reply, each only when switched on in `policy.tickets.notices`.
 * An automatic solve has its own mail (`ticket.auto_solved`), so it is not one of these.
 */
export function statusNoticeOf(change: StatusChange, notices: StatusNoticePolicy): StatusNoticeTemplate | null {
  if (change.from === change.to) return null;
  const byAgent = change.actor.role === 'agent';
  if (byAgent && change.event === 'solve' && change.to === 'solved')
    return notices.solved ? 'ticket.status_solved' : null;
  if (byAgent && change.event === 'hold' && change.to === 'on_hold')
    return notices.onHold ? 'ticket.status_on_hold' : null;
  if (byAgent && change.event === 'resume' && change.from === 'on_hold')
    return notices.resumed ? 'ticket.status_resumed' : null;
  if (isReopen(change)) return notices.reopened ? 'ticket.status_reopened' : null;
  return null;
}

/** The notice to the assignee (else the group) a step calls for: any requester-side reply, a reopen worded as such. */
export function agentNoticeOf(change: StatusChange): AgentNoticeTemplate | null {
  if (change.event !== 'reply' || change.actor.role !== 'requester') return null;
  return isReopen(change) ? 'ticket.requester_reopened' : 'ticket.requester_replied';
}

/** A requester-side reply that took a solved ticket back to open. */
function isReopen(change: StatusChange): boolean {
  return (
    change.event === 'reply' && change.actor.role === 'requester' && change.from === 'solved' && change.to === 'open'
  );
}
