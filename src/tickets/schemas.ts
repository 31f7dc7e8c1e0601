import { z } from 'zod';
import { identifierString, multiLineText, singleLineText } from '../_lib/text.js';
import { LOCALES } from '../messages/locales.js';
import { channelSchema } from './channels.js';
import { ticketContentSchema } from './content.js';
import { prioritySchema } from './priorities.js';
import { impactFactsSchema } from './suggest-priority.js';
import { TICKET_STATUSES } from './ticket-machine.js';

// Ids, keys and cursors are refused (never changed) when they hold NUL, broken Unicode or controls.
const id = identifierString().trim().min(1).max(200);

/** Someone acting on a ticket: an agent of the helpdesk, or the requester. */
export const ticketActorSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('agent'), id }),
  z.strictObject({ role: z.literal('requester'), id }),
]);

export const submitTicketSchema = z.strictObject({
  requester: z.strictObject({
    id,
    email: z.email().max(254),
    name: singleLineText().trim().min(1).max(200).optional(),
    locale: z.enum(LOCALES).optional(),
  }),
  organizationId: id.optional(),
  content: ticketContentSchema,
  channel: channelSchema.default('web'),
  /** Chosen priority; when absent it is suggested from `impact`, else `normal`. */
  priority: prioritySchema.optional(),
  impact: impactFactsSchema.optional(),
  /** A double submit with the same key (per requester) returns the first ticket. */
  idempotencyKey: identifierString().min(1).max(200).optional(),
  /** An agent filing on the customer's behalf (the `sales` or `phone` channel). */
  filedBy: ticketActorSchema.optional(),
});
export type SubmitTicketInput = z.input<typeof submitTicketSchema>;

export const replySchema = z.strictObject({
  ticketId: id,
  author: ticketActorSchema,
  body: multiLineText().trim().min(1).max(50_000),
  /** An agent reply that asks the requester for information moves the ticket to pending. */
  askForInfo: z.boolean().default(false),
});
export type ReplyInput = z.input<typeof replySchema>;

export const ticketCommandSchema = z.strictObject({ ticketId: id, actor: ticketActorSchema });
export type TicketCommandInput = z.input<typeof ticketCommandSchema>;

export const assignSchema = ticketCommandSchema.extend({ assigneeId: id.nullable() });
export type AssignInput = z.input<typeof assignSchema>;

export const setPrioritySchema = ticketCommandSchema.extend({ priority: prioritySchema });
export type SetPriorityInput = z.input<typeof setPrioritySchema>;

export const mergeSchema = z.strictObject({ sourceId: id, targetId: id, actor: ticketActorSchema });
export type MergeInput = z.input<typeof mergeSchema>;

export const listTicketsSchema = z.strictObject({
  requesterId: id.optional(),
  organizationId: id.optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  cursor: identifierString().max(300).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ListTicketsInput = z.input<typeof listTicketsSchema>;

export const ticketIdSchema = id;
export const ticketNumberSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
