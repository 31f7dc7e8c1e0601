import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Locale } from '../messages/locales.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Json } from '../ports/json.js';
import { requesterMailbox } from './followers.js';
import type { NoticeExtra } from './notices.js';
import type { TicketPolicy } from './policy.js';
import type { LoadedTicket } from './records.js';
import type { TicketActor, TicketEvent, TicketInput } from './ticket-machine.js';

/** The ticket service's steps a follow-up is made of (`create` and `apply` in `service.ts`). */
export interface FollowUpSteps {
  ids: IdGenerator;
  policy: TicketPolicy;
  create(uow: UnitOfWork, input: Omit<TicketInput, 'sla'>, actor: Json): LoadedTicket;
  apply(
    uow: UnitOfWork,
    ticket: LoadedTicket,
    event: TicketEvent,
    data?: Record<string, Json>,
    extra?: NoticeExtra,
    historyActor?: Json,
  ): LoadedTicket;
}

/** A requester's reply to a closed ticket: a follow-up ticket linked to it, and a mail with its number. */
export function openFollowUp(
  uow: UnitOfWork,
  { ids, policy, create, apply }: FollowUpSteps,
  closed: LoadedTicket,
  author: TicketActor,
  body: string,
  number: number,
  historyActor: Json,
): LoadedTicket {
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
    historyActor,
  );
  const mailbox = requesterMailbox(ctx);
  if (mailbox !== null) {
    queueMessage(uow, ids, 'email', mailbox, 'ticket.follow_up_created', ctx.locale as Locale, {
      number,
      previousNumber: ctx.number,
      title: ctx.title,
    });
  }
  apply(
    uow,
    closed,
    { type: 'linkFollowUp', at: uow.now, actor: author, followUpId, policy },
    { followUpId },
    {},
    historyActor,
  );
  return created;
}

/**
 * The fields a follow-up ticket takes over from the closed one, its group too: the follow-up
 * stays in the queue that handled the matter (and out of sight of agents of other groups).
 */
function pick(ctx: LoadedTicket['snapshot']['context']) {
  const { title, requesterId, requesterEmail, locale, organizationId, channel, priority } = ctx;
  return {
    title,
    requesterId,
    requesterEmail,
    locale,
    organizationId,
    channel,
    priority,
    groupId: ctx.groupId ?? null,
    ...(ctx.requesterName !== undefined ? { requesterName: ctx.requesterName } : {}),
  };
}
