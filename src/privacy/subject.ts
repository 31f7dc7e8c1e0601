import { z } from 'zod';
import type { Storage } from '../ports/storage.js';
import type { StoredRecord } from '../ports/record-store.js';
import { accountHandler, type PersonalDataHandler } from './handlers.js';
import { stringsOf } from './redact-strings.js';

/** Who an export or erasure is about: an account, or a person known only by an address or number. */
export const privacySubjectSchema = z.union([
  z.strictObject({ accountId: z.string().min(1).max(200) }),
  z.strictObject({ email: z.string().trim().toLowerCase().min(3).max(320) }),
  z.strictObject({ phone: z.string().trim().min(3).max(40) }),
]);
/** Who an export or erasure is about: exactly one of `{ accountId }`, `{ email }` or `{ phone }`. */
export type PrivacySubject = z.input<typeof privacySubjectSchema>;

/** A subject resolved against the store: every identifier it goes by, lower-cased. */
export interface ResolvedSubject {
  /** The account id when the subject has an account, else the address or number: keys the pseudonym. */
  key: string;
  accountId: string | null;
  identifiers: string[];
}

/** Record kinds of the privacy machinery itself, never part of a subject's data. */
export const PRIVACY_KINDS = new Set(['privacy_job', 'privacy_retention', 'privacy_tombstone']);

function fromAccount(record: StoredRecord, extra: string[]): ResolvedSubject {
  const identifiers = [...accountHandler.subjectsOf(record.state, record.id), ...extra];
  const email = (record.state as { email?: unknown }).email;
  if (typeof email === 'string') identifiers.push(`contact:${email}`);
  return { key: record.id, accountId: record.id, identifiers: unique(identifiers) };
}

const unique = (values: string[]) => [...new Set(values.map((value) => value.toLowerCase()))];

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
      ? fromAccount(record, [])
      : { key: subject.accountId, accountId: null, identifiers: unique([subject.accountId]) };
  }
  if ('email' in subject) {
    const [record] = await storage.list('account', { where: { email: subject.email }, limit: 1 });
    const extra = [subject.email, `contact:${subject.email}`];
    return record ? fromAccount(record, extra) : { key: subject.email, accountId: null, identifiers: unique(extra) };
  }
  const phone = subject.phone.replace(/[\s()-]/g, '');
  for (const record of await storage.list('account', { where: { phone }, limit: 10 })) {
    if ((record.state as { phone?: unknown }).phone === phone) return fromAccount(record, [phone]);
  }
  return { key: phone, accountId: null, identifiers: unique([phone]) };
}

/** True when the handler says the record concerns one of `identifiers`. */
export function concerns(
  handler: PersonalDataHandler | undefined,
  record: StoredRecord,
  identifiers: ReadonlySet<string>,
): boolean {
  return (handler?.subjectsOf(record.state, record.id) ?? []).some((value) => identifiers.has(value.toLowerCase()));
}

/** True when the record's id names the subject (`send_budget:email:<address>`, a login claim). */
export function idNamesSubject(id: string, identifiers: ReadonlySet<string>): boolean {
  return identifiers.has(id.toLowerCase()) || id.split(/[:|]/).some((part) => identifiers.has(part.toLowerCase()));
}

/** True when any string inside `value` contains one of `identifiers` (ignoring case). */
export function mentions(value: unknown, identifiers: ReadonlySet<string>): boolean {
  return stringsOf(value).some((text) => {
    const lower = text.toLowerCase();
    for (const identifier of identifiers) if (identifier.length >= 3 && lower.includes(identifier)) return true;
    return false;
  });
}
