import type { HistoryEntry } from '../ports/history-store.js';
import type { AcceptedResponse, ActivateResult, CreateOrganizationResult, ResetPasswordResult } from './results.js';
import type {
  ActivateInput,
  CreateBusinessUserInput,
  CreateOrganizationInput,
  RegisterInput,
  ReissueTemporaryPasswordInput,
  RegisterPhoneNumberInput,
  RequestPasswordResetInput,
  ResendActivationInput,
  ResetPasswordInput,
  SetOrganizationSettingsInput,
  SetPermissionsInput,
  SetPhonePermissionsInput,
  SetUserStatusInput,
  UsernameReminderInput,
} from './schemas.js';
import type { AccountView, OrganizationView, PhonePrincipalView } from './views.js';

/**
 * The account service behind `desk.accounts`: registration and activation, password and
 * username recovery, organisations, business users, permissions and phone principals.
 *
 * Every method must throw CONFIGURATION_INVALID when no pepper is configured, and INVALID_INPUT
 * (with the zod issues, storing nothing) for input its schema refuses. Administrative commands
 * take the caller's `auth` (an AuthContext from a login) and check it against the records as
 * stored now: a disabled account or a revoked grant takes effect at once. Requests that could
 * reveal whether an account exists answer the same `{ accepted: true }` whatever happened.
 * An expired or used link or code is an outcome (`{ ok: false, code }`), never a throw.
 */
export interface AccountService {
  /**
   * Registers a personal account that cannot log in until activated, and mails the activation
   * link (24 h by default, single use). The answer is `{ accepted: true }` whether or not the
   * username or the email is taken; when the email already has an account, its owner is mailed
   * instead, and when the username is taken, the registrant is told at the address they gave.
   * Bad input (email, username, password outside the policy) is INVALID_INPUT and stores nothing.
   */
  register(input: RegisterInput): Promise<AcceptedResponse>;

  /**
   * Follows an activation link: the account becomes active and the link is used up. Returns
   * `{ ok: false, code }` with TOKEN_INVALID (unknown or replaced), TOKEN_EXPIRED or TOKEN_USED.
   */
  activate(input: ActivateInput): Promise<ActivateResult>;

  /**
   * Mails a new activation link to an account still waiting for activation and invalidates the
   * previous link. `identifier` is the username or the email. Uniform answer; at most
   * `requestsPerWindow` per account and window (default 5 per hour), further ones dropped silently.
   */
  resendActivation(input: ResendActivationInput): Promise<AcceptedResponse>;

  /**
   * Sends a password reset to the address on record: by `email` a single-use link (1 h, the
   * default) or a code, by `sms` a 6-digit code (5 min, 5 wrong tries) to the account's phone.
   * `identifier` is a login (`alice`, `bob@acme`) or an email; an email shared by several
   * accounts gets the username reminder instead, so the user can ask again by login.
   * The answer is uniform; nothing is sent for unknown or disabled accounts, accounts without
   * a phone (SMS), by SMS to an account never activated, to an email address a recovery marked
   * unverified, beyond `requestsPerWindow` requests per account and window, or beyond
   * `resetSmsPerNumber` SMS per number and `resetSmsWindow`. After `resetCodeMaxFailures` wrong
   * codes within `resetCodeFailureWindow` no code is issued (an email request gets the link
   * instead). A new request replaces every earlier reset secret. Never blocked by login lockout.
   */
  requestPasswordReset(input: RequestPasswordResetInput): Promise<AcceptedResponse>;

  /**
   * Sets a new password with a reset link token (`{ token, newPassword }`) or a reset code
   * (`{ identifier, code, newPassword }`). The secret is consumed in the same commit as the new
   * password, so of two racing submissions exactly one wins; the other gets TOKEN_USED. Then
   * sessions are revoked through the SessionRevoker port and the owner is mailed. The second
   * factor and the organisation's SMS setting are untouched, and no session is created: the
   * user logs in normally afterwards. A refused secret is `{ ok: false, code }` (TOKEN_INVALID,
   * TOKEN_EXPIRED, TOKEN_USED, TOO_MANY_ATTEMPTS); a new password outside the policy is
   * INVALID_INPUT and consumes nothing.
   */
  resetPassword(input: ResetPasswordInput): Promise<ResetPasswordResult>;

  /** Mails the logins tied to an email address there. Uniform answer; rate-limited per address. */
  requestUsernameReminder(input: UsernameReminderInput): Promise<AcceptedResponse>;

  /**
   * Creates an organisation (`slug`, e.g. `acme`) and its main administrator `admin@acme`, who
   * gets a unique temporary password by mail (72 h by default, only to set a new password at
   * first login). SMS codes at login are on by default. A host operation (after the
   * administrator's declaration): it takes no AuthContext. ORGANIZATION_EXISTS when the slug is
   * taken.
   */
  createOrganization(input: CreateOrganizationInput): Promise<CreateOrganizationResult>;

  /**
   * Creates a business user `username@company` in the actor's organisation with the given
   * permissions (needs `users.manage`, and only permissions the actor holds: PERMISSION_DENIED).
   * The user gets a unique temporary password by mail. `admin` and taken logins are USERNAME_TAKEN.
   */
  createBusinessUser(input: CreateBusinessUserInput): Promise<AccountView>;

  /**
   * Replaces a business user's permissions (needs `users.manage`; one can only add or remove
   * permissions one holds). The main administrator's rights are implicit and cannot be changed:
   * MAIN_ADMIN_REQUIRED. A user of another organisation is ACCOUNT_NOT_FOUND.
   */
  setPermissions(input: SetPermissionsInput): Promise<AccountView>;

  /**
   * Disables or re-enables a business user (needs `users.manage`, and every permission the
   * user holds: PERMISSION_DENIED otherwise, as for setPermissions). Disabling revokes the
   * user's sessions. The main administrator can never be disabled: MAIN_ADMIN_REQUIRED.
   */
  setUserStatus(input: SetUserStatusInput): Promise<AccountView>;

  /**
   * Issues a new temporary password to a business user who has not set a password yet (e.g. the
   * 72 h ran out, or a login flow used it up and was abandoned) and mails it, replacing the
   * previous one. Needs `users.manage`; only the main administrator may re-issue the main
   * administrator's. PERMISSION_DENIED for a user who already set a password.
   */
  reissueTemporaryPassword(input: ReissueTemporaryPasswordInput): Promise<AccountView>;

  /**
   * Changes organisation settings. `smsCodeForLogin` may be changed only by the main
   * administrator with a second factor (`amr` includes `sms`) no older than
   * `secondFactorMaxAge` (15 min by default): else PERMISSION_DENIED or SECOND_FACTOR_REQUIRED.
   * The change is written to the organisation's history and mailed to its administrators.
   */
  setOrganizationSettings(input: SetOrganizationSettingsInput): Promise<OrganizationView>;

  /**
   * Ties a Hungarian mobile number (any accepted format, stored as E.164) to the actor's
   * organisation with a restricted grant (needs `phones.manage`; only permissions a phone may
   * hold, and only ones the actor holds). PHONE_ALREADY_REGISTERED when the number is taken.
   */
  registerPhoneNumber(input: RegisterPhoneNumberInput): Promise<PhonePrincipalView>;

  /**
   * Replaces a registered number's grant (needs `phones.manage`, within the actor's own
   * permissions). A number of another organisation is PHONE_NOT_FOUND.
   */
  setPhonePermissions(input: SetPhonePermissionsInput): Promise<PhonePrincipalView>;

  /** The account (no hashes), or ACCOUNT_NOT_FOUND. */
  getAccount(accountId: string): Promise<AccountView>;

  /** The organisation with its settings, or ORGANIZATION_NOT_FOUND. */
  getOrganization(organizationId: string): Promise<OrganizationView>;

  /** A registered number (any accepted format) with its grant, or PHONE_NOT_FOUND. */
  getPhoneNumber(phone: string): Promise<PhonePrincipalView>;

  /** The account's history: registration, activation, resets, permission changes. Never a secret. ACCOUNT_NOT_FOUND. */
  accountHistory(accountId: string): Promise<HistoryEntry[]>;

  /** The organisation's audit trail (creation, users, setting changes). ORGANIZATION_NOT_FOUND. */
  organizationHistory(organizationId: string): Promise<HistoryEntry[]>;

  /** A registered number's history (registration, grant changes). PHONE_NOT_FOUND. */
  phoneHistory(phone: string): Promise<HistoryEntry[]>;
}
