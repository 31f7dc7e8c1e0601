/**
 * Internal storage layout of accounts and organisations, and the lookups the account commands
 * and the account gateway (`account-repository.ts`) build on. Login and recovery must not import
 * this file (they use the gateway, and `login-identifier.ts` to parse a login). Not part of the
 * public export list.
 *
 * | kind | id | state | indexes |
 * |---|---|---|---|
 * | `account` | `acc_…` | {@link AccountRecord} | `email`, `accountKind`, `organization` (business), `phone` |
 * | `account_login` | canonical login id (`alice`, `bob@acme`) | `{ accountId }` | – |
 * | `account_email` | canonical email (personal accounts only) | `{ accountId }` | – |
 * | `organization` | `org_…` | {@link OrganizationRecord} | `slug` |
 * | `organization_slug` | canonical slug | `{ organizationId }` | – |
 * | `phone_principal` | E.164 | {@link PhonePrincipalRecord} | `organization` |
 * | `link_token` | HMAC of the token | secret-machine snapshot + purpose, accountId | `account` |
 * | `one_time_code` | `<purpose>:<subject>` | secret-machine snapshot + purpose, subject, HMAC | – |
 * | `rate_window` | `<what>:<accountId>` | `{ hits: number[] }` | – |
 *
 * Claim records (`account_login`, `account_email`, `organization_slug`) are created with
 * expected version 0 in the same commit as the record they point to, so uniqueness is atomic.
 */
import type { RecordReader } from '../engine/aggregate.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Locale } from '../messages/locales.js';
import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';
import type { AccountStatus } from './account-machine.js';
import { canonicalIdentifier, emailSchema } from './identifiers.js';
import { parseLoginIdentifier } from './login-identifier.js';
import type { Permission } from './permissions.js';
import { normalizeHungarianMobile } from './phone.js';
import type { Principal } from './principal.js';
import type { FactorType } from '../factors/factor-record.js';

/** Record kind: An account record (`acc_…`). */
export const ACCOUNT_KIND = 'account';
/** Record kind: The uniqueness claim of a login id. */
export const LOGIN_CLAIM_KIND = 'account_login';
/** Record kind: The uniqueness claim of a personal account's email. */
export const EMAIL_CLAIM_KIND = 'account_email';
/** Record kind: An organisation record (`org_…`). */
export const ORGANIZATION_KIND = 'organization';
/** Record kind: The uniqueness claim of an organisation's slug. */
export const SLUG_CLAIM_KIND = 'organization_slug';
/** Record kind: A registered phone number, keyed by E.164. */
export const PHONE_PRINCIPAL_KIND = 'phone_principal';

/** Every record kind this module writes (codes, link tokens and rate windows are the security module's). */
export const ACCOUNT_RECORD_KINDS = [
  ACCOUNT_KIND,
  LOGIN_CLAIM_KIND,
  EMAIL_CLAIM_KIND,
  ORGANIZATION_KIND,
  SLUG_CLAIM_KIND,
  PHONE_PRINCIPAL_KIND,
] as const;

/** A stored account. Nothing here is a secret in clear: hashes only. */
export interface AccountRecord {
  id: string;
  kind: 'personal' | 'business';
  /** Canonical username; for business users the part before `@`. */
  username: string;
  /** Canonical login id: `alice` (personal) or `bob@acme` (business). */
  login: string;
  organizationId: string | null;
  email: string;
  /** E.164 or null. */
  phone: string | null;
  displayName: string;
  locale: Locale;
  status: AccountStatus;
  /** `admin@company`: holds every permission; can never be disabled. */
  isMainAdmin: boolean;
  /** Granted permissions (business users); empty for personal accounts and ignored for the main admin. */
  permissions: Permission[];
  /** PasswordHasher output, or null while only a temporary password exists. */
  passwordHash: string | null;
  /** True while the account holds a temporary password: it may only be used to set a new one. */
  mustChangePassword: boolean;
  /** HMAC (purpose `temporary_password`) of the temporary password; null once changed. */
  temporaryPasswordHash: string | null;
  temporaryPasswordExpiresAt: number | null;
  /**
   * The login flow that accepted the temporary password: it is usable once, so every other
   * flow is refused it. Cleared when a new temporary password is issued. Absent: unused.
   */
  temporaryPasswordFlowId?: string | null;
  passwordChangedAt: number | null;
  /** Record id (the MAC) of the live activation link, so a re-send can invalidate it. */
  activationTokenId: string | null;
  /** Record id of the live password-reset link. */
  resetTokenId: string | null;
  createdAt: number;
  updatedAt: number;
  activatedAt: number | null;
  /**
   * Set by a completed lost-factor recovery: the next login must enrol a new phone (verified
   * with a code sent to it) before it succeeds. Absent on older records: false.
   */
  mustEnrolFactor?: boolean;
  /**
   * False after a recovery of a lost email address: the address stays on record (and is still
   * notified) but password resets are no longer sent to it. Absent: true.
   */
  emailVerified?: boolean;
  /**
   * Counts the changes that end what a login flow proved at its password step: a password set
   * (reset, change, forced change), a temporary password issued, a completed recovery. A flow
   * remembers it at its password step and cannot finish once it moved. Absent: 0.
   */
  credentialEpoch?: number;
}

/** The account's {@link AccountRecord.credentialEpoch} (0 when absent). */
export const credentialEpochOf = (account: Pick<AccountRecord, 'credentialEpoch'>): number =>
  account.credentialEpoch ?? 0;

/** The epoch after one more credential change: what a reset, a reissue or a recovery writes. */
export const nextCredentialEpoch = (account: Pick<AccountRecord, 'credentialEpoch'>): number =>
  credentialEpochOf(account) + 1;

/** The settings of an organisation. */
export interface OrganizationSettings {
  /** Whether business logins need the one-time SMS code. Default true; only the main administrator may change it. */
  smsCodeForLogin: boolean;
  /**
   * The second factors the organisation's users may enrol and use (`desk.factors.setOrganizationFactors`).
   * Absent: every type.
   */
  allowedFactors?: FactorType[];
  /**
   * Whether business logins need a second factor; set together with `smsCodeForLogin`, which stays its
   * SMS-era name. Absent: read `smsCodeForLogin`.
   */
  secondFactorRequired?: boolean;
}

/** A stored organisation. */
export interface OrganizationRecord {
  id: string;
  /** Canonical short name used after `@` in logins. */
  slug: string;
  name: string;
  mainAdminAccountId: string;
  settings: OrganizationSettings;
  createdAt: number;
  updatedAt: number;
}

/** A stored phone principal: a number tied to an organisation with a restricted grant. */
export interface PhonePrincipalRecord {
  /** E.164. */
  phone: string;
  organizationId: string;
  /** The number's grant; a subset of PHONE_GRANTABLE_PERMISSIONS. */
  permissions: Permission[];
  label: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Anything records can be read from: the storage, or a unit of work (which also sees its own pending writes). */
export type { RecordReader };

/** A record together with the version it was read at. */
export interface Versioned<T> {
  value: T;
  version: number;
}

const stateOf = <T>(record: StoredRecord) => record.state as unknown as T;

export { parseLoginIdentifier, type LoginIdentifier } from './login-identifier.js';

/** The account with that id, or null. */
export async function findAccountById(
  reader: RecordReader,
  accountId: string,
): Promise<Versioned<AccountRecord> | null> {
  const record = await reader.load(ACCOUNT_KIND, accountId);
  return record ? { value: stateOf<AccountRecord>(record), version: record.version } : null;
}

/**
 * The account behind a login identifier (`alice` or `bob@acme`, any case, NFKC, spaces
 * trimmed), or null — also for malformed identifiers, so the caller can answer uniformly.
 */
export async function findAccountByLogin(
  reader: RecordReader,
  identifier: string,
): Promise<Versioned<AccountRecord> | null> {
  const parsed = parseLoginIdentifier(identifier);
  if (!parsed) return null;
  const claim = await reader.load(LOGIN_CLAIM_KIND, parsed.login);
  if (!claim) return null;
  return findAccountById(reader, stateOf<{ accountId: string }>(claim).accountId);
}

/**
 * The personal account whose address is `email` (canonicalised; a personal account's address is
 * unique), or null — also for a malformed address. Business users share addresses, so they log in
 * by `username@company`.
 */
export async function findAccountByEmail(
  reader: RecordReader,
  email: string,
): Promise<Versioned<AccountRecord> | null> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return null;
  const claim = await reader.load(EMAIL_CLAIM_KIND, parsed.data);
  if (!claim) return null;
  const found = await findAccountById(reader, stateOf<{ accountId: string }>(claim).accountId);
  // A claim left from before an address change (or by an older release) names no one.
  return found !== null && found.value.email.toLowerCase() === parsed.data.toLowerCase() ? found : null;
}

/** Every account (personal and business) whose email is `email` (canonicalised), oldest first. */
export async function findAccountsByEmail(storage: Storage, email: string): Promise<AccountRecord[]> {
  const read = accountsByEmailRead(email);
  if (read === null) return [];
  return accountsOf(await storage.list(read.kind, read.query));
}

/** The `list` read {@link findAccountsByEmail} makes, to batch with others; null for an address that is none. */
export function accountsByEmailRead(email: string) {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return null;
  return { op: 'list' as const, kind: ACCOUNT_KIND, query: { where: { email: parsed.data }, limit: 100 } };
}

/** The accounts in the records of an {@link accountsByEmailRead}. */
export const accountsOf = (records: readonly StoredRecord[]): AccountRecord[] =>
  records.map((r) => stateOf<AccountRecord>(r));

/** The organisation with that id, or null. */
export async function findOrganizationById(
  reader: RecordReader,
  organizationId: string,
): Promise<Versioned<OrganizationRecord> | null> {
  const record = await reader.load(ORGANIZATION_KIND, organizationId);
  return record ? { value: stateOf<OrganizationRecord>(record), version: record.version } : null;
}

/** The organisation with that short name (canonicalised), or null. */
export async function findOrganizationBySlug(
  reader: RecordReader,
  slug: string,
): Promise<Versioned<OrganizationRecord> | null> {
  const claim = await reader.load(SLUG_CLAIM_KIND, canonicalIdentifier(slug));
  if (!claim) return null;
  return findOrganizationById(reader, stateOf<{ organizationId: string }>(claim).organizationId);
}

/** The phone principal of a number in any accepted Hungarian format, or null (also for a malformed number). */
export async function findPhonePrincipal(
  reader: RecordReader,
  phone: string,
): Promise<Versioned<PhonePrincipalRecord> | null> {
  let e164: string;
  try {
    e164 = normalizeHungarianMobile(phone);
  } catch {
    return null;
  }
  const record = await reader.load(PHONE_PRINCIPAL_KIND, e164);
  return record ? { value: stateOf<PhonePrincipalRecord>(record), version: record.version } : null;
}

/** The principal of an account, as the login module puts it in the AuthContext. */
export function accountPrincipal(account: AccountRecord): Principal {
  return {
    type: 'account',
    accountId: account.id,
    login: account.login,
    organizationId: account.organizationId,
    isMainAdmin: account.isMainAdmin,
    permissions: [...account.permissions],
  };
}

/** The principal of a phone-number login: exactly the number's grant. */
export function phonePrincipal(record: PhonePrincipalRecord): Principal {
  return {
    type: 'phone',
    phone: record.phone,
    organizationId: record.organizationId,
    permissions: [...record.permissions],
  };
}

/** The exact-match keys an account is listed by: `email`, `accountKind`, `status`, `organization` (business), `phone`. */
export function accountIndexes(account: AccountRecord): Record<string, string> {
  const indexes: Record<string, string> = { email: account.email, accountKind: account.kind, status: account.status };
  if (account.organizationId !== null) indexes.organization = account.organizationId;
  // Privacy finds a subject by phone through it, instead of walking every account.
  if (account.phone !== null) indexes.phone = account.phone;
  return indexes;
}

/** Writes an account the unit of work loaded (or creates it with `create`). */
export function writeAccount(uow: UnitOfWork, account: AccountRecord, create = false): void {
  const change = { state: account as unknown as Json, indexes: accountIndexes(account), nextDueAt: null };
  if (create) uow.create(ACCOUNT_KIND, account.id, change);
  else uow.put(ACCOUNT_KIND, account.id, change);
}

/** Writes an organisation the unit of work loaded (or creates it with `create`). */
export function writeOrganization(uow: UnitOfWork, organization: OrganizationRecord, create = false): void {
  const change = { state: organization as unknown as Json, indexes: { slug: organization.slug }, nextDueAt: null };
  if (create) uow.create(ORGANIZATION_KIND, organization.id, change);
  else uow.put(ORGANIZATION_KIND, organization.id, change);
}

/** Writes a phone principal the unit of work loaded (or creates it with `create`). */
export function writePhonePrincipal(uow: UnitOfWork, record: PhonePrincipalRecord, create = false): void {
  const change = {
    state: record as unknown as Json,
    indexes: { organization: record.organizationId },
    nextDueAt: null,
  };
  if (create) uow.create(PHONE_PRINCIPAL_KIND, record.phone, change);
  else uow.put(PHONE_PRINCIPAL_KIND, record.phone, change);
}

/** Appends an entry to an account's history (never a secret in `data`). */
export function recordAccountHistory(uow: UnitOfWork, accountId: string, type: string, actor: Json, data: Json): void {
  uow.history({ kind: ACCOUNT_KIND, id: accountId, at: uow.now, type, actor, data });
}

/** Appends an entry to an organisation's audit trail. */
export function recordOrganizationHistory(
  uow: UnitOfWork,
  organizationId: string,
  type: string,
  actor: Json,
  data: Json,
): void {
  uow.history({ kind: ORGANIZATION_KIND, id: organizationId, at: uow.now, type, actor, data });
}

/** Appends an entry to a phone principal's history. */
export function recordPhoneHistory(uow: UnitOfWork, phone: string, type: string, actor: Json, data: Json): void {
  uow.history({ kind: PHONE_PRINCIPAL_KIND, id: phone, at: uow.now, type, actor, data });
}

/** Creates a uniqueness claim; the commit fails (and the command retries) if it already exists. */
export function claim(
  uow: UnitOfWork,
  kind: typeof LOGIN_CLAIM_KIND | typeof EMAIL_CLAIM_KIND | typeof SLUG_CLAIM_KIND,
  id: string,
  state: Json,
): void {
  uow.create(kind, id, { state, nextDueAt: null });
}

/**
 * Stores a new password hash on an account inside `uow` and ends the temporary-password state.
 * The caller has checked the policy, hashed the password, and adds history and the
 * `password.changed` mail (or uses `AccountRepository.setPassword`, which does all of it).
 */
export function applyPasswordHash(account: AccountRecord, passwordHash: string, at: number): AccountRecord {
  return {
    ...account,
    passwordHash,
    mustChangePassword: false,
    temporaryPasswordHash: null,
    temporaryPasswordExpiresAt: null,
    temporaryPasswordFlowId: null,
    passwordChangedAt: at,
    resetTokenId: null,
    credentialEpoch: nextCredentialEpoch(account),
    updatedAt: at,
  };
}
