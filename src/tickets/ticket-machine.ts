import { assign, setup } from 'xstate';
import { addBusinessTime } from '../calendar/index.js';
import { contextFromInput } from '../engine/machine-step.js';
import type { Json } from '../ports/json.js';
import type { Channel } from './channels.js';
import type { SurveyPolicy, TicketFollower, TicketSatisfaction } from './people.js';
import type { TicketContent } from './content.js';
import type { Priority } from './priorities.js';
import type { SlaMetric, SlaPolicy } from './sla-policy.js';
import {
  addDual,
  breachClock,
  dual,
  fulfilClock,
  isRunning,
  pauseClock,
  reopenClock,
  resumeClock,
  retargetClock,
  startClock,
  warnClock,
  ZERO,
  type DualDuration,
  type SlaClock,
  type TicketSla,
} from './sla.js';

/** The statuses of a ticket, as in the Dutch source plus `new` and `closed`. */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
/** One of {@link TICKET_STATUSES}. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Who does something to a ticket. The host decides who is an agent; the machine enforces what each role may do. */
export type TicketActor = { role: 'agent'; id: string } | { role: 'requester'; id: string } | { role: 'system' };

/** The rules a transition needs. The service passes the policy in force with every event. */
export interface TicketTimingPolicy {
  /** Pending with no requester reply this long after support's last reply → solved. Default 72 h. */
  autoResolveAfter: number;
  /** Count `autoResolveAfter` and `reminderBefore` in calendar time (default, as in the source) or in business time on the SLA calendar. */
  autoResolveClock: 'calendar' | 'business';
  /** Reminder to the requester this long before the auto-resolve; null = none. Default 24 h. */
  reminderBefore: number | null;
  /** Solved with no activity this long → closed; null = never. Default 28 days. */
  closeSolvedAfter: number | null;
  /** SLA targets per priority, the business calendar, and the warning lead time. */
  sla: SlaPolicy;
  /** The satisfaction survey after solving. Default: off. */
  survey?: SurveyPolicy;
}

/** What the ticket machine keeps about a ticket: who, what, when, its clocks and links. Stored as the ticket's state. */
export interface TicketContext {
  id: string;
  number: number;
  title: string;
  /** What the requester filed (Dutch source checklist). */
  content: TicketContent;
  requesterId: string;
  /** Null for a ticket a phone principal filed: its number (`requesterId` `phone:<E.164>`) is the contact. */
  requesterEmail: string | null;
  /**
   * The name the requester gave at submit, which greets them in mails (an account's display name
   * wins). Absent when none was given.
   */
  requesterName?: string;
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
  /** SLA clocks (first response, next response, resolution) and recorded breaches. */
  sla: TicketSla;
  /** Since when the ticket is in its current status. */
  statusSince: number;
  /** Time spent in each status so far (closed stretches only), in calendar and business time. */
  timeInStatus: Record<TicketStatus, DualDuration>;
  /** From creation to the first agent reply. */
  firstReplyTime: DualDuration | null;
  /** CC'd colleagues and following agents (absent on tickets stored before followers). */
  followers: TicketFollower[];
  /** Solved with the survey on: when the survey mail goes out; null otherwise. */
  surveyAt: number | null;
  /** The requester's rating, given once through the survey link. */
  satisfaction: TicketSatisfaction | null;
  /** The group (queue) the ticket is in; null for none (every agent sees it). Absent on older tickets. */
  groupId?: string | null;
  /** Short lowercase tags, sorted, each once. Absent on older tickets. */
  tags?: string[];
  /** The host's own fields (`TicketOptions.fields`), as parsed: JSON. Absent on older tickets. */
  fields?: Record<string, Json>;
}

/** Every ticket event carries the timing policy in force, so the machine stays pure. */
export type WithPolicy = { policy: TicketTimingPolicy };

/** The events the ticket machine takes; each says when (`at`) and, for commands, who (`actor`). */
export type TicketEvent = WithPolicy &
  (
    | { type: 'reply'; at: number; actor: TicketActor; askForInfo: boolean }
    | { type: 'assign'; at: number; actor: TicketActor; assigneeId: string | null }
    | { type: 'hold'; at: number; actor: TicketActor }
    | { type: 'resume'; at: number; actor: TicketActor }
    | { type: 'solve'; at: number; actor: TicketActor }
    | { type: 'setPriority'; at: number; actor: TicketActor; priority: Priority }
    | { type: 'mergeInto'; at: number; actor: TicketActor; targetId: string }
    | { type: 'mergeFrom'; at: number; actor: TicketActor; sourceId: string }
    | { type: 'linkFollowUp'; at: number; actor: TicketActor; followUpId: string }
    | ({ type: 'update'; at: number; actor: TicketActor } & TicketShapeChange)
    | { type: 'timer.reminder'; at: number }
    | { type: 'timer.autoResolve'; at: number }
    | { type: 'timer.close'; at: number }
    | { type: 'timer.slaWarning'; at: number; metric: SlaMetric }
    | { type: 'timer.slaBreach'; at: number; metric: SlaMetric }
    | { type: 'follow'; at: number; actor: TicketActor; follower: TicketFollower }
    | { type: 'unfollow'; at: number; actor: TicketActor; email: string }
    | { type: 'rate'; at: number; satisfaction: TicketSatisfaction }
    | { type: 'timer.survey'; at: number }
  );

/** The mail a transition asks for; the service renders and queues it in the same commit. */
export interface TicketNotification {
  template: 'ticket.reminder' | 'ticket.auto_solved' | 'ticket.agent_reply' | 'ticket.survey';
}

/** What a new ticket starts from (`createActor(ticketMachine, { input })`); the machine fills in the rest of its context. */
export type TicketInput = Pick<
  TicketContext,
  | 'id'
  | 'number'
  | 'title'
  | 'content'
  | 'requesterId'
  | 'requesterEmail'
  | 'locale'
  | 'organizationId'
  | 'channel'
  | 'priority'
  | 'assigneeId'
  | 'createdAt'
  | 'followUpOf'
> & { sla: SlaPolicy } & Partial<Pick<TicketContext, 'groupId' | 'tags' | 'fields' | 'requesterName'>>;

/** What `update` changes: each given part replaces the ticket's (fields as already merged and validated). */
export interface TicketShapeChange {
  groupId?: string | null;
  tags?: string[];
  fields?: Record<string, Json>;
}

const isAgent = (actor: TicketActor) => actor.role === 'agent';
const isRequester = (actor: TicketActor) => actor.role === 'requester';
const actorOf = (event: TicketEvent): TicketActor => ('actor' in event ? event.actor : { role: 'system' });
const METRICS: readonly SlaMetric[] = ['firstResponse', 'nextResponse', 'resolution'];

function pendingDeadlines(at: number, policy: TicketTimingPolicy) {
  const after = (ms: number) =>
    policy.autoResolveClock === 'business' ? addBusinessTime(policy.sla.calendar, at, ms) : at + ms;
  const autoResolveAt = after(policy.autoResolveAfter);
  const reminderAt =
    policy.reminderBefore === null || policy.reminderBefore >= policy.autoResolveAfter
      ? null
      : after(policy.autoResolveAfter - policy.reminderBefore);
  return { autoResolveAt, reminderAt };
}

const noPendingDeadlines = { autoResolveAt: null, reminderAt: null } as const;
const notifyAgentReply = { type: 'notify', params: { template: 'ticket.agent_reply' } } as const;

/** Applies `change` to every SLA clock that exists. */
function mapClocks(sla: TicketSla, change: (clock: SlaClock, metric: SlaMetric) => SlaClock): TicketSla {
  const next = { ...sla };
  for (const metric of METRICS) {
    const clock = sla[metric];
    if (clock) next[metric] = change(clock, metric);
  }
  return next;
}

/** The SLA clocks of a new ticket: first response and resolution start at creation. */
export function initialSla(priority: Priority, at: number, policy: SlaPolicy): TicketSla {
  const targets = policy.targets[priority];
  return {
    firstResponse: startClock(targets.firstResponse, at, policy),
    nextResponse: null,
    resolution: startClock(targets.resolution, at, policy),
    breaches: [],
  };
}

const zeroStatusTimes = (): Record<TicketStatus, DualDuration> => ({
  new: ZERO,
  open: ZERO,
  pending: ZERO,
  on_hold: ZERO,
  solved: ZERO,
  closed: ZERO,
});

/** Events that leave `pending` or `solved` without making the ticket active again. */
const endsActivity = (event: TicketEvent) => event.type === 'mergeInto' || event.type === 'timer.close';

/**
 * The ticket lifecycle. Pure: no `after` timers — every deadline is a context field
 * (`autoResolveAt`, `reminderAt`, `closeAt`, the SLA clocks' `warnAt` and `dueAt`) that
 * `runDueTimers()` fires through a guarded `timer.*` event, so firing late is safe and
 * firing twice is a no-op.
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
    // Never back: a deadline fired late is dated at its due time, which may be before the last change.
    touch: assign({ updatedAt: ({ context, event }) => Math.max(context.updatedAt, event.at) }),
    recordAgentReply: assign(({ context, event }) => ({
      lastAgentReplyAt: event.at,
      replyCount: context.replyCount + 1,
      firstReplyTime: context.firstReplyTime ?? dual(event.policy.sla.calendar, context.createdAt, event.at),
      // An agent response meets the first- and next-response targets.
      sla: {
        ...context.sla,
        firstResponse: context.sla.firstResponse && fulfilClock(context.sla.firstResponse, event.at, event.policy.sla),
        nextResponse: context.sla.nextResponse && fulfilClock(context.sla.nextResponse, event.at, event.policy.sla),
      },
    })),
    recordRequesterReply: assign(({ context, event }) => {
      const { firstResponse, nextResponse } = context.sla;
      // A requester reply after support answered starts the next-response clock.
      const answered = firstResponse !== null && firstResponse.fulfilledAt !== null;
      const idle = nextResponse === null || nextResponse.fulfilledAt !== null;
      const target = event.policy.sla.targets[context.priority].nextResponse;
      return {
        lastRequesterReplyAt: event.at,
        replyCount: context.replyCount + 1,
        sla:
          answered && idle
            ? { ...context.sla, nextResponse: startClock(target, event.at, event.policy.sla) }
            : context.sla,
      };
    }),
    /** Support's latest reply starts (or restarts) the 72 h. */
    startAwaitingRequester: assign(({ event }) => pendingDeadlines(event.at, event.policy)),
    stopAwaitingRequester: assign(noPendingDeadlines),
    markReminderSent: assign({ reminderAt: null }),
    markSolved: assign(({ event }) => ({
      ...noPendingDeadlines,
      solvedAt: event.at,
      solvedReason: event.type === 'timer.autoResolve' ? ('automatic' as const) : ('agent' as const),
      closeAt: event.policy.closeSolvedAfter === null ? null : event.at + event.policy.closeSolvedAfter,
    })),
    /** Activity on a solved ticket pushes its close date out. */
    extendClose: assign(({ context, event }) => ({
      closeAt:
        context.closeAt === null || event.policy.closeSolvedAfter === null
          ? null
          : event.at + event.policy.closeSolvedAfter,
    })),
    clearSolved: assign({ solvedAt: null, solvedReason: null, closeAt: null }),
    markClosed: assign(({ event }) => ({ closedAt: event.at, closeAt: null, ...noPendingDeadlines })),
    setAssignee: assign({ assigneeId: ({ event }) => (event.type === 'assign' ? event.assigneeId : null) }),
    setPriority: assign(({ context, event }) => {
      if (event.type !== 'setPriority') return {};
      const targets = event.policy.sla.targets[event.priority];
      return {
        priority: event.priority,
        sla: mapClocks(context.sla, (clock, metric) =>
          retargetClock(clock, targets[metric], event.at, event.policy.sla),
        ),
      };
    }),
    setMergedInto: assign({ mergedInto: ({ event }) => (event.type === 'mergeInto' ? event.targetId : null) }),
    addMergedFrom: assign({
      mergedFrom: ({ context, event }) =>
        event.type === 'mergeFrom' ? [...context.mergedFrom, event.sourceId] : context.mergedFrom,
    }),
    /** Group, tags and host fields (`desk.tickets.update`): agents only, in every status but closed. */
    setShape: assign(({ event }) => {
      if (event.type !== 'update') return {};
      const { groupId, tags, fields } = event;
      return {
        ...(groupId !== undefined ? { groupId } : {}),
        ...(tags !== undefined ? { tags } : {}),
        ...(fields !== undefined ? { fields } : {}),
      };
    }),
    addFollowUp: assign({
      followUps: ({ context, event }) =>
        event.type === 'linkFollowUp' ? [...context.followUps, event.followUpId] : context.followUps,
    }),

    // SLA clocks. `pending` pauses them (support waits for the requester); `on_hold` does not.
    pauseSla: assign(({ context, event }) => ({
      sla: mapClocks(context.sla, (clock) => pauseClock(clock, event.at, event.policy.sla)),
    })),
    resumeSla: assign(({ context, event }) =>
      endsActivity(event)
        ? {}
        : { sla: mapClocks(context.sla, (clock) => resumeClock(clock, event.at, event.policy.sla)) },
    ),
    /** Solving meets the resolution target and stops the response clocks. */
    fulfilResolution: assign(({ context, event }) => ({
      sla: mapClocks(context.sla, (clock, metric) =>
        metric === 'resolution'
          ? fulfilClock(clock, event.at, event.policy.sla)
          : pauseClock(clock, event.at, event.policy.sla),
      ),
    })),
    /** A reopen continues the resolution clock from what it had consumed. */
    reopenSla: assign(({ context, event }) =>
      endsActivity(event)
        ? {}
        : {
            sla: mapClocks(context.sla, (clock, metric) =>
              metric === 'resolution'
                ? reopenClock(clock, event.at, event.policy.sla)
                : resumeClock(clock, event.at, event.policy.sla),
            ),
          },
    ),
    warnSla: assign(({ context, event }) => {
      if (event.type !== 'timer.slaWarning') return {};
      const clock = context.sla[event.metric];
      return clock ? { sla: { ...context.sla, [event.metric]: warnClock(clock) } } : {};
    }),
    breachSla: assign(({ context, event }) => {
      if (event.type !== 'timer.slaBreach') return {};
      const clock = context.sla[event.metric];
      if (!clock || clock.dueAt === null) return {};
      return {
        sla: {
          ...context.sla,
          [event.metric]: breachClock(clock, event.at),
          breaches: [...context.sla.breaches, { metric: event.metric, dueAt: clock.dueAt, at: event.at }],
        },
      };
    }),

    // Followers and the survey (issue 12). Older tickets have no `followers` field: read it as empty.
    addFollower: assign({
      followers: ({ context, event }) =>
        event.type === 'follow'
          ? [...withoutFollower(context, event.follower.email), event.follower]
          : context.followers,
    }),
    removeFollower: assign({
      followers: ({ context, event }) =>
        event.type === 'unfollow' ? withoutFollower(context, event.email) : context.followers,
    }),
    scheduleSurvey: assign({
      surveyAt: ({ event }) => (event.policy.survey?.enabled ? event.at + event.policy.survey.delay : null),
    }),
    /** Leaving solved (a reopen, a close, a merge) cancels a survey not yet sent. */
    cancelSurvey: assign({ surveyAt: null }),
    recordRating: assign({
      satisfaction: ({ context, event }) => (event.type === 'rate' ? event.satisfaction : context.satisfaction),
    }),

    // Time in status, for the per-ticket metrics.
    enterStatus: assign(({ context, event }) => ({ statusSince: 'at' in event ? event.at : context.statusSince })),
    leaveStatus: assign(({ context, event }, params: { status: TicketStatus }) => {
      if (!('at' in event)) return {};
      const spent = dual(event.policy.sla.calendar, context.statusSince, event.at);
      return {
        timeInStatus: { ...context.timeInStatus, [params.status]: addDual(context.timeInStatus[params.status], spent) },
      };
    }),
  },
  guards: {
    byAgent: ({ event }) => isAgent(actorOf(event)),
    agentAsksForInfo: ({ event }) => event.type === 'reply' && isAgent(event.actor) && event.askForInfo,
    agentReplies: ({ event }) => event.type === 'reply' && isAgent(event.actor),
    requesterReplies: ({ event }) => event.type === 'reply' && isRequester(event.actor),
    assignsSomeone: ({ event }) => event.type === 'assign' && isAgent(event.actor) && event.assigneeId !== null,
    notSelfMerge: ({ context, event }) =>
      event.type === 'mergeInto' && isAgent(event.actor) && event.targetId !== context.id,
    reminderDue: ({ context, event }) => context.reminderAt !== null && event.at >= context.reminderAt,
    autoResolveDue: ({ context, event }) => context.autoResolveAt !== null && event.at >= context.autoResolveAt,
    closeDue: ({ context, event }) => context.closeAt !== null && event.at >= context.closeAt,
    surveyDue: ({ context, event }) => (context.surveyAt ?? null) !== null && event.at >= context.surveyAt!,
    notRated: ({ context }) => (context.satisfaction ?? null) === null,
    slaWarningDue: ({ context, event }) => {
      if (event.type !== 'timer.slaWarning') return false;
      const clock = context.sla[event.metric];
      return isRunning(clock) && clock.warnAt !== null && event.at >= clock.warnAt;
    },
    slaBreachDue: ({ context, event }) => {
      if (event.type !== 'timer.slaBreach') return false;
      const clock = context.sla[event.metric];
      return isRunning(clock) && clock.breachedAt === null && clock.dueAt !== null && event.at >= clock.dueAt;
    },
  },
}).createMachine({
  id: 'ticket',
  /** Built from the {@link TicketInput} a new ticket starts from. */
  context: contextFromInput((input: TicketInput): TicketContext => {
    const { sla: slaPolicy, ...rest } = input;
    return {
      ...rest,
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
      sla: initialSla(input.priority, input.createdAt, slaPolicy),
      statusSince: input.createdAt,
      timeInStatus: zeroStatusTimes(),
      firstReplyTime: null,
      followers: [],
      surveyAt: null,
      satisfaction: null,
      groupId: input.groupId ?? null,
      tags: input.tags ?? [],
      fields: input.fields ?? {},
    };
  }),
  initial: 'new',
  states: {
    new: {
      exit: { type: 'leaveStatus', params: { status: 'new' } },
      on: {
        ...whileNotClosed(),
        // The first agent answer opens a new ticket.
        reply: activeReplies('open'),
        assign: [
          { guard: 'assignsSomeone', target: 'open', actions: ['setAssignee', 'touch'] },
          { guard: 'byAgent', actions: ['setAssignee', 'touch'] },
        ],
        hold: { guard: 'byAgent', target: 'on_hold', actions: 'touch' },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
      },
    },
    open: {
      entry: 'enterStatus',
      exit: { type: 'leaveStatus', params: { status: 'open' } },
      on: {
        ...whileNotClosed(),
        reply: activeReplies(),
        hold: { guard: 'byAgent', target: 'on_hold', actions: 'touch' },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
      },
    },
    pending: {
      entry: ['enterStatus', 'pauseSla'],
      exit: [{ type: 'leaveStatus', params: { status: 'pending' } }, 'resumeSla'],
      on: {
        ...whileNotClosed(),
        reply: [
          // Any reply from support while pending restarts the 72 h: they count from support's last response.
          {
            guard: 'agentReplies',
            actions: ['recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'],
          },
          {
            guard: 'requesterReplies',
            target: 'open',
            actions: ['stopAwaitingRequester', 'recordRequesterReply', 'touch'],
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
      entry: 'enterStatus',
      exit: { type: 'leaveStatus', params: { status: 'on_hold' } },
      on: {
        ...whileNotClosed(),
        reply: activeReplies(),
        resume: { guard: 'byAgent', target: 'open', actions: 'touch' },
        solve: { guard: 'byAgent', target: 'solved', actions: ['markSolved', 'touch'] },
      },
    },
    solved: {
      entry: ['enterStatus', 'fulfilResolution', 'scheduleSurvey'],
      exit: [{ type: 'leaveStatus', params: { status: 'solved' } }, 'reopenSla', 'cancelSurvey'],
      on: {
        ...whileNotClosed(),
        reply: [
          // A requester reply after solved reopens the ticket (Dutch source, "In behandeling").
          { guard: 'requesterReplies', target: 'open', actions: ['clearSolved', 'recordRequesterReply', 'touch'] },
          {
            guard: 'agentAsksForInfo',
            target: 'pending',
            actions: ['clearSolved', 'recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'],
          },
          { guard: 'agentReplies', actions: ['recordAgentReply', 'extendClose', notifyAgentReply, 'touch'] },
        ],
        // Closed is "a solved ticket with no activity" (docs/tickets.md): any agent change pushes the close out.
        assign: { guard: 'byAgent', actions: ['setAssignee', 'extendClose', 'touch'] },
        setPriority: { guard: 'byAgent', actions: ['setPriority', 'extendClose', 'touch'] },
        mergeFrom: { guard: 'byAgent', actions: ['addMergedFrom', 'extendClose', 'touch'] },
        update: { guard: 'byAgent', actions: ['setShape', 'extendClose', 'touch'] },
        'timer.close': { guard: 'closeDue', target: 'closed', actions: ['markClosed', 'touch'] },
        'timer.survey': {
          guard: 'surveyDue',
          actions: ['cancelSurvey', { type: 'notify', params: { template: 'ticket.survey' } }],
        },
      },
    },
    closed: {
      entry: ['enterStatus', 'pauseSla'],
      // Final for the lifecycle: only a follow-up link may be added. A requester reply
      // is turned into a follow-up ticket by the service.
      on: {
        linkFollowUp: { actions: ['addFollowUp', 'touch'] },
        rate: { guard: 'notRated', actions: 'recordRating' },
      },
    },
  },
});

/**
 * Replies in new, open and on hold: an agent question moves the ticket to pending; any other
 * reply keeps the status, except that an agent answer opens a new ticket (`agentTarget`).
 */
function activeReplies(agentTarget?: 'open') {
  return [
    {
      guard: 'agentAsksForInfo',
      target: 'pending',
      actions: ['recordAgentReply', 'startAwaitingRequester', notifyAgentReply, 'touch'],
    },
    {
      guard: 'agentReplies',
      ...(agentTarget ? { target: agentTarget } : {}),
      actions: ['recordAgentReply', notifyAgentReply, 'touch'],
    },
    { guard: 'requesterReplies', actions: ['recordRequesterReply', 'touch'] },
  ] as const;
}

/** Changes allowed in every status but closed, and the SLA timers. */
function whileNotClosed() {
  return {
    assign: { guard: 'byAgent', actions: ['setAssignee', 'touch'] },
    setPriority: { guard: 'byAgent', actions: ['setPriority', 'touch'] },
    mergeInto: { guard: 'notSelfMerge', target: '#ticket.closed', actions: ['setMergedInto', 'markClosed', 'touch'] },
    mergeFrom: { guard: 'byAgent', actions: ['addMergedFrom', 'touch'] },
    update: { guard: 'byAgent', actions: ['setShape', 'touch'] },
    'timer.slaWarning': { guard: 'slaWarningDue', actions: ['warnSla', 'touch'] },
    'timer.slaBreach': { guard: 'slaBreachDue', actions: ['breachSla', 'touch'] },
    follow: { actions: 'addFollower' },
    unfollow: { actions: 'removeFollower' },
    rate: { guard: 'notRated', actions: 'recordRating' },
  } as const;
}

/** The followers but the one with `email` (case-insensitive): one entry per address. */
function withoutFollower(context: TicketContext, email: string): TicketFollower[] {
  const key = email.toLowerCase();
  return (context.followers ?? []).filter((f) => f.email.toLowerCase() !== key);
}
