import type { IdGenerator } from '../ports/id-generator.js';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { formatDateTime } from '../messages/format.js';
import type { Locale } from '../messages/locales.js';
import type { TicketEffect } from './records.js';
import type { TicketContext } from './ticket-machine.js';

/** Text a notice carries that is not in the ticket: the body of the reply it reports. */
export interface NoticeExtra {
  body?: string;
}

/**
 * Carries out the ticket machine's effects in the command's unit of work: the mails to the
 * requester it asked for (reminder, automatic solve, agent reply), rendered in the ticket's locale.
 */
export function sendTicketNotices(
  uow: UnitOfWork,
  ids: IdGenerator,
  context: TicketContext,
  effects: readonly TicketEffect[],
  extra: NoticeExtra = {},
): void {
  // A ticket filed by a phone principal has no mail address: its notices go nowhere (documented).
  if (context.requesterEmail === null) return;
  const locale = context.locale as Locale;
  const base = { number: context.number, title: context.title };
  const to = context.requesterEmail;
  for (const effect of effects) {
    switch (effect.params.template) {
      case 'ticket.reminder':
        queueMessage(uow, ids, 'email', to, 'ticket.reminder', locale, {
          ...base,
          autoResolveAt: formatDateTime(context.autoResolveAt ?? uow.now, locale),
        });
        break;
      case 'ticket.auto_solved':
        queueMessage(uow, ids, 'email', to, 'ticket.auto_solved', locale, base);
        break;
      case 'ticket.agent_reply':
        queueMessage(uow, ids, 'email', to, 'ticket.agent_reply', locale, {
          ...base,
          body: extra.body ?? '',
        });
        break;
    }
  }
}
