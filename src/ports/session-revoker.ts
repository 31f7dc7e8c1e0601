/** Why the sessions of an account are being ended. */
export type SessionRevocationReason = 'password_reset' | 'password_changed' | 'account_disabled' | 'recovery_completed';

/**
 * Ends the sessions a host keeps for an account. The core holds no sessions of its own; it
 * calls this port after a password reset, a password change and when an account is disabled.
 * Optional: without one, nothing is revoked and the result says so (`sessionsRevoked: false`).
 */
export interface SessionRevoker {
  /**
   * Must end every session and refresh token of `accountId`, including the caller's own, so a
   * thief who held a session loses it when the owner resets the password. Called after the
   * change was committed; must be idempotent (it may be called again for the same change).
   * Should throw when it could not revoke: the core records the failure in the account's
   * history and reports `sessionsRevoked: false`, but does not undo the committed change.
   */
  revokeSessions(accountId: string, reason: SessionRevocationReason): Promise<void> | void;
}
