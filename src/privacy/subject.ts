import { z } from 'zod';
import type { Storage } from '../ports/storage.js';
import type { StoredRecord } from '../ports/record-store.js';
import { canonicalIdentifier } from '../accounts/identifiers.js';
import { normalizeHungarianMobile } from '../accounts/phone.js';
import { sendingBudgetKey } from '../engine/sending-budget.js';
import { accountHandler, type PersonalDataHandler } from './handlers.js';
import { namesIdentifier } from './redact-strings.js';

/**
 * Who an export or erasure is about: an account, or a person known only by an address or number.
 * Erasure cannot be undone, so a word is refused where an address or number is expected (`van`
 * would otherwise be redacted in every text); an address is canonical as accounts store it
 * (NFKC, trimmed, lower-cased: `ＡＬＩＣＥ@example.com` is Alice's), and a number is E.164 or
 * digits. An `accountId` that names no account is checked by `erase` (service.ts).
 */
export const privacySubjectSchema = z.union([
  z.strictObject({ accountId: z.string().min(1).max(200) }),
  z.strictObject({
    email: z
      .string()
      .max(320)
      .transform(canonicalIdentifier)
      .pipe(
        z
          .string()
          .min(3)
          .regex(/^[^\s@]+@[^\s@]+$/, { error: 'Expected an email address.' }),
      ),
  }),
  z.strictObject({
    phone: z
      .string()
      .trim()
      .min(3)
      .max(40)
      .refine((phone) => e164(phone) !== null || /^\+?[0-9]{6,15}$/.test(phone.replace(/[\s()-]/g, '')), {
        error: 'Expected a phone number.',
      }),
  }),
]);
/** Who an export or erasure is about: exactly one of `{ accountId }`, `{ email }` or `{ phone }`. */
export type PrivacySubject = z.input<typeof privacySubjectSchema>;

/** A subject resolved against the store: every identifier it goes by, lower-cased. */
export interface ResolvedSubject {
  /** The account id when the subject has an account, else the address or number: keys the pseudonym. */
  key: string;
  accountId: string | null;
  /**
   * Unique keys only: account id, canonical login, email (also as `contact:<email>`), phone, and
   * the sending-budget window of a `+tag` address ({@link budgetKeysOf}).
   */
  identifiers: string[];
  /**
   * The identifiers that are bare words (a personal account's login, `bob`): unique among logins,
   * so they name the subject in a login field, a login-keyed record id, and whole in free text;
   * but in another kind's id (an organisation slug) or in a record that exists for someone else
   * (the business user `bob@acme`'s username `bob`) they are that other's. See {@link textKeys}.
   */
  words: string[];
}

/** Record kinds of the privacy machinery itself, never part of a subject's data. */
export const PRIVACY_KINDS = new Set(['privacy_job', 'privacy_retention', 'privacy_tombstone']);

/**
 * The subject of an account: its unique keys, and the budget windows of its `+tag` addresses
 * ({@link budgetKeysOf}). Not the addresses and numbers it had before: one given up may be someone
 * else's since (a guest requester's, another account's), and the records naming it are theirs.
 */
async function fromAccount(storage: Storage, record: StoredRecord, extra: string[]): Promise<ResolvedSubject> {
  const identifiers = [...accountHandler.subjectsOf(record.state, record.id), ...extra];
  const { email, login } = record.state as { email?: unknown; login?: unknown };
  if (typeof email === 'string') identifiers.push(`contact:${email}`);
  identifiers.push(...(await budgetKeysOf(identifiers, otherAccountKeys(storage, record.id))));
  const words = typeof login === 'string' && !login.includes('@') ? [login] : [];
  return { key: record.id, accountId: record.id, identifiers: unique(identifiers), words: unique(words) };
}

const unique = (values: string[]) => [...new Set(values.map((value) => value.toLowerCase()))];

/**
 * The sending-budget windows (`rate_window` ids) of the `+tag` addresses among `identifiers`: the
 * budget folds an address to its mailbox (`alice+desk@example.com` spends
 * `send_budget:email:alice@example.com`, {@link sendingBudgetKey}), so the window's id does not
 * hold the address as given. The window, not the mailbox's address: that may be someone else's
 * (a requester, an account), whose tickets and mail are not the subject's; and not when the
 * mailbox is another account's key (`othersKey`): the window is theirs too.
 */
export async function budgetKeysOf(
  identifiers: readonly string[],
  othersKey: (value: string) => Promise<boolean>,
): Promise<string[]> {
  const keys: string[] = [];
  for (const identifier of identifiers) {
    if (!/^[^\s@:]+@[^\s@]+$/.test(identifier)) continue; // an address, not `contact:<address>`
    const key = sendingBudgetKey('email', identifier);
    const mailbox = key.slice(key.lastIndexOf(':') + 1);
    if (mailbox === identifier.toLowerCase() || (await othersKey(mailbox))) continue;
    keys.push(key);
  }
  return unique(keys);
}

/**
 * Finds the account behind an email address or phone number, if any, and lists every
 * identifier of the subject. A phone number is looked up through the accounts' `phone` index
 * (PostgreSQL: migration 4 adds it to accounts stored before).
 */
export async function resolveSubject(
  storage: Storage,
  subject: z.output<typeof privacySubjectSchema>,
): Promise<ResolvedSubject> {
  if ('accountId' in subject) {
    const record = await storage.load('account', subject.accountId);
    return record
      ? fromAccount(storage, record, [])
      : { key: subject.accountId, accountId: null, identifiers: unique([subject.accountId]), words: [] };
  }
  if ('email' in subject) {
    const [record] = await storage.list('account', { where: { email: subject.email }, limit: 1 });
    const extra = [subject.email, `contact:${subject.email}`];
    if (record) return fromAccount(storage, record, extra);
    const budgets = await budgetKeysOf(extra, otherAccountKeys(storage, null));
    return { key: subject.email, accountId: null, identifiers: unique([...extra, ...budgets]), words: [] };
  }
  // The library stores numbers as E.164 (`normalizeHungarianMobile`): `06 30 …`, `+36-30/…` and
  // `0036…` are the same person. A number it does not accept is looked for as given, stripped.
  const stripped = subject.phone.replace(/[\s()-]/g, '');
  const normalized = e164(subject.phone);
  const phone = normalized ?? stripped;
  for (const record of await storage.list('account', { where: { phone }, limit: 10 })) {
    if ((record.state as { phone?: unknown }).phone === phone) return fromAccount(storage, record, [phone, stripped]);
  }
  return { key: phone, accountId: null, identifiers: unique([phone, stripped]), words: [] };
}

/**
 * A check "is `value` a unique key (id, email, phone or login) of an account other than
 * `accountId`", reading each value once. An address or number names an account only as that
 * account's own (through {@link resolveSubject}): an identifier learned from a record (a ticket
 * filed for an account under another address, a recovery case a stranger opened for a login)
 * must not make someone else's account, or its keys, the subject's.
 */
export function otherAccountKeys(storage: Storage, accountId: string | null): (value: string) => Promise<boolean> {
  const seen = new Map<string, Promise<boolean>>();
  return (value) => {
    const key = value.replace(/^(contact|phone):/i, '');
    if (!seen.has(key)) seen.set(key, isOtherAccountKey(storage, key, accountId));
    return seen.get(key)!;
  };
}

async function isOtherAccountKey(storage: Storage, value: string, accountId: string | null): Promise<boolean> {
  const other = (id: unknown) => typeof id === 'string' && id !== accountId;
  if (other((await storage.load('account', value))?.id)) return true;
  const lower = value.toLowerCase();
  const wheres: Array<Record<string, string>> = [
    ...(value.includes('@') ? [{ email: lower }, ...(lower === value ? [] : [{ email: value }])] : []),
    ...(/^\+?[0-9]{6,15}$/.test(value) ? [{ phone: value }] : []),
  ];
  for (const where of wheres) {
    if ((await storage.list('account', { where, limit: 2 })).some((record) => other(record.id))) return true;
  }
  // A login's claim record (`account_login`, keyed by the canonical login).
  return other(((await storage.load('account_login', lower))?.state as { accountId?: unknown } | null)?.accountId);
}

function e164(phone: string): string | null {
  try {
    return normalizeHungarianMobile(phone);
  } catch {
    return null;
  }
}

/**
 * The identifiers that decide on their own that a place is the subject's (a record id of any
 * kind, a message or event naming them) and that are replaced even in records existing for
 * someone else: every identifier but the bare words ({@link ResolvedSubject.words}).
 */
export function textKeys(identifiers: readonly string[], words: readonly string[] = []): string[] {
  const bare = new Set(words.map((word) => word.toLowerCase()));
  return identifiers.filter((identifier) => !bare.has(identifier.toLowerCase()));
}

/** Kinds whose ids are keyed by a login (claims, a login's recovery cases, rate windows of a login). */
const LOGIN_KEYED_KINDS = new Set(['account_login', 'recovery_login', 'rate_window']);

/** True when the handler says the record concerns one of `identifiers`. */
export function concerns(
  handler: PersonalDataHandler | undefined,
  record: StoredRecord,
  identifiers: ReadonlySet<string>,
): boolean {
  return (handler?.subjectsOf(record.state, record.id) ?? []).some((value) => identifiers.has(value.toLowerCase()));
}

/**
 * True when the record's id names the subject (`send_budget:email:<address>`, a login claim):
 * the whole id, a `|`-separated part or a `:`/`|`-separated part is one of `keys`, or, in a login-keyed kind
 * (`account_login`, `recovery_login`, `rate_window`), one of the subject's bare `words`.
 */
export function idNamesSubject(
  id: string,
  keys: ReadonlySet<string>,
  kind?: string,
  words: ReadonlySet<string> = new Set(),
): boolean {
  // `|` also ends a whole key: `send_budget:email:<mailbox>|owner` is the window `send_budget:email:<mailbox>`'s.
  const parts = [id, ...id.split('|'), ...id.split(/[:|]/)].map((part) => part.toLowerCase());
  if (parts.some((part) => keys.has(part))) return true;
  return kind !== undefined && LOGIN_KEYED_KINDS.has(kind) && parts.some((part) => words.has(part));
}

/** True when a string inside `value` holds one of `keys` whole, as erasure matches them (`namesIdentifier`). */
export function mentions(value: unknown, keys: ReadonlySet<string>): boolean {
  return namesIdentifier(value, [...keys]);
}
