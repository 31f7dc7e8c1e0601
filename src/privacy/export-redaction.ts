import type { Json } from '../ports/json.js';
import { LOCKOUT_KIND } from '../security/lockout.js';

/**
 * What an export shows in place of a stored secret: it says the thing exists (a factor's sealed
 * secret, a backup code's MAC) without handing over what could be attacked offline or replayed.
 */
export const EXPORT_SECRET_MARKER = '[secret]';

/**
 * Words that make a key name a secret, wherever the key sits (`passwordHash`, `sealedSecret`,
 * `tokenMac`, `cancelTokenHashes`, `sealed`): a new field named so is redacted without being listed.
 * Keys are read by their words (camelCase, `_`, `-`), so `machine` and `hashtag` are not secrets.
 */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'hash',
  'hashes',
  'hashed',
  'digest',
  'hmac',
  'hmacs',
  'secret',
  'secrets',
  'sealed',
  'token',
  'tokens',
  'pepper',
  'salt',
  'password',
  'passwords',
  'passphrase',
  'credential',
  'credentials',
]);

/** `mac` names a message authentication code only as the last word (`tokenMac`); `macAddress` is a device's. */
const LAST_WORD_SECRETS: ReadonlySet<string> = new Set(['mac', 'macs']);

/**
 * Fields each kind keeps a secret in, by key name at any depth of its state: the declared list,
 * covering what the key rule cannot read from a name (`clientKey`, `knownClients`: HMACs of the
 * host's client key) and restating what it does, so a renamed field is noticed by review.
 */
export const EXPORT_SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  account: ['passwordHash', 'temporaryPasswordHash', 'activationTokenId', 'resetTokenId'],
  account_factors: ['sealedSecret', 'mac'],
  session: ['tokenMac'],
  remembered_device: ['tokenMac'],
  one_time_code: ['mac'],
  recovery_case: ['cancelTokenHashes'],
  login_flow: ['clientKey', 'tokenMac'],
  login_lockout: ['knownClients'],
  'ticket-guest-access': ['mac'],
};

/** Secret fields of an outbox payload: the sealed text of a code, link or temporary password. */
export const OUTBOX_SECRET_FIELDS: readonly string[] = ['sealed'];

/** Kinds whose record id is the HMAC of a token (a link token, a survey link): the id is shown as the marker. */
export const SECRET_ID_KINDS: ReadonlySet<string> = new Set(['link_token', 'ticket-survey']);

/**
 * Lockout keys (`src/security/lockout.ts`) name a subject and, in some parts, an HMAC: of a login
 * typed for no account (`identifier:<hmac>`), of a host's client key (`|client:<hmac>`), of a
 * step-up's session (`|session:<hmac>`). Those parts become the marker in a `login_lockout` id and
 * in a `lockoutKey` value; the subject's part (`account:<id>`, `phone:<e164>`) stays.
 */
const LOCKOUT_HMAC_PARTS: ReadonlySet<string> = new Set(['identifier', 'client', 'session']);
/** The field that holds a lockout key outside a lockout's own id. */
const LOCKOUT_KEY_FIELD = 'lockoutKey';

function withoutLockoutHmacs(key: string): string {
  return key
    .split('|')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon > 0 && LOCKOUT_HMAC_PARTS.has(part.slice(0, colon))
        ? `${part.slice(0, colon + 1)}${EXPORT_SECRET_MARKER}`
        : part;
    })
    .join('|');
}

/** True when a key's name says it holds a secret (see {@link SECRET_WORDS}). */
export function namesSecret(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((word) => word !== '');
  const last = words[words.length - 1];
  return words.some((word) => SECRET_WORDS.has(word)) || (last !== undefined && LAST_WORD_SECRETS.has(last));
}

/**
 * A copy of `value` with every secret replaced by {@link EXPORT_SECRET_MARKER}: the value of a key
 * that {@link namesSecret} or that `declared` lists. Under such a key a string or an object becomes
 * the marker, an array keeps its length (each item redacted), and a number, boolean or null stays
 * (a time, a count, a flag: `passwordChangedAt`, `usedAt`). Values are never read as text: a ticket
 * saying "password" keeps its words.
 */
export function redactSecrets<T extends Json>(value: T, declared: readonly string[] = []): T {
  return redact(value, new Set(declared), false) as T;
}

function redact(value: Json, declared: ReadonlySet<string>, secret: boolean): Json {
  if (Array.isArray(value)) return value.map((item) => redact(item, declared, secret));
  if (value !== null && typeof value === 'object') {
    if (secret) return EXPORT_SECRET_MARKER;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        key === LOCKOUT_KEY_FIELD && typeof item === 'string'
          ? withoutLockoutHmacs(item)
          : redact(item as Json, declared, declared.has(key) || namesSecret(key)),
      ]),
    );
  }
  return secret && typeof value === 'string' ? EXPORT_SECRET_MARKER : value;
}

/** The secret fields declared for `kind` (none for a kind the library does not know). */
export function secretFieldsOf(kind: string): readonly string[] {
  return Object.hasOwn(EXPORT_SECRET_FIELDS, kind) ? EXPORT_SECRET_FIELDS[kind]! : [];
}

/** A record id as exported: the marker when the kind's id is a token's HMAC, a lockout key without its HMACs. */
export function exportedId(kind: string, id: string): string {
  if (SECRET_ID_KINDS.has(kind)) return EXPORT_SECRET_MARKER;
  return kind === LOCKOUT_KIND ? withoutLockoutHmacs(id) : id;
}
