import { z } from 'zod';
import { identifierString } from '../_lib/text.js';
import { authContextSchema, type AuthContext } from '../accounts/principal.js';

// The shape of a ticket caller, apart from the rules (access.ts): the tickets entry exports these
// schemas, and only the AuthContext's shape (not account storage) comes with them into a bundle.

const id = identifierString().trim().min(1).max(200);

/** An agent of the helpdesk, vouched for by the host. `groups` limits which tickets it sees (none: all). */
export const agentCallerSchema = z.strictObject({
  role: z.literal('agent'),
  id,
  groups: z.array(id).max(100).optional(),
});

/** An agent identity the host vouches for. */
export type AgentCaller = z.output<typeof agentCallerSchema>;

/**
 * A guest requester (no account) holding the per-ticket access token from the confirmation
 * (`gst_…`): it may read, page through and reply on exactly that ticket.
 */
export const guestCallerSchema = z.strictObject({
  role: z.literal('guest'),
  token: identifierString().trim().min(1).max(200),
});

/** A guest with a ticket's access token. */
export type GuestCaller = z.output<typeof guestCallerSchema>;

/**
 * A reply that came in by mail, vouched for by the host as coming from `from` (as it vouches for an
 * agent). It must be used only with `reply`: every other command is PERMISSION_DENIED, every read
 * TICKET_NOT_FOUND. The reply is accepted from the requester's address or a CC'd colleague's.
 */
export const mailCallerSchema = z.strictObject({
  role: z.literal('mail'),
  from: z.email().max(254),
});

/** An inbound-mail sender the host vouches for. */
export type MailCaller = z.output<typeof mailCallerSchema>;

/**
 * Who calls a ticket command (`auth`): an {@link AuthContext} from login (a requester, a business
 * user, a phone principal), an agent identity the host vouches for, a guest with a ticket token, or
 * (for `reply` only) the sender of an inbound mail.
 */
export const ticketCallerSchema = z.union([agentCallerSchema, guestCallerSchema, mailCallerSchema, authContextSchema]);

/** The `auth` of a ticket command or read. */
export type TicketCaller = AgentCaller | GuestCaller | MailCaller | AuthContext;

/** The prefix of the requester id of a ticket filed by a phone principal (`phone:+36301234567`). */
export const PHONE_REQUESTER_PREFIX = 'phone:';

/** The requester id a logged-in caller will have (the account id, or `phone:<E.164>`), or null. */
export function selfRequesterId(auth: TicketCaller | undefined): string | null {
  if (auth === undefined || 'role' in auth) return null;
  const claimed = auth.principal;
  return claimed.type === 'phone' ? `${PHONE_REQUESTER_PREFIX}${claimed.phone}` : claimed.accountId;
}
