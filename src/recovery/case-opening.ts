import type { AccountRecord } from '../accounts/account-repository.js';
import { DEFAULT_LOCALE, type Locale } from '../messages/locales.js';
import type { TicketService } from '../tickets/service.js';
import { recoveryTicketText } from './labels.js';
import type { RecoveryPolicy } from './policy.js';
import type { RecoveryInput } from './recovery-machine.js';
import type { openRecoverySchema } from './schemas.js';

// How a recovery request becomes a case: the helpdesk ticket it is filed under, and the
// machine input. The same work for a login that has an account and one that has none.

/** A parsed `open` request. */
export type ParsedOpen = ReturnType<typeof openRecoverySchema.parse>;
/** A helpdesk ticket as the ticket service answers it. */
export type CaseTicket = Awaited<ReturnType<TicketService['get']>>;

/**
 * The ticket the case is filed under: the one given (`ticketId`), or a new `high` one opened
 * through the ticket service on the request's channel (a repeated idempotency key reuses it),
 * titled and described in the requester's locale, else the desk's (`deskLocale`), as the
 * ticket's mails are written.
 */
export async function ticketFor(
  tickets: TicketService,
  p: ParsedOpen,
  login: string,
  deskLocale: Locale = DEFAULT_LOCALE,
): Promise<CaseTicket> {
  if (p.ticketId !== undefined) return tickets.get(p.ticketId);
  const requester = p.requester!;
  const text = recoveryTicketText(requester.locale ?? deskLocale, p.lostFactor, login);
  const { ticket } = await tickets.submit({
    requester: {
      id: `contact:${requester.email}`,
      email: requester.email,
      ...(requester.name ? { name: requester.name } : {}),
      ...(requester.locale ? { locale: requester.locale } : {}),
    },
    content: {
      organization: text.organization,
      subject: text.subject,
      description: p.description ?? text.description,
    },
    channel: p.channel,
    priority: 'high',
    ...(p.filedBy ? { filedBy: p.filedBy } : {}),
    ...(p.idempotencyKey !== undefined ? { idempotencyKey: `recovery:${p.idempotencyKey}` } : {}),
  });
  return ticket;
}

/**
 * The machine input of a new case. Without an account (`account` null) the case looks the same
 * to the requester but holds no cancel link and can never be approved.
 */
export function caseInput(
  p: ParsedOpen,
  c: { caseId: string; login: string; ticket: CaseTicket; requesterEmail: string; now: number },
  account: AccountRecord | null,
  tokenHash: string,
  policy: RecoveryPolicy,
): RecoveryInput {
  return {
    id: c.caseId,
    ticketId: c.ticket.id,
    ticketNumber: c.ticket.number,
    channel: p.channel,
    lostFactor: p.lostFactor,
    login: c.login,
    accountId: account?.id ?? null,
    accountIsMainAdmin: account?.isMainAdmin ?? false,
    requesterEmail: c.requesterEmail,
    requesterName: p.requester?.name ?? null,
    locale: p.requester?.locale ?? c.ticket.locale,
    openedAt: c.now,
    cancelTokenHashes: account ? [tokenHash] : [],
    policy,
  };
}
