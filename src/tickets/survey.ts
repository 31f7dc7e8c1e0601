import { pathsOf, type LinkPaths } from '../http/links.js';
import type { z } from 'zod';
import { accountErrors } from '../accounts/error-codes.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import { commonErrors } from '../errors.js';
import type { Json } from '../ports/json.js';
import type { RandomSource } from '../ports/random-source.js';
import { createSecretHasher, type SecretHasher } from '../security/hmac.js';
import { randomToken } from '../security/random.js';
import { TICKET_KIND, ticketAggregate, type LoadedTicket } from './records.js';
import type { rateSchema } from './schemas.js';
import type { TicketTimingPolicy } from './ticket-machine.js';

// The satisfaction survey (issue 12): after a ticket is solved, a timer sends a mail with a
// single-use rating link. The token is stored only as its HMAC, as account links are.

/** The record kind of survey tokens (id: the token's HMAC; state: the ticket it rates). */
export const SURVEY_TOKEN_KIND = 'ticket-survey';

/** How long a survey link works. */
export const SURVEY_LINK_LIFETIME = 30 * 24 * 3_600_000;

const PURPOSE = 'ticket_survey';

/** A stored survey token: never the token itself. */
interface StoredSurveyToken {
  ticketId: string;
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/**
 * What the survey needs from `createHelpdesk` besides the policy: the pepper of `secrets` and the
 * `publicBaseUrl` its links hang below. Internal: the composition root passes them to the ticket
 * service next to the host's {@link TicketOptions}.
 */
export interface SurveyWiring {
  /** Pepper for the token's HMAC; required when the survey is on (CONFIGURATION_INVALID otherwise). */
  pepper?: string | undefined;
  /** Base of the link `<publicBaseUrl>/survey?token=…`. Default `https://helpdesk.invalid`. */
  publicBaseUrl?: string | undefined;
  /** `TicketOptions.linkPaths`: the survey link's path. Default `/survey`. */
  linkPaths?: Partial<Pick<LinkPaths, 'survey' | 'guest_ticket'>> | undefined;
}

/** The survey's tokens and links; built once per ticket service. */
export interface SurveyLinks {
  /** Issues a token for the ticket in `uow` (its HMAC record) and answers the link to mail. */
  issue(uow: UnitOfWork, ticketId: string): { link: string; stored: Promise<void> };
  /** `desk.tickets.rate`: records the rating once (TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_USED otherwise). */
  rate(uow: UnitOfWork, p: z.output<typeof rateSchema>): Promise<LoadedTicket>;
}

/**
 * Builds the survey's token handling. With the survey on and no pepper it throws
 * CONFIGURATION_INVALID at once (never a constant fallback key).
 */
export function createSurveyLinks(random: RandomSource, policy: TicketTimingPolicy, wiring: SurveyWiring): SurveyLinks {
  const enabled = policy.survey?.enabled === true;
  const hasPepper = typeof wiring.pepper === 'string' && wiring.pepper.length > 0;
  if (enabled && !hasPepper)
    throw commonErrors.raise(
      'CONFIGURATION_INVALID',
      { field: 'secrets.pepper' },
      'secrets.pepper is required for the ticket satisfaction survey (its links are stored as HMACs).',
    );
  const hasher: SecretHasher | null = hasPepper ? createSecretHasher(wiring.pepper!) : null;
  const base =
    (wiring.publicBaseUrl ?? 'https://helpdesk.invalid').replace(/\/+$/, '') + pathsOf(wiring.linkPaths).survey;
  const macs = () => {
    if (hasher === null) throw accountErrors.raise('TOKEN_INVALID', {}, 'This survey link is not valid.');
    return hasher;
  };

  return {
    issue(uow, ticketId) {
      const token = randomToken(random, 32);
      const stored = macs()
        .hash(PURPOSE, token)
        .then((id) => {
          const state: StoredSurveyToken = {
            ticketId,
            issuedAt: uow.now,
            expiresAt: uow.now + SURVEY_LINK_LIFETIME,
            usedAt: null,
          };
          uow.create(SURVEY_TOKEN_KIND, id, {
            state: state as unknown as Json,
            indexes: { ticket: ticketId },
            nextDueAt: null,
          });
        });
      return { link: `${base}?token=${encodeURIComponent(token)}`, stored };
    },

    async rate(uow, p) {
      const id = await macs().hash(PURPOSE, p.token);
      // The token and the ticket it names in one round trip on a store with `readBatch` (issue 16).
      await uow.preload([
        { op: 'load', kind: SURVEY_TOKEN_KIND, id },
        { op: 'loadReferenced', kind: TICKET_KIND, from: 0, path: ['ticketId'] },
      ]);
      const record = await uow.load(SURVEY_TOKEN_KIND, id);
      if (!record) throw accountErrors.raise('TOKEN_INVALID', {}, 'This survey link is not valid.');
      const stored = record.state as unknown as StoredSurveyToken;
      if (stored.usedAt !== null) throw used();
      if (uow.now >= stored.expiresAt) throw accountErrors.raise('TOKEN_EXPIRED', {}, 'This survey link has expired.');
      const ticket = await ticketAggregate.load(uow, stored.ticketId);
      if ((ticket.snapshot.context.satisfaction ?? null) !== null) throw used();
      const satisfaction = { score: p.score, comment: p.comment ?? null, ratedAt: uow.now };
      const rated = ticketAggregate.apply(
        uow,
        ticket,
        { type: 'rate', at: uow.now, satisfaction, policy },
        {
          history: {
            type: 'ticket.rated',
            actor: { role: 'requester', id: ticket.snapshot.context.requesterId },
            // The comment is the requester's text: on the ticket only, not in history or events.
            data: { score: p.score, comment: p.comment !== undefined },
          },
        },
      ).next;
      uow.put(SURVEY_TOKEN_KIND, id, {
        state: { ...stored, usedAt: uow.now } as unknown as Json,
        indexes: { ticket: stored.ticketId },
        nextDueAt: null,
      });
      return rated;
    },
  };
}

const used = () => accountErrors.raise('TOKEN_USED', {}, 'This ticket has already been rated with this link.');
