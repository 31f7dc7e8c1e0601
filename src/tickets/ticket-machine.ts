import { assign, setup } from 'xstate';
import type { Channel } from './channels.js';
import type { TicketContent } from './content.js';
import type { Priority } from './priorities.js';

/** The statuses of a ticket, as in the Dutch source plus `new` and `closed`. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Who does something to a ticket. The host decides who is an agent; the machine enforces what each role may do. */
export type TicketActor = { role: 'agent'; id: string } | { role: 'requester'; id: string } | { role: 'system' };

/** Timing rules a transition needs. The service passes the policy in force with each event. */
export interface TicketTimingPolicy {
  /** Pending with no requester reply this long after support's last reply → solved. Default 72 h. */
  autoResolveAfter: number;
  /** Reminder to the requester this long before the auto-resolve; null = none. Default 24 h. */
  reminderBefore: number | null;
  /** Solved with no activity this long → closed; null = never. Default 28 days. */
  closeSolvedAfter: number | null;
}

export interface TicketContext {
  id: string;
  number: number;
  title: string;
  /** What the requester filed (Dutch source checklist). */
  content: TicketContent;
  requesterId: string;
  requesterEmail: string;
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
  mergedFrom: string[];
  followUpOf: string | null;
  followUps: string[];
  replyCount: number;
}

export type TicketEvent =
  | { type: 'reply'; at: number; actor: TicketActor; askForInfo: boolean; policy: TicketTimingPolicy }
  | { type: 'assign'; at: number; actor: TicketActor; assigneeId: string | null }
  | { type: 'hold'; at: number; actor: TicketActor }
  | { type: 'resume'; at: number; actor: TicketActor }
  | { type: 'solve'; at: number; actor: TicketActor; policy: TicketTimingPolicy }
  | { type: 'setPriority'; at: number; actor: TicketActor; priority: Priority }
  | { type: 'mergeInto'; at: number; actor: TicketActor; targetId: string }
  | { type: 'mergeFrom'; at: number; actor: TicketActor; sourceId: string }
  | { type: 'linkFollowUp'; at: number; actor: TicketActor; followUpId: string }
  | { type: 'timer.reminder'; at: number }
  | { type: 'timer.autoResolve'; at: number; policy: TicketTimingPolicy }
  | { type: 'timer.close'; at: number };

/** The mail a transition asks for; the service renders and queues it in the same commit. */
export interface TicketNotification {
  template: 'ticket.reminder' | 'ticket.auto_solved' | 'ticket.agent_reply';
}

export type TicketInput = Omit<
  TicketContext,
  | 'updatedAt'
  | 'lastAgentReplyAt'
  | 'lastRequesterReplyAt'
  | 'autoResolveAt'
  | 'reminderAt'
  | 'closeAt'
  | 'solvedAt'
  | 'solvedReason'
  | 'closedAt'
  | 'mergedInto'
  | 'mergedFrom'
  | 'followUps'
  | 'replyCount'
>;

const isAgent = (actor: TicketActor) => actor.role === 'agent';
const isRequester = (actor: TicketActor) => actor.role === 'requester';
const actorOf = (event: TicketEvent): TicketActor => ('actor' in event ? event.actor : { role: 'system' });

function pendingDeadlines(at: number, policy: TicketTimingPolicy) {
  const autoResolveAt = at + policy.autoResolveAfter;
  const reminderAt =
    policy.reminderBefore === null || policy.reminderBefore >= policy.autoResolveAfter
      ? null
      : autoResolveAt - policy.reminderBefore;
  return { autoResolveAt, reminderAt };
}

const noPendingDeadlines = { autoResolveAt: null, reminderAt: null } as const;

const notifyAgentReply = { type: 'notify', params: { template: 'ticket.agent_reply' } } as const;

/** Changes allowed in every status but closed. */
const whileNotClosed = {
  assign: { guard: 'byAgent', actions: ['setAssignee', 'touch'] },
  setPriority: { guard: 'byAgent', actions: ['setPriority', 'touch'] },
  mergeInto: { guard: 'notSelfMerge', target: '#ticket.closed', actions: ['setMergedInto', 'markClosed', 'touch'] },
  mergeFrom: { guard: 'byAgent', actions: ['addMergedFrom', 'touch'] },
} as const;

/**
 * The ticket lifecycle. Pure: no `after` timers — every deadline is a context field
 * (`autoResolveAt`, `reminderAt`, `closeAt`) that `runDueTimers()` fires through a guarded
 * `timer.*` event, so firing late is safe and firing twice is a no-op.
 */
export const ticketMachine = setup({
  types: {
    context: {} as TicketContext,
    events: {} as TicketEvent,
    input: {} as TicketInput,
  },
  actions: {
    /** Effect: queue a mail to the requester (executed by the service, not by xstate). */
    notify: (_, _params: TicketNotification) => {},
    touch: assign({ updatedAt: ({ event }) => event.at }),
    recordAgentReply: assign({
      lastAgentReplyAt: ({ event }) => event.at,
      replyCount: ({ context }) => context.replyCount + 1,
    }),
    recordRequesterReply: assign({
      lastRequesterReplyAt: ({ event }) => event.at,
      replyCount: ({ context }) => context.replyCount + 1,
    }),
    /** Support's latest reply starts (or restarts) the 72 h. */
    startAwaitingRequester: assign(({ event }) =>
      pendingDeadlines(event.at, (event as { policy: TicketTimingPolicy }).policy),
    ),
    stopAwaitingRequester: assign(noPendingDeadlines),
    markReminderSent: assign({ reminderAt: null }),
    markSolved: assign(({ event }) => {
      const policy = (event as { policy: TicketTimingPolicy }).policy;
      return {
        ...noPendingDeadlines,
        solvedAt: event.at,
        solvedReason: event.type === 'timer.autoResolve' ? ('automatic' as const) : ('agent' as const),
        closeAt: policy.closeSolvedAfter === null ? null : event.at + policy.closeSolvedAfter,
      };
    }),
    /** Activity on a solved ticket pushes its close date out. */
    extendClose: assign(({ context, event }) => {
      const policy = (event as { policy: TicketTimingPolicy }).policy;
      return {
        closeAt:
          context.closeAt === null || policy.closeSolvedAfter === null ? null : event.at + policy.closeSolvedAfter,
      };
    }),
    clearSolved: assign({ solvedAt: null, solvedReason: null, closeAt: null }),
    markClosed: assign(({ event }) => ({ closedAt: event.at, closeAt: null, ...noPendingDeadlines })),
    setAssignee: assign({ assigneeId: ({ event }) => (event.type === 'assign' ? event.assigneeId : null) }),
    setPriority: assign({
      priority: ({ context, event }) => (event.type === 'setPriority' ? event.priority : context.priority),
    }),
    setMergedInto: assign({ mergedInto: ({ event }) => (event.type === 'mergeInto' ? event.targetId : null) }),
    addMergedFrom: assign({
      mergedFrom: ({ context, event }) =>
        event.type === 'mergeFrom' ? [...context.mergedFrom, event.sourceId] : context.mergedFrom,
    }),
    addFollowUp: assign({
      followUps: ({ context, event }) =>
        event.type === 'linkFollowUp' ? [...context.followUps, event.followUpId] : context.followUps,
    }),
  },
  guards: {
    byAgent: ({ event }) => isAgent(actorOf(event)),
    byRequester: ({ event }) => isRequester(actorOf(event)),
    agentAsksForInfo: ({ event }) => event.type === 'reply' && isAgent(event.actor) && event.askForInfo,
    agentReplies: ({ event }) => event.type === 'reply' && isAgent(event.actor),
    requesterReplies: ({ event }) => event.type === 'reply' && isRequester(event.actor),
    assignsSomeone: ({ event }) => event.type === 'assign' && isAgent(event.actor) && event.assigneeId !== null,
    notSelfMerge: ({ context, event }) =>
      event.type === 'mergeInto' && isAgent(event.actor) && event.targetId !== context.id,
    reminderDue: ({ context, event }) => context.reminderAt !== null && event.at >= context.reminderAt,
    autoResolveDue: ({ context, event }) => context.autoResolveAt !== null && event.at >= context.autoResolveAt,
    closeDue: ({ context, event }) => context.closeAt !== null && event.at >= context.closeAt,
  },
}).createMachine({
  id: 'ticket',
  context: ({ input }) => ({
    ...input,
    updatedAt: input.createdAt,
    lastAgentReplyAt: null,
    lastRequesterReplyAt: null,
    autoResolveAt: null,
    reminderAt: null,
    closeAt: null,
    solvedAt: null,
    solvedReason: null,
    closedAt: null,
    mergedInto: null,
    mergedFrom: [],
    followUps: [],
    replyCount: 0,
  }),
  initial: 'new',
  states: {
    new: {
      on: {
        ...whileNotClosed,
        reply: [
          {
            guard: 'agentAsksForInfo',
            target: 'pending',
            actions: ['recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'],
          },
          { guard: 'agentReplies', target: 'open', actions: ['recordAgentReply', notifyAgentReply, 'touch'] },
          { guard: 'requesterReplies', actions: ['recordRequesterReply', 'touch'] },
        ],
        assign: [
          { guard: 'assignsSomeone', target: 'open', actions: ['setAssignee', 'touch'] },
          { guard: 'byAgent', actions: ['setAssignee', 'touch'] },
        ],
        hold: { guard: 'byAgent', target: 'on_hold', actions: 'touch' },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
      },
    },
    open: {
      on: {
        ...whileNotClosed,
        reply: [
          {
            guard: 'agentAsksForInfo',
            target: 'pending',
            actions: ['recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'],
          },
          { guard: 'agentReplies', actions: ['recordAgentReply', notifyAgentReply, 'touch'] },
          { guard: 'requesterReplies', actions: ['recordRequesterReply', 'touch'] },
        ],
        hold: { guard: 'byAgent', target: 'on_hold', actions: 'touch' },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
      },
    },
    pending: {
      on: {
        ...whileNotClosed,
        reply: [
          // Any reply from support while pending restarts the 72 h: they count from support's last response.
          { guard: 'agentReplies', actions: ['recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'] },
          {
            guard: 'requesterReplies',
            target: 'open',
            actions: ['recordRequesterReply', 'stopAwaitingRequester', 'touch'],
          },
        ],
        hold: { guard: 'byAgent', target: 'on_hold', actions: ['stopAwaitingRequester', 'touch'] },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
        'timer.reminder': {
          guard: 'reminderDue',
          actions: ['markReminderSent', { type: 'notify', params: { template: 'ticket.reminder' } }, 'touch'],
        },
        'timer.autoResolve': {
          guard: 'autoResolveDue',
          target: 'solved',
          actions: ['markSolved', { type: 'notify', params: { template: 'ticket.auto_solved' } }, 'touch'],
        },
      },
    },
    on_hold: {
      on: {
        ...whileNotClosed,
        reply: [
          {
            guard: 'agentAsksForInfo',
            target: 'pending',
            actions: ['recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'],
          },
          { guard: 'agentReplies', actions: ['recordAgentReply', notifyAgentReply, 'touch'] },
          { guard: 'requesterReplies', actions: ['recordRequesterReply', 'touch'] },
        ],
        resume: { guard: 'byAgent', target: 'open', actions: 'touch' },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
      },
    },
    solved: {
      on: {
        ...whileNotClosed,
        reply: [
          // A requester reply after solved reopens the ticket (Dutch source, "In behandeling").
          { guard: 'requesterReplies', target: 'open', actions: ['recordRequesterReply', 'clearSolved', 'touch'] },
          {
            guard: 'agentAsksForInfo',
            target: 'pending',
            actions: ['recordAgentReply', 'clearSolved', 'startAwaitingRequester', notifyAgentReply, 'touch'],
          },
          { guard: 'agentReplies', actions: ['recordAgentReply', 'extendClose', notifyAgentReply, 'touch'] },
        ],
        'timer.close': { guard: 'closeDue', target: 'closed', actions: ['markClosed', 'touch'] },
      },
    },
    closed: {
      // Final for the lifecycle: only a follow-up link may be added. A requester reply
      // is turned into a follow-up ticket by the service.
      on: {
        linkFollowUp: { actions: ['addFollowUp', 'touch'] },
      },
    },
  },
});
