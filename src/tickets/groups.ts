import { z } from 'zod';
import { identifierString } from '../_lib/text.js';
import type { TicketContext, TicketStatus } from './ticket-machine.js';

// Groups (queues) and tags: how support sorts tickets. Schemas and store indexes only; who may
// set them is in access.ts, the update command in ticket-update.ts.

/** A group (queue) id, as the host names its groups. */
export const groupIdSchema = identifierString().trim().min(1).max(200);

/** A tag: 1–50 characters of lowercase letters, digits, `-`, `_`, `.` and `:` (trimmed and lowercased). */
export const tagSchema = identifierString()
  .trim()
  .toLowerCase()
  .regex(
    /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}._:-]{0,49}$/u,
    'A tag is 1–50 lowercase letters, digits, ".", "_", ":" or "-".',
  );

/** At most this many tags per ticket. */
export const MAX_TAGS = 20;

/** A ticket's tags: a set, stored sorted with each tag once. */
export const tagsSchema = z
  .array(tagSchema)
  .max(MAX_TAGS)
  .transform((tags) => [...new Set(tags)].sort());

/** The store index of a tag: one key per tag, so `list({ tag })` is an exact-match lookup. */
export const tagIndexKey = (tag: string): string => `tag:${tag}`;

/**
 * The indexes of a ticket's shape: `group`, `assignee`, `priority` and one `tag:<tag>` per tag.
 * A ticket stored before they existed gets them on its next write.
 */
export function shapeIndexes(context: TicketContext): Record<string, string> {
  const indexes: Record<string, string> = { priority: context.priority };
  if (context.groupId != null) indexes.group = context.groupId;
  if (context.assigneeId !== null) indexes.assignee = context.assigneeId;
  for (const tag of context.tags ?? []) indexes[tagIndexKey(tag)] = '1';
  return indexes;
}

/**
 * The statuses of an open ticket. "My open tickets" is
 * `desk.tickets.list({ auth, requesterId: me, status: [...OPEN_TICKET_STATUSES] })`.
 */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = Object.freeze(['new', 'open', 'pending', 'on_hold']);
