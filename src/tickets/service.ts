import { initialTransition } from 'xstate';
import type { CoreDeps } from '../engine/deps.js';
import { engineErrors } from '../engine/error-codes.js';
import { persistSnapshot, restoreSnapshot, stepMachine } from '../engine/machine-step.js';
import { queueMessage } from '../engine/notify.js';
import type { DueHandler, FiredTimer } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { Locale } from '../messages/locales.js';
import type { HistoryEntry } from '../ports/history-store.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import { buildTicketTitle, completenessReport, type CompletenessReport } from './content.js';
import { ticketErrors } from './error-codes.js';
import type { TicketPolicy } from './policy.js';
import { priorityChannelAdvice, suggestPriority } from './suggest-priority.js';
import type { ChannelAdvice } from './priorities.js';
import {
  assignSchema,
  listTicketsSchema,
  mergeSchema,
  replySchema,
  setPrioritySchema,
  submitTicketSchema,
  ticketCommandSchema,
  ticketIdSchema,
  ticketNumberSchema,
  type AssignInput,
  type ListTicketsInput,
  type MergeInput,
  type ReplyInput,
  type SetPriorityInput,
  type SubmitTicketInput,
  type TicketCommandInput,
} from './schemas.js';
import { isNearDuplicateSubject } from './similarity.js';
import {
  indexesOf,
  nextDueAt,
  OPEN_STATUSES,
  TICKET_KIND,
  toView,
  viewOf as ticketView,
  type StoredTicket,
  type TicketView,
} from './records.js';
import { dueTimers } from './timers.js';
import {
  ticketMachine,
  type TicketActor,
  type TicketContext,
  type TicketEvent,
  type TicketNotification,
  type TicketStatus,
} from './ticket-machine.js';

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
}

export interface TicketPage {
  tickets: TicketView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const describeActor = (actor: TicketActor): Json => ({ ...actor });

/** The ticket service behind `desk.tickets`. */
export function createTicketService(deps: CoreDeps, policy: TicketPolicy) {
  const { storage, clock, ids } = deps;
  const now = () => clock.now();
  const timing = policy;
  const viewOf = (record: StoredRecord) => toView(record, clock.now(), policy.sla.calendar);

  async function loadTicket(uow: UnitOfWork, ticketId: string) {
    const record = await uow.load(TICKET_KIND, ticketId);
    if (!record) throw ticketErrors.raise('TICKET_NOT_FOUND', { ticketId }, `No ticket with id "${ticketId}".`);
    return restoreSnapshot(ticketMachine, record.state as unknown as StoredTicket);
  }

  type Snapshot = ReturnType<typeof restoreSnapshot<typeof ticketMachine>>;

  function save(uow: UnitOfWork, snapshot: Snapshot, create = false) {
    const change = {
      state: persistSnapshot(snapshot),
      indexes: indexesOf(snapshot.context, snapshot.value as TicketStatus),
      nextDueAt: nextDueAt(snapshot.context),
    };
    if (create) uow.create(TICKET_KIND, snapshot.context.id, change);
    else uow.put(TICKET_KIND, snapshot.context.id, change);
  }

  function mail(
    uow: UnitOfWork,
    context: TicketContext,
    notification: TicketNotification,
    extra: { body?: string; previousNumber?: number },
  ) {
    const locale = context.locale as Locale;
    const base = { number: context.number, title: context.title };
    switch (notification.template) {
      case 'ticket.reminder':
        queueMessage(uow, ids, 'email', context.requesterEmail, 'ticket.reminder', locale, {
          ...base,
          autoResolveAt: new Date(context.autoResolveAt ?? uow.now).toISOString(),
        });
        break;
      case 'ticket.auto_solved':
        queueMessage(uow, ids, 'email', context.requesterEmail, 'ticket.auto_solved', locale, base);
        break;
      case 'ticket.agent_reply':
        queueMessage(uow, ids, 'email', context.requesterEmail, 'ticket.agent_reply', locale, {
          ...base,
          body: extra.body ?? '',
        });
        break;
    }
  }

  /**
   * Applies one event: refuses it with TRANSITION_NOT_ALLOWED (naming the status and the
   * command) when the machine has no transition for it; otherwise stores the next snapshot,
   * one history entry (with from/to status) and the mails the machine asked for.
   */
  function apply(
    uow: UnitOfWork,
    snapshot: Snapshot,
    event: TicketEvent,
    data: Record<string, Json> = {},
    extra: { body?: string } = {},
  ) {
    const from = snapshot.value as TicketStatus;
    const result = stepMachine(ticketMachine, snapshot, event);
    if (!result.accepted) {
      const actor = 'actor' in event ? event.actor.role : 'system';
      throw engineErrors.raise(
        'TRANSITION_NOT_ALLOWED',
        { ticketId: snapshot.context.id, status: from, command: event.type, actor },
        `Cannot ${event.type} ticket #${snapshot.context.number} as ${actor}: it is ${from}.`,
      );
    }
    const next = result.snapshot;
    save(uow, next);
    uow.history({
      kind: TICKET_KIND,
      id: next.context.id,
      at: uow.now,
      type: `ticket.${event.type}`,
      actor: 'actor' in event ? describeActor(event.actor) : { role: 'system' },
      data: { from, to: next.value as TicketStatus, ...data },
    });
    for (const effect of result.effects) {
      if (effect.type === 'notify') mail(uow, next.context, effect.params as TicketNotification, extra);
    }
    return next;
  }

  /** Creates a ticket record in `uow` (new status), with history and confirmation mail. */
  function createTicket(
    uow: UnitOfWork,
    input: Omit<
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
      | 'sla'
      | 'statusSince'
      | 'timeInStatus'
      | 'firstReplyTime'
    >,
    actor: Json,
  ) {
    const [snapshot] = initialTransition(ticketMachine, { ...input, sla: policy.sla });
    save(uow, snapshot, true);
    uow.history({
      kind: TICKET_KIND,
      id: input.id,
      at: uow.now,
      type: 'ticket.submitted',
      actor,
      data: {
        from: null,
        to: 'new',
        number: input.number,
        channel: input.channel,
        priority: input.priority,
        followUpOf: input.followUpOf,
      },
    });
    const locale = input.locale as Locale;
    if (input.followUpOf === null) {
      queueMessage(uow, ids, 'email', input.requesterEmail, 'ticket.confirmation', locale, {
        number: input.number,
        title: input.title,
      });
    }
    return snapshot;
  }

  async function nextNumber(): Promise<number> {
    return policy.firstTicketNumber + (await storage.nextSequence('ticket_number')) - 1;
  }

  async function possibleDuplicates(requesterId: string, title: string, exceptId: string) {
    const mine = await storage.list(TICKET_KIND, { where: { requester: requesterId }, limit: 500 });
    // Reads the stored states directly: a full view per listed ticket (spread, freeze, lazy
    // metrics) was most of the cost, and only status, subject, number and title are needed.
    const found: Array<{ id: string; number: number; title: string }> = [];
    for (const record of mine) {
      const { value: status, context: t } = record.state as unknown as StoredTicket;
      if (t.id !== exceptId && OPEN_STATUSES.has(status) && isNearDuplicateSubject(t.content.subject, title)) {
        found.push({ id: t.id, number: t.number, title: t.title });
      }
    }
    return found;
  }

  // Not `async`: returning runCommand's promise as it is saves the extra promise hops of an
  // async wrapper on every command.
  function run<T>(handler: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return runCommand(storage, now, handler);
  }

  /** What a command stored for a ticket, to answer with without reading it back. */
  type Committed = { snapshot: Snapshot; version: number };
  const committed = (uow: UnitOfWork, snapshot: Snapshot): Committed => ({
    snapshot,
    version: uow.nextVersion(TICKET_KIND, snapshot.context.id),
  });
  const viewOfCommitted = ({ snapshot, version }: Committed): TicketView =>
    ticketView(persistSnapshot(snapshot) as unknown as StoredTicket, version, clock.now(), policy.sla.calendar);

  async function view(ticketId: string): Promise<TicketView> {
    const record = await storage.load(TICKET_KIND, ticketId);
    if (!record) throw ticketErrors.raise('TICKET_NOT_FOUND', { ticketId }, `No ticket with id "${ticketId}".`);
    return viewOf(record);
  }

  /** Runs one event against one ticket and returns the new view. */
  async function command(
    ticketId: string,
    makeEvent: (at: number) => TicketEvent,
    data: Record<string, Json> = {},
    extra: { body?: string } = {},
  ) {
    const done = await run(async (uow) => {
      const snapshot = await loadTicket(uow, ticketId);
      return committed(uow, apply(uow, snapshot, makeEvent(uow.now), data, extra));
    });
    return viewOfCommitted(done);
  }

  const service = {
    /**
     * Files a ticket: validates the content, numbers it from the store's sequence, and queues
     * the confirmation mail with the number, all in one commit. With an `idempotencyKey`, a
     * repeated submit returns the first ticket (`created: false`).
     */
    async submit(input: SubmitTicketInput): Promise<SubmitResult> {
      const parsed = parseInput(submitTicketSchema, input, 'ticket');
      const scope = `ticket.submit:${parsed.requester.id}`;
      const priority = parsed.priority ?? (parsed.impact ? suggestPriority(parsed.impact) : 'normal');
      let number: number | null = null;
      const outcome = await run(async (uow) => {
        if (parsed.idempotencyKey !== undefined) {
          const existing = (await storage.getIdempotency(scope, parsed.idempotencyKey)) as { ticketId: string } | null;
          if (existing) return { ticketId: existing.ticketId, created: false, done: null };
        }
        number ??= await nextNumber();
        const ticketId = ids.next('tkt_');
        const snapshot = createTicket(
          uow,
          {
            id: ticketId,
            number,
            title: buildTicketTitle(parsed.content.organization, parsed.content.subject),
            content: parsed.content,
            requesterId: parsed.requester.id,
            requesterEmail: parsed.requester.email,
            locale: parsed.requester.locale ?? deps.locale,
            organizationId: parsed.organizationId ?? null,
            channel: parsed.channel,
            priority,
            assigneeId: null,
            createdAt: uow.now,
            followUpOf: null,
          },
          parsed.filedBy ? describeActor(parsed.filedBy) : { role: 'requester', id: parsed.requester.id },
        );
        if (parsed.idempotencyKey !== undefined) uow.idempotency(scope, parsed.idempotencyKey, { ticketId });
        return { ticketId, created: true, done: committed(uow, snapshot) };
      });
      const ticket = outcome.done ? viewOfCommitted(outcome.done) : await view(outcome.ticketId);
      return {
        ticket,
        created: outcome.created,
        completeness: completenessReport(ticket.content),
        possibleDuplicates: await possibleDuplicates(ticket.requesterId, ticket.content.subject, ticket.id),
        channelAdvice: priorityChannelAdvice(ticket.priority),
      };
    },

    /**
     * A reply on the ticket. An agent reply with `askForInfo` moves it to pending and (re)starts
     * the 72 h; a requester reply moves pending back to open and reopens a solved ticket. A
     * requester reply to a closed ticket creates a follow-up ticket linked to it, which is returned.
     */
    async reply(input: ReplyInput): Promise<TicketView> {
      const parsed = parseInput(replySchema, input, 'reply');
      let followUpNumber: number | null = null;
      const done = await run(async (uow): Promise<Committed> => {
        const snapshot = await loadTicket(uow, parsed.ticketId);
        const ctx = snapshot.context;
        if (snapshot.value === 'closed' && parsed.author.role === 'requester') {
          if (parsed.author.id !== ctx.requesterId) {
            throw engineErrors.raise(
              'TRANSITION_NOT_ALLOWED',
              { ticketId: ctx.id, status: 'closed', command: 'reply' },
              `Only the requester can follow up on closed ticket #${ctx.number}.`,
            );
          }
          followUpNumber ??= await nextNumber();
          const followUpId = ids.next('tkt_');
          const followUp = createTicket(
            uow,
            {
              id: followUpId,
              number: followUpNumber,
              title: ctx.title,
              content: { ...ctx.content, description: parsed.body },
              requesterId: ctx.requesterId,
              requesterEmail: ctx.requesterEmail,
              locale: ctx.locale,
              organizationId: ctx.organizationId,
              channel: ctx.channel,
              priority: ctx.priority,
              assigneeId: null,
              createdAt: uow.now,
              followUpOf: ctx.id,
            },
            describeActor(parsed.author),
          );
          queueMessage(uow, ids, 'email', ctx.requesterEmail, 'ticket.follow_up_created', ctx.locale as Locale, {
            number: followUp.context.number,
            previousNumber: ctx.number,
            title: ctx.title,
          });
          apply(
            uow,
            snapshot,
            { type: 'linkFollowUp', at: uow.now, actor: parsed.author, followUpId, policy: timing },
            { followUpId },
          );
          return committed(uow, followUp);
        }
        if (parsed.author.role === 'requester' && parsed.author.id !== ctx.requesterId) {
          throw engineErrors.raise(
            'TRANSITION_NOT_ALLOWED',
            { ticketId: ctx.id, status: snapshot.value, command: 'reply' },
            `Only the requester of ticket #${ctx.number} can reply as requester.`,
          );
        }
        const next = apply(
          uow,
          snapshot,
          { type: 'reply', at: uow.now, actor: parsed.author, askForInfo: parsed.askForInfo, policy: timing },
          { body: parsed.body, askForInfo: parsed.askForInfo },
          { body: parsed.body },
        );
        return committed(uow, next);
      });
      return viewOfCommitted(done);
    },

    /** Assigns the ticket to an agent (or unassigns with null). Assigning a new ticket opens it. */
    async assign(input: AssignInput): Promise<TicketView> {
      const p = parseInput(assignSchema, input, 'assignment');
      return command(
        p.ticketId,
        (at) => ({ type: 'assign', at, actor: p.actor, assigneeId: p.assigneeId, policy: timing }),
        {
          assigneeId: p.assigneeId,
        },
      );
    },

    /** Puts the ticket on hold: support met unexpected behaviour and works on a fix. Agents only. */
    async hold(input: TicketCommandInput): Promise<TicketView> {
      const p = parseInput(ticketCommandSchema, input, 'hold command');
      return command(p.ticketId, (at) => ({ type: 'hold', at, actor: p.actor, policy: timing }));
    },

    /** Takes the ticket off hold, back to open. Agents only. */
    async resume(input: TicketCommandInput): Promise<TicketView> {
      const p = parseInput(ticketCommandSchema, input, 'resume command');
      return command(p.ticketId, (at) => ({ type: 'resume', at, actor: p.actor, policy: timing }));
    },

    /** Marks the ticket solved; it closes after `closeSolvedAfter` without activity. Agents only. */
    async solve(input: TicketCommandInput): Promise<TicketView> {
      const p = parseInput(ticketCommandSchema, input, 'solve command');
      return command(p.ticketId, (at) => ({ type: 'solve', at, actor: p.actor, policy: timing }));
    },

    /** Changes the priority. Agents only. */
    async setPriority(input: SetPriorityInput): Promise<TicketView> {
      const p = parseInput(setPrioritySchema, input, 'priority change');
      return command(
        p.ticketId,
        (at) => ({ type: 'setPriority', at, actor: p.actor, priority: p.priority, policy: timing }),
        {
          priority: p.priority,
        },
      );
    },

    /**
     * Merges `sourceId` into `targetId`: the source is closed with `mergedInto`, and history is
     * written on both. Refused (MERGE_NOT_ALLOWED) for a self-merge, a closed or merged target,
     * or a cycle.
     */
    async merge(input: MergeInput): Promise<{ source: TicketView; target: TicketView }> {
      const p = parseInput(mergeSchema, input, 'merge');
      if (p.sourceId === p.targetId)
        throw ticketErrors.raise(
          'MERGE_NOT_ALLOWED',
          { reason: 'self', ticketId: p.sourceId },
          'A ticket cannot be merged into itself.',
        );
      const done = await run(async (uow) => {
        const source = await loadTicket(uow, p.sourceId);
        const target = await loadTicket(uow, p.targetId);
        if (target.context.mergedInto !== null) {
          throw ticketErrors.raise(
            'MERGE_NOT_ALLOWED',
            { reason: 'target_merged', targetId: p.targetId },
            `Ticket #${target.context.number} was itself merged into another ticket.`,
          );
        }
        if (target.value === 'closed') {
          throw ticketErrors.raise(
            'MERGE_NOT_ALLOWED',
            { reason: 'target_closed', targetId: p.targetId },
            `Ticket #${target.context.number} is closed.`,
          );
        }
        if (target.context.mergedFrom.includes(p.sourceId) || source.context.mergedFrom.includes(p.targetId)) {
          throw ticketErrors.raise(
            'MERGE_NOT_ALLOWED',
            { reason: 'cycle' },
            'These tickets are already merged with each other.',
          );
        }
        const merged = apply(
          uow,
          source,
          { type: 'mergeInto', at: uow.now, actor: p.actor, targetId: p.targetId, policy: timing },
          { targetId: p.targetId, targetNumber: target.context.number },
        );
        const into = apply(
          uow,
          target,
          { type: 'mergeFrom', at: uow.now, actor: p.actor, sourceId: p.sourceId, policy: timing },
          { sourceId: p.sourceId, sourceNumber: source.context.number },
        );
        return { source: committed(uow, merged), target: committed(uow, into) };
      });
      return { source: viewOfCommitted(done.source), target: viewOfCommitted(done.target) };
    },

    /** The ticket, or TICKET_NOT_FOUND. */
    async get(ticketId: string): Promise<TicketView> {
      return view(parseInput(ticketIdSchema, ticketId, 'ticket id'));
    },

    /** The ticket with that number (as in `[#12345]`), or TICKET_NOT_FOUND. */
    async getByNumber(ticketNumber: number): Promise<TicketView> {
      const n = parseInput(ticketNumberSchema, ticketNumber, 'ticket number');
      const [record] = await storage.list(TICKET_KIND, { where: { number: String(n) }, limit: 1 });
      if (!record) throw ticketErrors.raise('TICKET_NOT_FOUND', { number: n }, `No ticket with number ${n}.`);
      return viewOf(record);
    },

    /** Tickets by requester, organisation and/or status, oldest first, with cursor paging. */
    async list(query: ListTicketsInput = {}): Promise<TicketPage> {
      const q = parseInput(listTicketsSchema, query, 'ticket query');
      const where: Record<string, string> = {};
      if (q.requesterId !== undefined) where.requester = q.requesterId;
      if (q.organizationId !== undefined) where.organization = q.organizationId;
      if (q.status !== undefined) where.status = q.status;
      const records = await storage.list(TICKET_KIND, {
        where,
        limit: q.limit + 1,
        ...(q.cursor !== undefined ? { after: q.cursor } : {}),
      });
      const page = records.slice(0, q.limit).map(viewOf);
      return { tickets: page, nextCursor: records.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    /** The ticket's history: who, when, what, and from which status to which. */
    async history(ticketId: string): Promise<HistoryEntry[]> {
      const id = parseInput(ticketIdSchema, ticketId, 'ticket id');
      await view(id);
      return storage.history(TICKET_KIND, id);
    },
  };

  /** Fires the ticket's due deadlines, earliest first, each through its guarded timer event. */
  const onDue: DueHandler = async (uow, record) => {
    let snapshot = restoreSnapshot(ticketMachine, record.state as unknown as StoredTicket);
    const fired: FiredTimer[] = [];
    for (let i = 0; i < 12; i++) {
      const due = dueTimers(snapshot.context, uow.now, timing)[0];
      if (!due) break;
      const [dueAt, event, data] = due;
      snapshot = apply(uow, snapshot, event, { dueAt, ...data });
      fired.push({ kind: TICKET_KIND, id: record.id, event: event.type, dueAt, ...(data.metric ? { data } : {}) });
    }
    if (fired.length === 0) save(uow, snapshot); // ends the claim; stores the deadline as it is
    return fired;
  };

  return { service, onDue };
}

export type TicketService = ReturnType<typeof createTicketService>['service'];
