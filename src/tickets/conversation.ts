import type { z } from 'zod';
import { denied } from '../accounts/actor.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { acting, isSupport, requireSee } from './access.js';
import { rememberKey, repeatOf, type CommandKeys } from './command-keys.js';
import type { GuestAccess } from './guest-access.js';
import { writeMessage, type TicketMessage } from './messages.js';
import { messageCountOf, ticketAggregate, type LoadedTicket, type Repeat } from './records.js';
import type { addNoteSchema } from './schemas.js';

/**
 * Appends a message to a ticket's conversation, in the command's unit of work: the message as its
 * own record, and the ticket's counter. Steps no machine: whatever the message changes about the
 * ticket (a reply's status and clocks) is the caller's event, applied before.
 */
export function appendMessage(
  uow: UnitOfWork,
  ticket: LoadedTicket,
  message: Pick<TicketMessage, 'visibility' | 'author' | 'side' | 'body' | 'attachments' | 'channel'>,
): LoadedTicket {
  const seq = messageCountOf(ticket) + 1;
  writeMessage(uow, { ticketId: ticket.snapshot.context.id, seq, createdAt: uow.now, ...message });
  return ticketAggregate.save(uow, { ...ticket, extra: { ...ticket.extra, messageCount: seq } });
}

/**
 * An internal note (`desk.tickets.addNote`): agents only. No machine event, so a note changes no
 * status, no 72 h clock, no SLA, and queues no mail; it is a message and a history entry.
 */
export async function addNote(
  uow: UnitOfWork,
  p: z.output<typeof addNoteSchema>,
  keys: CommandKeys,
  guests: GuestAccess | null = null, // a guest's own ticket: PERMISSION_DENIED, not TICKET_NOT_FOUND
): Promise<LoadedTicket | Repeat> {
  const who = await acting(uow, p.auth, p.actor, guests);
  const ticket = await ticketAggregate.load(uow, p.ticketId);
  requireSee(who.caller, ticket.snapshot.context);
  // A note is support's own: the deprecated actor must be an agent too.
  if (!isSupport(who.caller) || who.actor.role !== 'agent') throw denied('agent', { command: 'addNote' });
  const key = keys('note', p.ticketId, who.actor, p.idempotencyKey);
  const repeat = await repeatOf(uow, key, ticket); // added before: nothing to write
  if (repeat !== null) return repeat;
  rememberKey(uow, key, ticket);
  const noted = appendMessage(uow, ticket, {
    visibility: 'internal',
    author: who.history,
    side: 'agent',
    body: p.body,
    attachments: p.attachments,
    channel: 'web',
  });
  ticketAggregate.record(uow, ticket.snapshot.context.id, {
    type: 'ticket.note',
    actor: who.history,
    data: { seq: messageCountOf(noted), attachments: p.attachments.length },
  });
  return noted;
}
