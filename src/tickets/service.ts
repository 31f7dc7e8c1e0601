import type { CoreDeps } from '../engine/deps.js';
import type { DueHandler, FiredTimer } from '../engine/timers.js';
import { runCommand, type UnitOfWork } from '../engine/unit-of-work.js';
import { parseInput } from '../engine/validate.js';
import type { Json } from '../ports/json.js';
import {
  acting,
  historyActorOf,
  requireSee,
  requireSubmit,
  requireSupport,
  ticketNotFound,
  type TicketCaller,
} from './access.js';
import { buildTicketTitle, completenessReport } from './content.js';
import type { NoticeExtra } from './notices.js';
import type { TicketOptions } from './options.js';
import type { TicketPolicy } from './policy.js';
import { resultView, TICKET_KIND, ticketAggregate, ticketNumberOf, type LoadedTicket, type Repeat } from './records.js';
import {
  addNoteSchema,
  assignSchema,
  mergeSchema,
  replySchema,
  setPrioritySchema,
  submitTicketSchema,
  ticketCommandSchema,
} from './schemas.js';
import { priorityChannelAdvice, suggestPriority } from './suggest-priority.js';
import type { TicketInput, TicketActor, TicketEvent, TicketStatus } from './ticket-machine.js';
import type { TicketService } from './ticket-service.js';
import { createTicketReads } from './ticket-reads.js';
import { addNote, appendMessage } from './conversation.js';
import { mergeRefused, requireMergeable } from './merge-rules.js';
import { fireDue, isDue } from './timers.js';
import { openFollowUp } from './follow-up.js';
import { mailReplier, requireRequesterSideReply } from './followers.js';
import { createTicketPeople, preloadReply, takeTicketNumber, ticketCommandReads } from './ticket-people.js';
import type { SurveyWiring } from './survey.js';
import { createGuestAccess, type GuestAccessOptions } from './guest-access.js';
import { fieldsSchemaOf, queueConfirmation, submitShape } from './submit-shape.js';
import { createTicketUpdate } from './ticket-update.js';
import { commandKeys, rememberKey, repeatOf } from './command-keys.js';
import { callerForSubmit, duplicatesAmong, readForSubmit, submitScoper, type SubmitReads } from './submit-reads.js';

/** The deadlines a command fires first when they passed unswept (`caughtUp`): those that record what happened. */
const CATCH_UP: ReadonlySet<TicketEvent['type']> = new Set(['timer.autoResolve', 'timer.close', 'timer.slaBreach']);

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
  // The host's agent addresses and fields (and, from createHelpdesk, the survey's and guest links' pepper and base URL).
  options: TicketOptions & SurveyWiring & GuestAccessOptions = {},
): { service: TicketService; onDue: DueHandler } {
  const { storage, clock, ids } = deps;
  const calendar = policy.sla.calendar;
  const now = () => clock.now();
  // Not `async`: returning runCommand's promise as it is saves the promise hops of a wrapper.
  const run = <T>(handler: (uow: UnitOfWork) => Promise<T>): Promise<T> => runCommand(storage, now, handler);
  const answer = (result: LoadedTicket | Repeat) => resultView(result, clock.now(), calendar);
  const guests = createGuestAccess(options);
  const submitScope = submitScoper(options.pepper);
  const keys = commandKeys(options.pepper);
  const reads = createTicketReads(deps, policy, guests);
  const { read } = reads;
  const people = createTicketPeople(deps, policy, options, { run, answer, catchUp }, guests);
  const followUpSteps = { ids, policy, create, apply };

  /** Steps one ticket with one event: the next state, one history entry (from/to status) and the mails. */
  function apply(
    uow: UnitOfWork,
    ticket: LoadedTicket,
    event: TicketEvent,
    data: Record<string, Json> = {},
    extra: NoticeExtra = {},
    historyActor?: Json,
  ): LoadedTicket {
    const { next, effects, from } = ticketAggregate.apply(uow, ticket, event, {
      history: (stepped, from) => ({
        type: `ticket.${event.type}`,
        actor: historyActor ?? ('actor' in event ? describeActor(event.actor) : { role: 'system' }),
        data: { from: from as TicketStatus, to: statusOf(stepped), ...data },
      }),
    });
    people.send(uow, event, from as TicketStatus, statusOf(next), next.snapshot.context, effects, extra);
    return next;
  }

  /**
   * A command on a ticket whose deadline passed before the host's sweep reached it first fires that
   * deadline, dated at its due time, as the sweep would have: the same step, history entry and mails
   * (`onDue` below). So the outcome does not hang on when the sweep runs: a requester's reply at
   * 72:00 finds the ticket solved and reopens it, one 28 days after the solve opens a follow-up, an
   * agent's late first response is recorded as a breach. It fires once a deadline that records
   * what happened (auto-resolve, close, SLA breach) is due, and then every deadline due before the
   * last of those too, in order, as the sweep would (a survey due a day after the solve goes out
   * before the close 28 days later). Reminders, warnings and the survey due on their own are
   * notices, left to the sweep (the command may make them moot).
   */
  function caughtUp(uow: UnitOfWork, ticket: LoadedTicket): LoadedTicket {
    return fireDue(ticket, uow.now, policy, (t, event, data) => apply(uow, t, event, data), CATCH_UP).ticket;
  }

  /**
   * `caughtUp` for the commands built outside this file (update, follow, unfollow): the mails'
   * reads (`people.prepare`) are made only when a deadline is due, so the common case reads nothing more.
   */
  async function catchUp(uow: UnitOfWork, loaded: LoadedTicket): Promise<LoadedTicket> {
    if (!isDue(loaded.snapshot.context, uow.now, policy, CATCH_UP)) return loaded;
    await people.prepare(uow, loaded, 'update');
    return caughtUp(uow, loaded);
  }

  /**
   * Creates a ticket (status new) with its history entry, the description as the first public
   * message, and, unless it is a follow-up, the confirmation mail.
   */
  function create(uow: UnitOfWork, input: NewTicket, actor: Json, guestLink: string | null = null): LoadedTicket {
    const created = ticketAggregate.create(uow, { ...input, sla: policy.sla });
    const next = appendMessage(uow, created.next, {
      visibility: 'public',
      author: { role: 'requester', id: input.requesterId },
      side: 'requester',
      body: input.content.description,
      attachments: [],
      channel: input.channel,
    });
    const { followUpOf, number, channel, priority } = input;
    ticketAggregate.record(uow, input.id, {
      type: 'ticket.submitted',
      actor,
      data: { from: null, to: 'new', number, channel, priority, followUpOf },
    });
    if (followUpOf === null) queueConfirmation(uow, ids, input, guestLink);
    return next;
  }

  /**
   * Runs one support command against one ticket and answers with its new view: TICKET_NOT_FOUND
   * for a ticket the caller may not see, PERMISSION_DENIED for a requester-side caller.
   */
  async function command(
    input: { ticketId: string; auth?: TicketCaller | undefined; actor?: TicketActor | undefined },
    makeEvent: (at: number, actor: TicketActor) => TicketEvent,
    data: Record<string, Json> = {},
  ) {
    return answer(
      await run(async (uow) => {
        const type = makeEvent(0, { role: 'system' }).type;
        await uow.preload(ticketCommandReads(input.ticketId, type, input.auth));
        const who = await acting(uow, input.auth, input.actor, guests);
        const loaded = await ticketAggregate.load(uow, input.ticketId);
        await people.prepare(uow, loaded, type);
        requireSee(who.caller, loaded.snapshot.context);
        requireSupport(who.caller, type);
        const ticket = caughtUp(uow, loaded);
        return apply(uow, ticket, makeEvent(uow.now, who.actor), data, {}, who.history);
      }),
    );
  }

  const service: TicketService = {
    async submit(input) {
      const parsed = parseInput(submitTicketSchema, input, 'ticket');
      // Checked before anything is written; a logged-in requester is the requester (auth wins).
      const { caller, reads: early } = await callerForSubmit(storage, parsed.auth, parsed.idempotencyKey, submitScope);
      requireSubmit(caller);
      const self = caller.kind === 'account' || caller.kind === 'phone' ? caller : null;
      const requester = self
        ? {
            id: self.requesterId,
            email: self.email,
            locale: parsed.requester?.locale ?? self.locale ?? undefined,
          }
        : parsed.requester!; // the schema requires it unless the caller is a requester
      const organizationId = self ? self.organizationId : (parsed.organizationId ?? null);
      const filedBy: Json | null =
        caller.kind === 'agent'
          ? historyActorOf(caller)
          : // A host-vouched `filedBy` counts only when the host acts as itself, never next to a requester's auth.
            caller.kind === 'host' && parsed.filedBy
            ? describeActor(parsed.filedBy)
            : null;
      const shape = await submitShape(caller, parsed, fieldsSchemaOf(options), guests, deps.random);
      const scope = submitScope(requester.id);
      const priority = parsed.priority ?? (parsed.impact ? suggestPriority(parsed.impact) : 'normal');
      const key = parsed.idempotencyKey;
      let reads: SubmitReads | undefined; // number, requester's tickets, key: one round trip (submit-reads.ts)
      let first = early; // a logged-in requester's, read with their record
      const outcome = await run(async (uow) => {
        const idempotency = key === undefined ? null : { scope, key };
        reads =
          first ??
          (await readForSubmit(storage, reads, { requesterId: requester.id, idempotency, mailTo: requester.email }));
        first = undefined;
        if (reads.replayOf !== null) return { ticketId: reads.replayOf, created: null };
        const number = ticketNumberOf(policy, reads.sequence);
        const ticketId = ids.next('tkt_');
        const created = create(
          uow,
          {
            id: ticketId,
            number,
            title: buildTicketTitle(parsed.content.organization, parsed.content.subject),
            content: parsed.content,
            requesterId: requester.id,
            requesterEmail: requester.email,
            ...('name' in requester && requester.name !== undefined ? { requesterName: requester.name } : {}),
            locale: requester.locale ?? deps.locale,
            organizationId,
            channel: parsed.channel,
            priority,
            assigneeId: null,
            createdAt: uow.now,
            followUpOf: null,
            ...shape.input,
          },
          filedBy ?? (self ? self.actor : { role: 'requester', id: requester.id }),
          shape.link,
        );
        shape.store(uow, ticketId);
        if (parsed.idempotencyKey !== undefined) uow.idempotency(scope, parsed.idempotencyKey, { ticketId });
        return { ticketId, created };
      });
      // A replay answers only what the caller may see (an agent of another group: TICKET_NOT_FOUND).
      const ticket = outcome.created ? answer(outcome.created) : await read(outcome.ticketId, caller);
      return {
        ticket,
        created: outcome.created !== null,
        completeness: completenessReport(ticket.content),
        possibleDuplicates: duplicatesAmong(reads!.requesterTickets, ticket.content.subject, ticket.id, caller),
        channelAdvice: priorityChannelAdvice(ticket.priority),
        guestToken: outcome.created ? shape.token : null,
      };
    },

    async reply(input) {
      const p = parseInput(replySchema, input, 'reply');
      let followUpNumber: number | null = null;
      const done = await run(async (uow) => {
        const mail = p.auth !== undefined && 'role' in p.auth && p.auth.role === 'mail' ? p.auth : null;
        const taken = await preloadReply(uow, policy, p.ticketId, p.auth, followUpNumber === null, guests);
        followUpNumber = taken ?? followUpNumber;
        const early = mail ? null : await acting(uow, p.auth, p.author, guests);
        const loaded = await ticketAggregate.load(uow, p.ticketId);
        const ctx = loaded.snapshot.context;
        // A mail sender is known only against the ticket: the requester or a CC'd colleague.
        const who = early ?? (await mailReplier(uow, mail!.from, ctx));
        await people.prepare(uow, loaded, 'reply');
        // A mail sender passed its reply rule in mailReplier.
        if (mail === null && who.actor.role === 'requester') {
          if (p.auth !== undefined) requireRequesterSideReply(who.caller, ctx);
          else if (who.actor.id !== ctx.requesterId) throw ticketNotFound(ctx.id); // the deprecated author
        } else if (mail === null) requireSee(who.caller, ctx);
        const key = keys('reply', p.ticketId, who.actor, p.idempotencyKey);
        const repeat = await repeatOf(uow, key, loaded);
        if (repeat !== null) return repeat;
        const ticket = caughtUp(uow, loaded);
        if (statusOf(ticket) === 'closed' && who.actor.role === 'requester') {
          followUpNumber ??= await takeTicketNumber(storage, policy);
          const followUp = openFollowUp(uow, followUpSteps, ticket, who.actor, p.body, followUpNumber, who.history);
          return rememberKey(uow, key, followUp);
        }
        rememberKey(uow, key, ticket);
        const event = { type: 'reply', at: uow.now, actor: who.actor, askForInfo: p.askForInfo, policy } as const;
        const stepped = apply(
          uow,
          ticket,
          event,
          { body: p.body, askForInfo: p.askForInfo },
          { body: p.body },
          who.history,
        );
        return appendMessage(uow, stepped, {
          visibility: 'public',
          author: who.history,
          side: who.actor.role === 'agent' ? 'agent' : 'requester',
          body: p.body,
          attachments: p.attachments,
          channel: p.channel ?? (mail ? 'email' : 'web'),
        });
      });
      return answer(done);
    },

    async addNote(input) {
      const p = parseInput(addNoteSchema, input, 'note');
      return answer(await run((uow) => addNote(uow, p, keys, guests)));
    },

    async assign(input) {
      const p = parseInput(assignSchema, input, 'assignment');
      return command(p, (at, actor) => ({ type: 'assign', at, actor, assigneeId: p.assigneeId, policy }), {
        assigneeId: p.assigneeId,
      });
    },

    async hold(input) {
      const p = parseInput(ticketCommandSchema, input, 'hold command');
      return command(p, (at, actor) => ({ type: 'hold', at, actor, policy }));
    },

    async resume(input) {
      const p = parseInput(ticketCommandSchema, input, 'resume command');
      return command(p, (at, actor) => ({ type: 'resume', at, actor, policy }));
    },

    async solve(input) {
      const p = parseInput(ticketCommandSchema, input, 'solve command');
      return command(p, (at, actor) => ({ type: 'solve', at, actor, policy }));
    },

    async setPriority(input) {
      const p = parseInput(setPrioritySchema, input, 'priority change');
      return command(p, (at, actor) => ({ type: 'setPriority', at, actor, priority: p.priority, policy }), {
        priority: p.priority,
      });
    },

    async merge(input) {
      const p = parseInput(mergeSchema, input, 'merge');
      if (p.sourceId === p.targetId)
        throw mergeRefused('self', { ticketId: p.sourceId }, 'A ticket cannot be merged into itself.');
      const done = await run(async (uow) => {
        const who = await acting(uow, p.auth, p.actor, guests);
        await uow.preload([p.sourceId, p.targetId].map((id) => ({ op: 'load', kind: TICKET_KIND, id }) as const));
        const loadedSource = await ticketAggregate.load(uow, p.sourceId);
        const loadedTarget = await ticketAggregate.load(uow, p.targetId);
        requireSee(who.caller, loadedSource.snapshot.context);
        requireSee(who.caller, loadedTarget.snapshot.context);
        requireSupport(who.caller, 'merge');
        const source = caughtUp(uow, loadedSource);
        const target = caughtUp(uow, loadedTarget);
        requireMergeable(source, target);
        const t = target.snapshot.context;
        const at = uow.now;
        return {
          source: apply(
            uow,
            source,
            { type: 'mergeInto', at, actor: who.actor, targetId: p.targetId, policy },
            { targetId: p.targetId, targetNumber: t.number },
            {},
            who.history,
          ),
          target: apply(
            uow,
            target,
            { type: 'mergeFrom', at, actor: who.actor, sourceId: p.sourceId, policy },
            { sourceId: p.sourceId, sourceNumber: source.snapshot.context.number },
            {},
            who.history,
          ),
        };
      });
      return { source: answer(done.source), target: answer(done.target) };
    },

    update: createTicketUpdate(deps, policy, fieldsSchemaOf(options), guests, catchUp),
    ...reads.service,
    ...people.service,
  };

  /** Fires the ticket's due deadlines, earliest first, each through its guarded timer event. */
  const onDue: DueHandler = people.due(async (uow, record) => {
    const stepped = fireDue(ticketAggregate.fromRecord(record), uow.now, policy, (t, event, data) =>
      apply(uow, t, event, data),
    );
    const { ticket } = stepped;
    const fired = stepped.fired.map(([dueAt, event, data]): FiredTimer => ({
      kind: TICKET_KIND,
      id: record.id,
      event: event.type,
      dueAt,
      ...(data.metric ? { data } : {}),
    }));
    if (fired.length === 0) ticketAggregate.save(uow, ticket); // ends the claim; stores the deadline as it is
    return fired;
  });

  return { service, onDue };
}

export type { TicketService, SubmitResult, TicketPage } from './ticket-service.js';
