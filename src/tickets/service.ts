import type { CoreDeps } from '../engine/deps.js';
import { queueMessage } from '../engine/notify.js';
import type { DueHandler, FiredTimer } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { Locale } from '../messages/locales.js';
import type { Json } from '../ports/json.js';
import { buildTicketTitle, completenessReport } from './content.js';
import { ticketErrors } from './error-codes.js';
import { sendTicketNotices, type NoticeExtra } from './notices.js';
import type { TicketPolicy } from './policy.js';
import {
  committedView,
  OPEN_STATUSES,
  TICKET_KIND,
  ticketAggregate,
  toView,
  type LoadedTicket,
  type StoredTicket,
  type TicketView,
} from './records.js';
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
} from './schemas.js';
import { isNearDuplicateSubject } from './similarity.js';
import { priorityChannelAdvice, suggestPriority } from './suggest-priority.js';
import type { TicketInput, TicketActor, TicketEvent, TicketStatus } from './ticket-machine.js';
import type { TicketService } from './ticket-service.js';
import { dueTimers } from './timers.js';

/** What a new ticket starts from; the machine fills in the rest of its context. */
type NewTicket = Omit<TicketInput, 'sla'>;

const describeActor = (actor: TicketActor): Json => ({ ...actor });
const statusOf = (ticket: LoadedTicket) => ticket.snapshot.value as TicketStatus;

/**
 * The ticket service behind `desk.tickets` (declared in `ticket-service.ts`). Each command reads:
 * parse, load, step, answer; the ticket aggregate (`records.ts`) does the storing, the refusals
 * and the deadline, `notices.ts` the mails. Returns `{ service, onDue }`: `onDue` fires a ticket's
 * due deadlines for `runDueTimers()`.
 */
export function createTicketService(
  deps: CoreDeps,
  policy: TicketPolicy,
): { service: TicketService; onDue: DueHandler } {
  const { storage, clock, ids } = deps;
  const calendar = policy.sla.calendar;
  const now = () => clock.now();
  // Not `async`: returning runCommand's promise as it is saves the promise hops of a wrapper.
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>): Promise<T> => runCommand(storage, now, handler);
  const answer = (ticket: LoadedTicket) => committedView(ticket, clock.now(), calendar);

  /** Steps one ticket with one event: the next state, one history entry (from/to status) and the mails. */
  function apply(
    uow: UnitOfWork,
    ticket: LoadedTicket,
    event: TicketEvent,
    data: Record<string, Json> = {},
    extra: NoticeExtra = {},
  ): LoadedTicket {
    const { next, effects } = ticketAggregate.apply(uow, ticket, event, {
      history: (stepped, from) => ({
        type: `ticket.${event.type}`,
        actor: 'actor' in event ? describeActor(event.actor) : { role: 'system' },
        data: { from: from as TicketStatus, to: statusOf(stepped), ...data },
      }),
    });
    sendTicketNotices(uow, ids, next.snapshot.context, effects, extra);
    return next;
  }

  /** Creates a ticket (status new) with its history entry and, unless it is a follow-up, the confirmation mail. */
  function create(uow: UnitOfWork, input: NewTicket, actor: Json): LoadedTicket {
    const { next } = ticketAggregate.create(uow, { ...input, sla: policy.sla });
    const { followUpOf, number, channel, priority } = input;
    ticketAggregate.record(uow, input.id, {
      type: 'ticket.submitted',
      actor,
      data: { from: null, to: 'new', number, channel, priority, followUpOf },
    });
    if (followUpOf === null) {
      queueMessage(uow, ids, 'email', input.requesterEmail, 'ticket.confirmation', input.locale as Locale, {
        number,
        title: input.title,
      });
    }
    return next;
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

  async function read(ticketId: string): Promise<TicketView> {
    const record = await storage.load(TICKET_KIND, ticketId);
    if (!record) throw ticketErrors.raise('TICKET_NOT_FOUND', { ticketId }, `No ticket with id "${ticketId}".`);
    return toView(record, clock.now(), calendar);
  }

  /** Runs one event against one ticket and answers with its new view. */
  async function command(ticketId: string, makeEvent: (at: number) => TicketEvent, data: Record<string, Json> = {}) {
    return answer(
      await run(async (uow) => apply(uow, await ticketAggregate.load(uow, ticketId), makeEvent(uow.now), data)),
    );
  }

  /** A requester's reply to a closed ticket: a follow-up ticket linked to it, and a mail with its number. */
  function followUp(uow: UnitOfWork, closed: LoadedTicket, author: TicketActor, body: string, number: number) {
    const ctx = closed.snapshot.context;
    const followUpId = ids.next('tkt_');
    const created = create(
      uow,
      {
        ...pick(ctx),
        id: followUpId,
        number,
        content: { ...ctx.content, description: body },
        assigneeId: null,
        createdAt: uow.now,
        followUpOf: ctx.id,
      },
      describeActor(author),
    );
    queueMessage(uow, ids, 'email', ctx.requesterEmail, 'ticket.follow_up_created', ctx.locale as Locale, {
      number,
      previousNumber: ctx.number,
      title: ctx.title,
    });
    apply(uow, closed, { type: 'linkFollowUp', at: uow.now, actor: author, followUpId, policy }, { followUpId });
    return created;
  }

  const service: TicketService = {
    async submit(input) {
      const parsed = parseInput(submitTicketSchema, input, 'ticket');
      const scope = `ticket.submit:${parsed.requester.id}`;
      const priority = parsed.priority ?? (parsed.impact ? suggestPriority(parsed.impact) : 'normal');
      let number: number | null = null;
      const outcome = await run(async (uow) => {
        if (parsed.idempotencyKey !== undefined) {
          const existing = (await storage.getIdempotency(scope, parsed.idempotencyKey)) as { ticketId: string } | null;
          if (existing) return { ticketId: existing.ticketId, created: null };
        }
        number ??= await nextNumber();
        const ticketId = ids.next('tkt_');
        const created = create(
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
        return { ticketId, created };
      });
      const ticket = outcome.created ? answer(outcome.created) : await read(outcome.ticketId);
      return {
        ticket,
        created: outcome.created !== null,
        completeness: completenessReport(ticket.content),
        possibleDuplicates: await possibleDuplicates(ticket.requesterId, ticket.content.subject, ticket.id),
        channelAdvice: priorityChannelAdvice(ticket.priority),
      };
    },

    async reply(input) {
      const p = parseInput(replySchema, input, 'reply');
      let followUpNumber: number | null = null;
      const done = await run(async (uow) => {
        const ticket = await ticketAggregate.load(uow, p.ticketId);
        const ctx = ticket.snapshot.context;
        if (statusOf(ticket) === 'closed' && p.author.role === 'requester') {
          if (p.author.id !== ctx.requesterId) throw notYours(ctx.id);
          followUpNumber ??= await nextNumber();
          return followUp(uow, ticket, p.author, p.body, followUpNumber);
        }
        if (p.author.role === 'requester' && p.author.id !== ctx.requesterId) throw notYours(ctx.id);
        const event = { type: 'reply', at: uow.now, actor: p.author, askForInfo: p.askForInfo, policy } as const;
        return apply(uow, ticket, event, { body: p.body, askForInfo: p.askForInfo }, { body: p.body });
      });
      return answer(done);
    },

    async assign(input) {
      const p = parseInput(assignSchema, input, 'assignment');
      return command(p.ticketId, (at) => ({ type: 'assign', at, actor: p.actor, assigneeId: p.assigneeId, policy }), {
        assigneeId: p.assigneeId,
      });
    },

    async hold(input) {
      const p = parseInput(ticketCommandSchema, input, 'hold command');
      return command(p.ticketId, (at) => ({ type: 'hold', at, actor: p.actor, policy }));
    },

    async resume(input) {
      const p = parseInput(ticketCommandSchema, input, 'resume command');
      return command(p.ticketId, (at) => ({ type: 'resume', at, actor: p.actor, policy }));
    },

    async solve(input) {
      const p = parseInput(ticketCommandSchema, input, 'solve command');
      return command(p.ticketId, (at) => ({ type: 'solve', at, actor: p.actor, policy }));
    },

    async setPriority(input) {
      const p = parseInput(setPrioritySchema, input, 'priority change');
      return command(p.ticketId, (at) => ({ type: 'setPriority', at, actor: p.actor, priority: p.priority, policy }), {
        priority: p.priority,
      });
    },

    async merge(input) {
      const p = parseInput(mergeSchema, input, 'merge');
      if (p.sourceId === p.targetId)
        throw mergeRefused('self', { ticketId: p.sourceId }, 'A ticket cannot be merged into itself.');
      const done = await run(async (uow) => {
        const source = await ticketAggregate.load(uow, p.sourceId);
        const target = await ticketAggregate.load(uow, p.targetId);
        const t = target.snapshot.context;
        if (t.mergedInto !== null)
          throw mergeRefused(
            'target_merged',
            { targetId: p.targetId },
            `Ticket #${t.number} was itself merged into another ticket.`,
          );
        if (statusOf(target) === 'closed')
          throw mergeRefused('target_closed', { targetId: p.targetId }, `Ticket #${t.number} is closed.`);
        if (t.mergedFrom.includes(p.sourceId) || source.snapshot.context.mergedFrom.includes(p.targetId))
          throw mergeRefused('cycle', {}, 'These tickets are already merged with each other.');
        const at = uow.now;
        return {
          source: apply(
            uow,
            source,
            { type: 'mergeInto', at, actor: p.actor, targetId: p.targetId, policy },
            {
              targetId: p.targetId,
              targetNumber: t.number,
            },
          ),
          target: apply(
            uow,
            target,
            { type: 'mergeFrom', at, actor: p.actor, sourceId: p.sourceId, policy },
            {
              sourceId: p.sourceId,
              sourceNumber: source.snapshot.context.number,
            },
          ),
        };
      });
      return { source: answer(done.source), target: answer(done.target) };
    },

    async get(ticketId) {
      return read(parseInput(ticketIdSchema, ticketId, 'ticket id'));
    },

    async getByNumber(ticketNumber) {
      const n = parseInput(ticketNumberSchema, ticketNumber, 'ticket number');
      const [record] = await storage.list(TICKET_KIND, { where: { number: String(n) }, limit: 1 });
      if (!record) throw ticketErrors.raise('TICKET_NOT_FOUND', { number: n }, `No ticket with number ${n}.`);
      return toView(record, clock.now(), calendar);
    },

    async list(query = {}) {
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
      const page = records.slice(0, q.limit).map((record) => toView(record, clock.now(), calendar));
      return { tickets: page, nextCursor: records.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    async history(ticketId) {
      const id = parseInput(ticketIdSchema, ticketId, 'ticket id');
      await read(id);
      return storage.history(TICKET_KIND, id);
    },
  };

  /** Fires the ticket's due deadlines, earliest first, each through its guarded timer event. */
  const onDue: DueHandler = async (uow, record) => {
    let ticket = ticketAggregate.fromRecord(record);
    const fired: FiredTimer[] = [];
    for (let i = 0; i < 12; i++) {
      const due = dueTimers(ticket.snapshot.context, uow.now, policy)[0];
      if (!due) break;
      const [dueAt, event, data] = due;
      ticket = apply(uow, ticket, event, { dueAt, ...data });
      fired.push({ kind: TICKET_KIND, id: record.id, event: event.type, dueAt, ...(data.metric ? { data } : {}) });
    }
    if (fired.length === 0) ticketAggregate.save(uow, ticket); // ends the claim; stores the deadline as it is
    return fired;
  };

  return { service, onDue };
}

/** The fields a follow-up ticket takes over from the closed one. */
function pick(ctx: LoadedTicket['snapshot']['context']) {
  const { title, requesterId, requesterEmail, locale, organizationId, channel, priority } = ctx;
  return { title, requesterId, requesterEmail, locale, organizationId, channel, priority };
}

/**
 * A requester acting on someone else's ticket: TICKET_NOT_FOUND, exactly as for a ticket that does
 * not exist, so neither its existence nor its status leaks.
 */
function notYours(ticketId: string) {
  return ticketErrors.raise('TICKET_NOT_FOUND', { ticketId }, `No ticket with id "${ticketId}".`);
}

function mergeRefused(reason: string, details: Record<string, unknown>, message: string) {
  return ticketErrors.raise('MERGE_NOT_ALLOWED', { reason, ...details }, message);
}

export type { TicketService, SubmitResult, TicketPage } from './ticket-service.js';
