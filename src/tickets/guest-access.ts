import { pathsOf, type LinkPaths } from '../http/links.js';
import { randomToken } from '../security/random.js';
import { constantTimeEqual } from '../security/constant-time.js';
import { createSecretHasher, type SecretHasher } from '../security/hmac.js';
import type { RecordReader } from '../engine/aggregate.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import type { RandomSource } from '../ports/random-source.js';
import { TICKET_KIND, type StoredTicket } from './records.js';

// Per-ticket access for a guest requester (the contact form: no account). The token is
// `gst_<selector>.<secret>`: the selector names one record (no scan, no index on a secret), and
// only an HMAC of the secret (keyed with `secrets.pepper`) is stored, compared in constant time.

/** The record kind a guest token's HMAC is stored under (one record per ticket token). */
export const GUEST_ACCESS_KIND = 'ticket-guest-access';

/** The prefix of a guest token. */
export const GUEST_TOKEN_PREFIX = 'gst_';

const PURPOSE = 'ticket_guest';
const TOKEN = /^gst_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
/** The record a guest token names (its selector), read before the token is checked; null for a malformed token. */
export function guestAccessIdOf(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null;
}

// Compared against when the selector names no record, so a miss costs what a wrong secret costs.
const DECOY_MAC = 'x'.repeat(43);

/** What the ticket service needs besides `TicketOptions` for guest access. */
export interface GuestAccessOptions {
  /** `secrets.pepper`: without it no guest token is issued and a guest caller sees nothing. */
  pepper?: string | undefined;
  /** `publicBaseUrl`: with it the confirmation mail carries the guest link. Default: no link. */
  publicBaseUrl?: string | undefined;
  /** `TicketOptions.linkPaths`: the guest link's path. Default `/tickets/guest`. */
  linkPaths?: Partial<Pick<LinkPaths, 'survey' | 'guest_ticket'>> | undefined;
}

// No requester id here: the ticket holds it (and privacy erasure finds it there).
interface StoredGuestAccess {
  ticketId: string;
  mac: string;
}

/** A freshly minted token: shown once (SubmitResult, confirmation mail), stored as `mac` only. */
export interface MintedGuestToken {
  selector: string;
  token: string;
  mac: string;
}

/** Guest tokens bound to the pepper; null without one. */
export interface GuestAccess {
  mint(random: RandomSource): Promise<MintedGuestToken>;
  /** Stores the token's HMAC for `ticketId`, in the command's unit of work. */
  store(uow: UnitOfWork, minted: MintedGuestToken, ticketId: string): void;
  /**
   * The record a token names and the HMAC that record holds if the token is right (null for a
   * malformed token): for a condition checked where the record is read (a reply's batch).
   */
  expected(token: string): Promise<{ selector: string; mac: string } | null>;
  /** The ticket a token opens (and its requester), or null for any token that is not right. */
  verify(reader: RecordReader, token: string): Promise<{ ticketId: string; requesterId: string } | null>;
  /** The link to put in the confirmation mail, or null when no `publicBaseUrl` is set. */
  link(token: string): string | null;
}

/** The guest token helpers for a pepper (null without one: guests then have no token). */
export function createGuestAccess(options: GuestAccessOptions): GuestAccess | null {
  if (typeof options.pepper !== 'string' || options.pepper.length === 0) return null;
  const hasher: SecretHasher = createSecretHasher(options.pepper);
  const path = pathsOf(options.linkPaths).guest_ticket;
  const base = options.publicBaseUrl === undefined ? null : options.publicBaseUrl.replace(/\/+$/, '') + path;
  async function expected(token: string): Promise<{ selector: string; mac: string } | null> {
    const parts = TOKEN.exec(token);
    return parts ? { selector: parts[1]!, mac: await hasher.hash(PURPOSE, parts[2]!) } : null;
  }
  return {
    async mint(random) {
      const selector = randomToken(random, 16);
      const secret = randomToken(random, 32);
      return { selector, token: `${GUEST_TOKEN_PREFIX}${selector}.${secret}`, mac: await hasher.hash(PURPOSE, secret) };
    },
    store(uow, minted, ticketId) {
      const state: StoredGuestAccess = { ticketId, mac: minted.mac };
      uow.create(GUEST_ACCESS_KIND, minted.selector, {
        state: state as unknown as Json,
        indexes: { ticket: ticketId },
        nextDueAt: null,
      });
    },
    expected,
    async verify(reader, token) {
      const wanted = await expected(token);
      if (!wanted) return null;
      const record = await reader.load(GUEST_ACCESS_KIND, wanted.selector);
      const stored = record?.state as unknown as StoredGuestAccess | undefined;
      const ok = constantTimeEqual(wanted.mac, stored?.mac ?? DECOY_MAC);
      if (!ok || !stored) return null;
      const ticket = await reader.load(TICKET_KIND, stored.ticketId);
      const requesterId = (ticket?.state as unknown as StoredTicket | undefined)?.context.requesterId;
      return requesterId === undefined ? null : { ticketId: stored.ticketId, requesterId };
    },
    link(token) {
      return base === null ? null : `${base}?token=${encodeURIComponent(token)}`;
    },
  };
}
