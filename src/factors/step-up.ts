import { accountErrors } from '../accounts/error-codes.js';
import type { AuthContext } from '../accounts/principal.js';

/** The `amr` values that prove a second factor (a password alone never does). */
export const SECOND_FACTOR_METHODS: ReadonlySet<string> = new Set(['sms', 'email', 'totp', 'backup_code']);

/**
 * Must throw SECOND_FACTOR_REQUIRED unless `auth` shows a second factor completed within
 * `maxAgeMs` before `now` (and not in the future). The one place every factor command asks
 * "was a second factor confirmed recently?".
 *
 * For now it reads the caller's `amr` and `authenticatedAt`, as `setOrganizationSettings`
 * does; once sessions are stored it must read them from the stored session instead, never
 * from the caller.
 */
export function requireRecentFactor(auth: AuthContext, now: number, maxAgeMs: number): void {
  const age = now - auth.authenticatedAt;
  const confirmed = auth.amr.some((method) => SECOND_FACTOR_METHODS.has(method));
  if (!confirmed || age < 0 || age > maxAgeMs) {
    throw accountErrors.raise(
      'SECOND_FACTOR_REQUIRED',
      { maxAgeMs },
      `Confirm with a second factor first (needed within the last ${Math.round(maxAgeMs / 60_000)} minutes).`,
    );
  }
}
