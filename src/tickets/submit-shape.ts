import type { z } from 'zod';
import { queueMessage } from '../engine/notify.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Locale } from '../messages/locales.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { Json } from '../ports/json.js';
import type { RandomSource } from '../ports/random-source.js';
import { requireSorting, type ResolvedCaller } from './access.js';
import { fleetFieldsSchema, parseTicketFields } from './fields.js';
import type { GuestAccess, MintedGuestToken } from './guest-access.js';
import type { TicketOptions } from './options.js';

/** The host's field schema, or the default fleet fields. */
export const fieldsSchemaOf = (options: TicketOptions): z.ZodType => options.fields ?? fleetFieldsSchema;

/** What a submit adds to a new ticket besides its content: sorting, the host's fields, guest access. */
export interface SubmitShape {
  /** Spread into the new ticket's input. */
  input: { groupId: string | null; tags: string[]; fields: Record<string, Json> };
  /** The guest token, shown once in the SubmitResult; null when the submit is not a guest's. */
  token: string | null;
  /** The link for the confirmation mail; null without a token or a `publicBaseUrl`. */
  link: string | null;
  /** Stores the token's HMAC with the new ticket (same commit). */
  store(uow: UnitOfWork, ticketId: string): void;
}

/**
 * Checks and prepares the shape of a submit before anything is written: group and tags only from
 * support (PERMISSION_DENIED), fields through the host's schema (INVALID_INPUT naming the field),
 * and a guest token when the host files for a requester without an account (the contact form).
 */
export async function submitShape(
  caller: ResolvedCaller,
  parsed: { groupId?: string | undefined; tags?: string[] | undefined; fields?: unknown },
  fieldsSchema: z.ZodType,
  guests: GuestAccess | null,
  random: RandomSource,
): Promise<SubmitShape> {
  requireSorting(caller, parsed);
  const fields = parseTicketFields(fieldsSchema, parsed.fields);
  const minted: MintedGuestToken | null = caller.kind === 'host' && guests ? await guests.mint(random) : null;
  return {
    input: { groupId: parsed.groupId ?? null, tags: parsed.tags ?? [], fields },
    token: minted?.token ?? null,
    link: minted && guests ? guests.link(minted.token) : null,
    store(uow, ticketId) {
      if (minted && guests) guests.store(uow, minted, ticketId);
    },
  };
}

/**
 * The confirmation mail of a new ticket, to a requester with a mail address (a phone principal
 * has none): with the guest link when there is one (`ticket.confirmation_guest`).
 */
export function queueConfirmation(
  uow: UnitOfWork,
  ids: IdGenerator,
  ticket: { requesterEmail: string | null; locale: string; number: number; title: string },
  guestLink: string | null,
): void {
  const { requesterEmail: to, number, title } = ticket;
  const locale = ticket.locale as Locale;
  if (to === null) return;
  if (guestLink === null) queueMessage(uow, ids, 'email', to, 'ticket.confirmation', locale, { number, title });
  else queueMessage(uow, ids, 'email', to, 'ticket.confirmation_guest', locale, { number, title, link: guestLink });
}
