import type { IdGenerator } from '../ports/id-generator.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { formatDateTime } from '../messages/format.js';
import type { Locale } from '../messages/locales.js';
import { agentSalutation } from '../messages/salutation.js';
import { recipientsOf, requesterMailbox, type FollowerAccounts, type NoticeRecipient } from './followers.js';
import type { TicketOptions } from './options.js';
import type { StatusNoticePolicy } from './people.js';
import type { TicketEffect } from './records.js';
import { defaultSlaPolicy } from './sla-policy.js';
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
  /**
   * The desk's time zone, in which dates in mails are written (the reminder's auto-resolve time):
   * the SLA calendar's (`policy.tickets.sla.calendar.timeZone`). Default: the default calendar's,
   * Europe/Budapest.
   */
  timeZone?: string;
}

/**
 * Carries out the ticket machine's effects in the command's unit of work, rendered in the ticket's
 * locale (a CC'd colleague's mails in his account's, an agent's in the desk's): the mails to the
 * requester it asked for (reminder, automatic solve), a public agent reply to the requester and
 * every follower (each address once, never the reply's author), and, from the status change, the
 * status notices to the requester and followers and the notice to the assignee (else the group) of
 * a requester-side reply. The survey mail is `survey.ts`'s.
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
  const requester = requesterMailbox(context);
  // Agents' mails are written in the desk's locale, a CC'd colleague's in his account's (as stored
  // now: `followerAccounts`), the requester's in the ticket's.
  const localeOf = (to: NoticeRecipient): Locale => (to.agent ? setup.locale : (to.locale ?? locale));
  for (const effect of effects) {
    switch (effect.params.template) {
      case 'ticket.reminder':
        if (requester === null) break; // a phone principal's ticket, or an erased requester: no mail address
        // The reminder and the automatic solve follow an agent's question: support's mails.
        queueMessage(
          uow,
          ids,
          'email',
          requester,
          'ticket.reminder',
          locale,
          {
            ...base,
            autoResolveAt: formatDateTime(
              context.autoResolveAt ?? uow.now,
              locale,
              setup.timeZone ?? defaultSlaPolicy.calendar.timeZone,
            ),
          },
          'support',
        );
        break;
      case 'ticket.auto_solved':
        if (requester === null) break;
        queueMessage(uow, ids, 'email', requester, 'ticket.auto_solved', locale, base, 'support');
        break;
      case 'ticket.agent_reply': {
        const author = change?.actor.role === 'agent' ? change.actor.id : null;
        for (const to of recipientsOf(
          context,
          author === null ? [] : [agentMail(author)],
          author,
          setup.followerAccounts,
        )) {
          queueMessage(
            uow,
            ids,
            'email',
            to.email,
            'ticket.agent_reply',
            localeOf(to),
            { ...base, body: extra.body ?? '' },
            author === null ? 'shared' : 'support',
          );
        }
        break;
      }
    }
  }
  if (change === null) return;
  const agentNotice = agentNoticeOf(change);
  const noticed = agentNotice === null ? null : agentNoticeAddress(setup, context);
  if (change.event === 'reply' && change.actor.role === 'requester') {
    // A requester-side reply is public: it goes to the requester and every follower as an agent's
    // does, never to its author (the requester or a CC'd colleague, by any of his addresses) and
    // not again to the agent the notice below tells of it.
    const authorId = change.actor.id;
    const author = followerAddresses(context, authorId, setup.followerAccounts);
    if (authorId === context.requesterId) author.push(context.requesterEmail);
    for (const to of recipientsOf(context, [...author, noticed], null, setup.followerAccounts))
      queueMessage(uow, ids, 'email', to.email, 'ticket.agent_reply', localeOf(to), {
        ...base,
        body: extra.body ?? '',
      });
  }
  const notice = statusNoticeOf(change, setup.notices);
  if (notice !== null) {
    // The agent who changed the status knows it: his own address is left out; so is the one the
    // agents' notice below goes to (a reopening reply): the assignee, else the group, hears of it once.
    const actorAgent = change.actor.role === 'agent' ? change.actor.id : null;
    for (const to of recipientsOf(
      context,
      [actorAgent === null ? null : agentMail(actorAgent), noticed],
      actorAgent,
      setup.followerAccounts,
    )) {
      // An agent follower has no name the library knows (his stored name is his id): he is greeted
      // as a colleague, never by his id.
      const name = to.agent ? agentSalutation(localeOf(to)) : (to.name ?? setup.requesterName(context));
      const budget = actorAgent === null ? 'shared' : 'support'; // a reopen is the requester side's
      queueMessage(uow, ids, 'email', to.email, notice, localeOf(to), { ...base, name }, budget);
    }
  }
  if (agentNotice !== null && noticed !== null) {
    queueMessage(uow, ids, 'email', noticed, agentNotice, setup.locale, { ...base, body: extra.body ?? '' });
  }
}

/** Where the agents' notice of a requester-side reply goes: the assignee, else the group; null for none. */
function agentNoticeAddress(setup: NoticeSetup, context: TicketContext): string | null {
  if (context.assigneeId !== null) return setup.agentAddress?.({ agentId: context.assigneeId }) ?? null;
  const groupId = context.groupId ?? null;
  return groupId === null ? null : (setup.agentAddress?.({ groupId }) ?? null);
}

/** The addresses a CC'd follower `id` is known by: the one the ticket keeps and his account's current one. */
function followerAddresses(context: TicketContext, id: string, accounts: FollowerAccounts): Array<string | null> {
  const follower = (context.followers ?? []).find((f) => f.kind === 'cc' && f.id === id);
  return follower === undefined ? [] : [follower.email, accounts.get(id)?.email ?? null];
}
