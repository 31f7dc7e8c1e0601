import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Storage } from '../ports/storage.js';
import { accountErrors } from './error-codes.js';
import { canonicalIdentifier, emailSchema } from './identifiers.js';
import {
  PHONE_PRINCIPAL_KIND,
  findAccountById,
  findAccountByLogin,
  findAccountsByEmail,
  findOrganizationById,
  type AccountRecord,
  type OrganizationRecord,
  type PhonePrincipalRecord,
  type RecordReader,
  type Versioned,
} from './store.js';
import {
  accountView,
  organizationView,
  phonePrincipalView,
  type AccountView,
  type OrganizationView,
  type PhonePrincipalView,
} from './views.js';

// The `find…` functions of store.ts answer null; these are the same reads for a command that
// needs the record, failing with the module's NOT_FOUND code.

/** The account, or ACCOUNT_NOT_FOUND. */
export async function loadAccount(reader: RecordReader, accountId: string): Promise<Versioned<AccountRecord>> {
  const found = await findAccountById(reader, accountId);
  if (!found) throw accountErrors.raise('ACCOUNT_NOT_FOUND', { accountId }, `No account with id "${accountId}".`);
  return found;
}

/** The organisation, or ORGANIZATION_NOT_FOUND. */
export async function loadOrganization(
  reader: RecordReader,
  organizationId: string,
): Promise<Versioned<OrganizationRecord>> {
  const found = await findOrganizationById(reader, organizationId);
  if (!found)
    throw accountErrors.raise(
      'ORGANIZATION_NOT_FOUND',
      { organizationId },
      `No organisation with id "${organizationId}".`,
    );
  return found;
}

/**
 * A business user of organisation `organizationId`, by login (`bob@acme` or just `bob`), with
 * the organisation: ACCOUNT_NOT_FOUND for a user of another organisation too.
 */
export async function loadMember(
  uow: UnitOfWork,
  organizationId: string,
  login: string,
): Promise<{ organization: OrganizationRecord; member: AccountRecord }> {
  const organization = (await loadOrganization(uow, organizationId)).value;
  // Canonical first: a full-width '＠' (NFKC '@') qualifies the login as it does at login.
  const canonical = canonicalIdentifier(login);
  const qualified = canonical.includes('@') ? canonical : `${canonical}@${organization.slug}`;
  const found = await findAccountByLogin(uow, qualified);
  if (!found || found.value.organizationId !== organization.id) {
    throw accountErrors.raise(
      'ACCOUNT_NOT_FOUND',
      { login },
      `No user "${login}" in organisation ${organization.slug}.`,
    );
  }
  return { organization, member: found.value };
}

/** A registered number (E.164), or PHONE_NOT_FOUND. */
export async function loadPhonePrincipal(reader: RecordReader, e164: string): Promise<Versioned<PhonePrincipalRecord>> {
  const record = await reader.load(PHONE_PRINCIPAL_KIND, e164);
  if (!record) throw accountErrors.raise('PHONE_NOT_FOUND', {}, 'That phone number is not registered.');
  return { value: record.state as unknown as PhonePrincipalRecord, version: record.version };
}

/** The view of an account as committed, or ACCOUNT_NOT_FOUND. */
export async function readAccountView(storage: Storage, accountId: string): Promise<AccountView> {
  const found = await loadAccount(storage, accountId);
  return accountView(found.value, found.version);
}

/** The view of an organisation as committed, or ORGANIZATION_NOT_FOUND. */
export async function readOrganizationView(storage: Storage, organizationId: string): Promise<OrganizationView> {
  const found = await loadOrganization(storage, organizationId);
  return organizationView(found.value, found.version);
}

/** The view of a registered number (E.164) as committed, or PHONE_NOT_FOUND. */
export async function readPhoneView(storage: Storage, e164: string): Promise<PhonePrincipalView> {
  const found = await loadPhonePrincipal(storage, e164);
  return phonePrincipalView(found.value, found.version);
}

/**
 * The one account an identifier names: a login id, or an email address that belongs to exactly
 * one account. `sameEmail` lists the accounts of an email address (several: none is chosen).
 */
export async function resolveIdentifier(
  uow: UnitOfWork,
  identifier: string,
): Promise<{ account: Versioned<AccountRecord> | null; sameEmail: AccountRecord[] }> {
  const byLogin = await findAccountByLogin(uow, identifier);
  if (byLogin) return { account: byLogin, sameEmail: [] };
  const email = emailSchema.safeParse(identifier);
  if (!email.success) return { account: null, sameEmail: [] };
  // A list by index is not a guarded read: the one account found is loaded through the unit of work.
  const matches = await findAccountsByEmail(uow.storage, email.data);
  if (matches.length === 1) return { account: await findAccountById(uow, matches[0]!.id), sameEmail: matches };
  return { account: null, sameEmail: matches };
}
