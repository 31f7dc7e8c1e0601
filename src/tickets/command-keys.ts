import type { UnitOfWork } from '../engine/unit-of-work.js';
import { encodeHex } from '../security/base64url.js';
import { hmacSha256, sha256 } from '../security/hmac-sha256.js';
import { ticketAggregate, type LoadedTicket, type Repeat } from './records.js';
import type { TicketActor } from './ticket-machine.js';

const utf8 = new TextEncoder();

/**
 * The hash of an idempotency scope: an HMAC keyed with `label:pepper` (an id or address cannot be
 * found by hashing guesses), or a SHA-256 without `secrets.pepper`. Idempotency keys are not
 * erased with a person (issue 17), so a scope never holds an id or an address itself.
 */
export function scopeHash(pepper: string | undefined, label: string): (text: string) => string {
  const mac = typeof pepper === 'string' && pepper.length > 0 ? hmacSha256(utf8.encode(`${label}:${pepper}`)) : sha256;
  return (text) => encodeHex(mac(utf8.encode(text)));
}

/** A reply's or note's idempotency key with its scope: the command, the ticket and the caller. */
export interface CommandKey {
  scope: string;
  key: string;
}

/** The {@link CommandKey} of a command's `idempotencyKey`, or null without one. */
export type CommandKeys = (
  command: 'reply' | 'note',
  ticketId: string,
  actor: TicketActor,
  key: string | undefined,
) => CommandKey | null;

/** Scopes `reply` and `addNote` keys: `ticket.<command>:` and the hash of the ticket id and the caller. */
export function commandKeys(pepper: string | undefined): CommandKeys {
  const hash = scopeHash(pepper, 'command-scope');
  return (command, ticketId, actor, key) => {
    if (key === undefined) return null;
    const who = `${actor.role}\u0000${'id' in actor ? actor.id : ''}`;
    return { scope: `ticket.${command}:${hash(`${ticketId}\u0000${who}`)}`, key };
  };
}

/**
 * What a repeat of an earlier command with this key answers (`loaded`, or the follow-up a reply
 * to a closed ticket opened), or null: no key, or the key not used yet. Read before the command
 * writes; the commit stores the key ({@link rememberKey}), so of two racing commands with one key
 * the second re-runs and finds it.
 */
export async function repeatOf(uow: UnitOfWork, key: CommandKey | null, loaded: LoadedTicket): Promise<Repeat | null> {
  if (key === null) return null;
  const stored = (await uow.storage.getIdempotency(key.scope, key.key)) as { ticketId?: unknown } | null;
  const ticketId = typeof stored?.ticketId === 'string' ? stored.ticketId : null;
  if (ticketId === null) return null;
  return { repeatOf: ticketId === loaded.snapshot.context.id ? loaded : await ticketAggregate.load(uow, ticketId) };
}

/** Stores the key in the command's commit, answering `ticket` from then on; returns `ticket`. */
export function rememberKey(uow: UnitOfWork, key: CommandKey | null, ticket: LoadedTicket): LoadedTicket {
  if (key !== null) uow.idempotency(key.scope, key.key, { ticketId: ticket.snapshot.context.id });
  return ticket;
}
