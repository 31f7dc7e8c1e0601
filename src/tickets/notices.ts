import type { IdGenerator } from '../ports/id-generator.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { formatDateTime } from '../messages/format.js';
import type { Locale } from '../messages/locales.js';
import { recipientsOf, type FollowerAccounts } from './followers.js';
import type { TicketOptions } from './options.js';
import type { StatusNoticePolicy } from './people.js';
import type { TicketEffect } from './records.js';
import { statusNoticeOf, agentNoticeOf, type StatusChange } from './status-notices.js';
import type { TicketContext } from './ticket-machine.js';

/** Text a notice carries that is not in the ticket: the body of the reply it reports. */
export interface NoticeExtra {
  body?: string;
}

/** What the mails of one step need besides the ticket: the ids, the switches and the host's agent addresses. */
export interface NoticeSetup {
  ids: IdGenerator;
  /** The desk's locale: agents' mails are written in it. */
  locale: Locale;
  notices: StatusNoticePolicy;
  agentAddress: TicketOptions['agentAddress'];
  /** How the requester is greeted (display name, else login, else the address's local part). */
  requesterName: (context: TicketContext) => string;
  /** The CC'd followers' accounts as stored now: a follower missing from it gets no mail. */
  followerAccounts: FollowerAccounts;
}

/**
 * Carries out the ticket machine's effects in the command's unit of work, rendered in the
 * ticket's locale: the mails to the requester it asked for (reminder, automatic solve), a public
 * agent reply to the requester and every follower (each address once, never the reply's author),
 * and, from the status change, the status notices to the requester and followers and the notice
 * to the assignee (else the group) of a requester-side reply. The survey mail is `survey.ts`'s.
 */
export function sendTicketNotices(
  uow: UnitOfWork,
  setup: NoticeSetup,
  context: TicketContext,
  effects: readonly TicketEffect[],
  extra: NoticeExtra = {},
  change: StatusChange | null = null,
): void {
  const { ids } = setup;
  const locale = context.locale as Locale;
  const base = { number: context.number, title: context.title };
  const agentMail = (agentId: string) => setup.agentAddress?.({ agentId }) ?? null;
  for (const effect of effects) {
    switch (effect.params.template) {
      case 'ticket.reminder':
        if (context.requesterEmail === null) break; // a phone principal's ticket: no mail address
        queueMessage(uow, ids, 'email', context.requesterEmail, 'ticket.reminder', locale, {
          ...base,
          autoResolveAt: formatDateTime(context.autoResolveAt ?? uow.now, locale),
        });
        break;
      case 'ticket.auto_solved':
        if (context.requesterEmail === null) break;
        queueMessage(uow, ids, 'email', context.requesterEmail, 'ticket.auto_solved', locale, base);
        break;
      case 'ticket.agent_reply': {
        const author = change?.actor.role === 'agent' ? change.actor.id : null;
        for (const to of recipientsOf(
          context,
          author === null ? [] : [agentMail(author)],
          author,
          setup.followerAccounts,
        )) {
          queueMessage(uow, ids, 'email', to.email, 'ticket.agent_reply', locale, { ...base, body: extra.body ?? '' });
        }
        break;
      }
    }
  }
  if (change === null) return;
  const notice = statusNoticeOf(change, setup.notices);
  if (notice !== null) {
    // The agent who changed the status knows it: only his own address is left out.
    const actorAgent = change.actor.role === 'agent' ? change.actor.id : null;
    for (const to of recipientsOf(
      context,
      actorAgent === null ? [] : [agentMail(actorAgent)],
      actorAgent,
      setup.followerAccounts,
    )) {
      const name = to.name ?? setup.requesterName(context);
      queueMessage(uow, ids, 'email', to.email, notice, locale, { ...base, name });
    }
  }
  const agentNotice = agentNoticeOf(change);
  if (agentNotice !== null) {
    const groupId = (context as { groupId?: string | null }).groupId ?? null; // groups land with wt/shape
    const to =
      context.assigneeId !== null
        ? agentMail(context.assigneeId)
        : groupId !== null
          ? (setup.agentAddress?.({ groupId }) ?? null)
          : null;
    if (to !== null) {
      queueMessage(uow, ids, 'email', to, agentNotice, setup.locale, { ...base, body: extra.body ?? '' });
    }
  }
}
