import type { Locale } from '../messages/locales.js';
import type { AccountStatus } from './account-machine.js';
import { effectivePermissions, type Permission } from './permissions.js';
import { accountPrincipal, type AccountRecord, type OrganizationRecord, type PhonePrincipalRecord } from './store.js';

/**
 * What a host may show of an account: never a hash, a token id or a flow binding. Built field
 * by field from the stored record (a new record field stays internal until it is listed here).
 * Frozen.
 */
export interface AccountView {
  id: string;
  kind: 'personal' | 'business';
  /** Canonical login id: `alice` (personal) or `bob@acme` (business). */
  login: string;
  /** Canonical username; for business users the part before `@`. */
  username: string;
  /** Null for a personal account. */
  organizationId: string | null;
  email: string;
  /** E.164, or null. */
  phone: string | null;
  displayName: string;
  locale: Locale;
  status: AccountStatus;
  /** True for `admin@company`. */
  isMainAdmin: boolean;
  /** The permissions in force (every one for the main administrator; none for a personal account). */
  permissions: Permission[];
  /** True while only a temporary password is set. */
  mustChangePassword: boolean;
  temporaryPasswordExpiresAt: number | null;
  /** True after a lost-factor recovery until the next login enrolled a new phone. */
  mustEnrolFactor: boolean;
  /** False after a recovery of a lost email address: password resets are not sent there. */
  emailVerified: boolean;
  createdAt: number;
  activatedAt: number | null;
  /** The stored version, for optimistic concurrency in hosts that cache views. */
  version: number;
}

/** What a host may show of an organisation. Frozen. */
export interface OrganizationView {
  id: string;
  /** The short name after `@` in logins. */
  slug: string;
  name: string;
  mainAdminAccountId: string;
  /** `admin@<slug>`. */
  mainAdminLogin: string;
  /** `smsCodeForLogin`: whether business logins need the one-time SMS code (default true). */
  settings: { smsCodeForLogin: boolean };
  createdAt: number;
  version: number;
}

/** What a host may show of a registered phone number. Frozen. */
export interface PhonePrincipalView {
  /** E.164. */
  phone: string;
  organizationId: string;
  /** The number's grant, a subset of `PHONE_GRANTABLE_PERMISSIONS`. */
  permissions: Permission[];
  label: string | null;
  createdAt: number;
  version: number;
}

/** The view of a stored account at `version`. */
export function accountView(account: AccountRecord, version: number): AccountView {
  return Object.freeze({
    id: account.id,
    kind: account.kind,
    login: account.login,
    username: account.username,
    organizationId: account.organizationId,
    email: account.email,
    phone: account.phone,
    displayName: account.displayName,
    locale: account.locale,
    status: account.status,
    isMainAdmin: account.isMainAdmin,
    permissions: account.kind === 'business' ? effectivePermissions(accountPrincipal(account)) : [],
    mustChangePassword: account.mustChangePassword,
    temporaryPasswordExpiresAt: account.temporaryPasswordExpiresAt,
    mustEnrolFactor: account.mustEnrolFactor === true,
    emailVerified: account.emailVerified !== false,
    createdAt: account.createdAt,
    activatedAt: account.activatedAt,
    version,
  });
}

/** The view of a stored organisation at `version`. */
export function organizationView(org: OrganizationRecord, version: number): OrganizationView {
  return Object.freeze({
    id: org.id,
    slug: org.slug,
    name: org.name,
    mainAdminAccountId: org.mainAdminAccountId,
    mainAdminLogin: `admin@${org.slug}`,
    settings: { smsCodeForLogin: org.settings.smsCodeForLogin },
    createdAt: org.createdAt,
    version,
  });
}

/** The view of a stored phone principal at `version`. */
export function phonePrincipalView(record: PhonePrincipalRecord, version: number): PhonePrincipalView {
  return Object.freeze({
    phone: record.phone,
    organizationId: record.organizationId,
    permissions: [...record.permissions],
    label: record.label,
    createdAt: record.createdAt,
    version,
  });
}
