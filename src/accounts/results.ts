import type { TokenFailure } from './error-codes.js';
import type { AccountView, OrganizationView } from './views.js';

/**
 * The answer of every request that must not reveal whether an account exists (register,
 * activation re-send, password reset request, username reminder): always this, deep-equal.
 */
export interface AcceptedResponse {
  accepted: true;
}

/** A fresh {@link AcceptedResponse} (a new object each time, so no caller can alter another's). */
export const accepted = (): AcceptedResponse => ({ accepted: true });

/**
 * The outcome of following an activation link: the activated account, or a {@link TokenFailure}
 * (`TOKEN_INVALID`, `TOKEN_EXPIRED`, `TOKEN_USED`) — a state of the flow, not an exception.
 */
export type ActivateResult = { ok: true; accountId: string; login: string } | TokenFailure;

/**
 * The outcome of a password reset: the account whose password was set and whether its sessions
 * were revoked through the SessionRevoker port, or a {@link TokenFailure} (`TOKEN_INVALID`,
 * `TOKEN_EXPIRED`, `TOKEN_USED`, `TOO_MANY_ATTEMPTS`) — a state of the flow, not an exception.
 */
export type ResetPasswordResult =
  { ok: true; accountId: string; login: string; sessionsRevoked: boolean } | TokenFailure;

/** What `createOrganization` answers. */
export interface CreateOrganizationResult {
  organization: OrganizationView;
  /** The main administrator, `admin@<slug>`, active with a temporary password sent by mail. */
  admin: AccountView;
}
