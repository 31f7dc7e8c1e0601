import { z } from 'zod';
import { deepFreeze } from '../_lib/json.js';
import { identifierString, singleLineText } from '../_lib/text.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Channel } from './channels.js';

// The conversation of a ticket. Each message is its own record, created in the commit of the
// command that wrote it, so a ticket with 10,000 messages loads and commits like one with 10:
// the ticket record keeps only the count.

/** The record kind messages are stored under. */
export const MESSAGE_KIND = 'ticket-message';

/** `public`: a reply the requester and followers see and are mailed. `internal`: a note for support only. */
export type MessageVisibility = 'public' | 'internal';

/** Metadata of a file attached to a message; the bytes stay with the host (`storageKey` finds them). */
export const messageAttachmentSchema = z.strictObject({
  name: singleLineText().trim().min(1).max(255),
  /** A MIME type such as `image/png`. */
  type: identifierString()
    .trim()
    .toLowerCase()
    .max(200)
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'Expected a MIME type such as image/png.'),
  /** Size in bytes. */
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Where the host keeps the file (a key in its object store); never the bytes. */
  storageKey: identifierString().trim().min(1).max(500),
});

/** Attachment metadata of a message. */
export type MessageAttachment = z.output<typeof messageAttachmentSchema>;

/** Attachments of one message: at most 20. */
export const messageAttachmentsSchema = z.array(messageAttachmentSchema).max(20).default([]);

/** One message of a ticket's conversation, as stored and as handed to hosts (frozen). */
export interface TicketMessage {
  /** `<ticketId>:<zero-padded seq>`: ids sort in conversation order. */
  id: string;
  ticketId: string;
  /** 1-based position in the conversation. */
  seq: number;
  visibility: MessageVisibility;
  /** Who wrote it: `{ role: 'agent' | 'requester' | 'system', id? }` (never a secret). */
  author: Json;
  /** `agent`, `requester` or `system`: the side of the conversation. */
  side: 'agent' | 'requester' | 'system';
  body: string;
  createdAt: number;
  attachments: readonly MessageAttachment[];
  /** The channel it came in on. */
  channel: Channel;
}

/** The id of message `seq` of a ticket. Padded so the store's id order is the conversation order. */
export function messageId(ticketId: string, seq: number): string {
  return `${ticketId}:${String(seq).padStart(8, '0')}`;
}

/** Writes a new message record in the command's unit of work (expected version 0: never overwrites). */
export function writeMessage(uow: UnitOfWork, message: Omit<TicketMessage, 'id'>): TicketMessage {
  const stored: TicketMessage = { id: messageId(message.ticketId, message.seq), ...message };
  const indexes: Record<string, string> = { ticket: message.ticketId };
  // A second index holds public messages only, so a requester's page never filters (or leaks) notes.
  if (message.visibility === 'public') indexes.publicTicket = message.ticketId;
  uow.create(MESSAGE_KIND, stored.id, { state: stored as unknown as Json, indexes, nextDueAt: null });
  return stored;
}

/** The frozen view of a stored message. */
export function messageView(record: StoredRecord): TicketMessage {
  return deepFreeze({ ...(record.state as unknown as TicketMessage) });
}

/** A page of {@link TicketMessage}s. */
export interface MessagePage {
  messages: TicketMessage[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
