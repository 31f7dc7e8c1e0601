import { z } from 'zod';
import { identifierString, multiLineText, singleLineText } from '../_lib/text.js';
import { LOCALES } from '../messages/locales.js';
import { ticketCallerSchema } from './caller.js';
import { channelSchema } from './channels.js';
import { ticketContentSchema } from './content.js';
import { messageAttachmentsSchema } from './messages.js';
import { prioritySchema } from './priorities.js';
import { impactFactsSchema } from './suggest-priority.js';
import { TICKET_STATUSES } from './ticket-machine.js';
import { groupIdSchema, tagSchema, tagsSchema } from './groups.js';

// Ids, keys and cursors are refused (never changed) when they hold NUL, broken Unicode or controls.
const id = identifierString().trim().min(1).max(200);

/** Someone acting on a ticket: an agent of the helpdesk, or the requester. */
export const ticketActorSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('agent'), id }),
  z.strictObject({ role: z.literal('requester'), id }),
]);

/** A command needs a caller: `auth` (checked), or the deprecated host-vouched `field`. */
const needsCaller =
  (field: 'actor' | 'author') =>
  (value: { auth?: unknown } & Partial<Record<typeof field, unknown>>, ctx: z.RefinementCtx) => {
    if (value.auth === undefined && value[field] === undefined)
      ctx.addIssue({ code: 'custom', path: ['auth'], message: `Expected auth (or the deprecated ${field}).` });
  };

/**
 * The caller of a ticket command or read. When given it wins over the deprecated `author`/`actor`
 * and is checked against the caller's rights; without it the host acts as itself.
 */
const auth = ticketCallerSchema.optional();

/** A new ticket (`desk.tickets.submit`): the content, and the requester unless `auth` is one (a logged-in requester files for itself). */
export const submitTicketSchema = z
  .strictObject({
    auth,
    requester: z
      .strictObject({
        id,
        email: z.email().max(254),
        name: singleLineText().trim().min(1).max(200).optional(),
        locale: z.enum(LOCALES).optional(),
      })
      /** Ignored when `auth` is an AuthContext: the caller is the requester. */
      .optional(),
    organizationId: id.optional(),
    content: ticketContentSchema,
    channel: channelSchema.default('web'),
    /** Chosen priority; when absent it is suggested from `impact`, else `normal`. */
    priority: prioritySchema.optional(),
    impact: impactFactsSchema.optional(),
    /** A double submit with the same key (per requester) returns the first ticket. */
    idempotencyKey: identifierString().min(1).max(200).optional(),
    /**
     * An agent filing on the customer's behalf (the `sales` or `phone` channel), vouched for by the host.
     * @deprecated Unchecked: pass the agent as `auth` instead (`{ role: 'agent', id }`).
     */
    filedBy: ticketActorSchema.optional(),
    /** The group (queue) to file into: support only (PERMISSION_DENIED for a requester). Default none. */
    groupId: groupIdSchema.optional(),
    /** Tags: support only. Default none. */
    tags: tagsSchema.optional(),
    /** The host's fields, validated by `TicketOptions.fields` (default: the fleet fields). */
    fields: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    // A requester who logged in is the requester; anyone else names one.
    const selfFiled = value.auth !== undefined && 'principal' in value.auth;
    if (!selfFiled && value.requester === undefined)
      ctx.addIssue({ code: 'custom', path: ['requester'], message: 'Expected the requester (id and email).' });
  });
/** The input of `desk.tickets.submit`, as a host passes it. */
export type SubmitTicketInput = z.input<typeof submitTicketSchema>;

/** A public reply (`desk.tickets.reply`): mailed to the requester and followers; a requester's reopens a solved ticket. */
export const replySchema = z
  .strictObject({
    ticketId: id,
    auth,
    /**
     * A host-vouched author.
     * @deprecated Unchecked: pass the caller as `auth` instead (`{ role: 'agent', id }`, or the requester's `auth` from login).
     */
    author: ticketActorSchema.optional(),
    body: multiLineText().trim().min(1).max(50_000),
    /** An agent reply that asks the requester for information moves the ticket to pending. */
    askForInfo: z.boolean().default(false),
    /** Metadata of attached files (the host stores the bytes). Default none. */
    attachments: messageAttachmentsSchema,
    /** The channel the reply came in on. Default: `email` for a mail caller, else `web`. */
    channel: channelSchema.optional(),
    /**
     * The same reply sent again with this key (per caller and ticket; an inbound mail's Message-ID,
     * a form's token) is added once: a repeat answers the ticket as it is now, or the follow-up the
     * first reply opened.
     */
    idempotencyKey: identifierString().min(1).max(200).optional(),
  })
  .superRefine(needsCaller('author'));
/** The input of `desk.tickets.reply`. */
export type ReplyInput = z.input<typeof replySchema>;

// `auth` wins over the deprecated `actor` when both are given.
const commandShape = {
  ticketId: id,
  auth,
  /**
   * A host-vouched agent.
   * @deprecated Unchecked: pass the caller as `auth` instead (`{ role: 'agent', id }`).
   */
  actor: ticketActorSchema.optional(),
};

/** A support command on one ticket (`hold`, `resume`, `solve`): the ticket and the caller. */
export const ticketCommandSchema = z.strictObject(commandShape).superRefine(needsCaller('actor'));
/** The input of `desk.tickets.hold`, `resume` and `solve`. */
export type TicketCommandInput = z.input<typeof ticketCommandSchema>;

/** Assigning a ticket to an agent (`assigneeId`), or unassigning it (`null`). Support only. */
export const assignSchema = z
  .strictObject({ ...commandShape, assigneeId: id.nullable() })
  .superRefine(needsCaller('actor'));
/** The input of `desk.tickets.assign`. */
export type AssignInput = z.input<typeof assignSchema>;

/** Changing a ticket's priority; the SLA targets follow the new priority. Support only. */
export const setPrioritySchema = z
  .strictObject({ ...commandShape, priority: prioritySchema })
  .superRefine(needsCaller('actor'));
/** The input of `desk.tickets.setPriority`. */
export type SetPriorityInput = z.input<typeof setPrioritySchema>;

/** Merging `sourceId` into `targetId` (the source closes, linked to the target). Support only. */
export const mergeSchema = z
  .strictObject({
    sourceId: id,
    targetId: id,
    auth,
    /**
     * A host-vouched agent.
     * @deprecated Unchecked: pass the caller as `auth` instead (`{ role: 'agent', id }`).
     */
    actor: ticketActorSchema.optional(),
  })
  .superRefine(needsCaller('actor'));
/** The input of `desk.tickets.merge`. */
export type MergeInput = z.input<typeof mergeSchema>;

/** A page of tickets (`desk.tickets.list`), always narrowed to what the caller may see. */
export const listTicketsSchema = z.strictObject({
  auth,
  requesterId: id.optional(),
  organizationId: id.optional(),
  /** One status, or a set of them ("my open tickets": `OPEN_TICKET_STATUSES`). */
  status: z.union([z.enum(TICKET_STATUSES), z.array(z.enum(TICKET_STATUSES)).min(1).max(6)]).optional(),
  /** Tickets in this group (an agent with `groups` gets an empty page for a group not its own). */
  groupId: groupIdSchema.optional(),
  tag: tagSchema.optional(),
  assigneeId: id.optional(),
  priority: prioritySchema.optional(),
  cursor: identifierString().max(300).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
/** The input of `desk.tickets.list`. */
export type ListTicketsInput = z.input<typeof listTicketsSchema>;

export const ticketIdSchema = id;
export const ticketNumberSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The options of a read (`get`, `getByNumber`, `history`): the caller; without it the host reads as itself. */
export const readOptionsSchema = z.strictObject({ auth }).optional();
/** The options of `get`, `getByNumber` and `history`. */
export type ReadOptions = z.input<typeof readOptionsSchema>;

/** An internal note: agents only, never mailed, never shown to requesters, changes no status or clock. */
export const addNoteSchema = z
  .strictObject({
    ticketId: id,
    auth,
    /**
     * A host-vouched agent.
     * @deprecated Unchecked: pass the caller as `auth` instead (`{ role: 'agent', id }`).
     */
    actor: ticketActorSchema.optional(),
    body: multiLineText().trim().min(1).max(50_000),
    attachments: messageAttachmentsSchema,
    /** The same note sent again with this key (per agent and ticket) is added once. */
    idempotencyKey: identifierString().min(1).max(200).optional(),
  })
  .superRefine(needsCaller('actor'));
/** The input of `desk.tickets.addNote`. */
export type AddNoteInput = z.input<typeof addNoteSchema>;

/** Paging through a ticket's conversation, oldest first. */
export const listMessagesSchema = z
  .strictObject({
    auth,
    cursor: identifierString().max(300).optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .default({ limit: 50 });
/** The options of `desk.tickets.messages`. */
export type ListMessagesInput = z.input<typeof listMessagesSchema>;

// ── tickets: people ──

/**
 * Following a ticket (`follow` / `unfollow`). `auth` is required. `email` names the colleague to
 * CC (or to remove); without it the caller follows (or unfollows) himself.
 */
export const followSchema = z.strictObject({
  ticketId: id,
  auth: ticketCallerSchema,
  email: z.email().max(254).optional(),
});
/** The input of `desk.tickets.follow` and `unfollow`. */
export type FollowInput = z.input<typeof followSchema>;

/** A rating through the survey link: the link's token, `good` or `bad`, an optional comment. */
export const rateSchema = z.strictObject({
  token: identifierString()
    .trim()
    .regex(/^[A-Za-z0-9_-]{16,512}$/, 'Expected the token of a survey link.'),
  score: z.enum(['good', 'bad']),
  comment: multiLineText().trim().min(1).max(5_000).optional(),
});
/** The input of `desk.tickets.rate`. */
export type RateInput = z.input<typeof rateSchema>;
/**
 * Sorting and the host's fields (`desk.tickets.update`): agents only, in every status but closed.
 * Each given part replaces the ticket's: `groupId` (null: no group), `tags` (the whole set);
 * `fields` are merged key by key into the stored ones and the result validated again.
 */
export const updateTicketSchema = z
  .strictObject({
    ...commandShape,
    groupId: groupIdSchema.nullable().optional(),
    tags: tagsSchema.optional(),
    fields: z.unknown().optional(),
  })
  .superRefine(needsCaller('actor'))
  .superRefine((value, ctx) => {
    if (value.groupId === undefined && value.tags === undefined && value.fields === undefined)
      ctx.addIssue({ code: 'custom', path: [], message: 'Expected groupId, tags or fields to change.' });
  });
/** The input of `desk.tickets.update`. */
export type UpdateTicketInput = z.input<typeof updateTicketSchema>;
