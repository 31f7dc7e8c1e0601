import { accountErrors } from '../accounts/error-codes.js';
import type { AuthContext } from '../accounts/principal.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { SessionContext } from '../sessions/session-machine.js';
import { liveSessionOf } from '../sessions/session-record.js';

/** The `amr` values that prove a second factor (a password alone never does). */
export const SECOND_FACTOR_METHODS: ReadonlySet<string> = new Set(['sms', 'email', 'totp', 'backup_code']);

/**
 * The stored session named by `auth.sessionId`; SECOND_FACTOR_REQUIRED unless it shows a
 * second factor completed within `maxAgeMs` before now (and not in the future). The one place every
 * factor command asks "was a second factor confirmed recently?". It reads `amr` and
 * `authenticatedAt` from storage, never from the caller: a context the host kept in a cookie
 * cannot be rewritten into a fresh one (docs/sessions.md, "What step-up reads").
 */
export async function requireRecentFactor(
  uow: UnitOfWork,
  auth: AuthContext,
  maxAgeMs: number,
): Promise<SessionContext> {
  const session = await liveSessionOf(uow, auth);
  const age = session ? uow.now - session.authenticatedAt : -1;
  const confirmed = session?.amr.some((method) => SECOND_FACTOR_METHODS.has(method)) ?? false;
  if (!session || !confirmed || age < 0 || age > maxAgeMs) {
    throw accountErrors.raise(
      'SECOND_FACTOR_REQUIRED',
      { maxAgeMs, reason: session ? 'factor_not_recent' : 'session_required' },
      `Confirm with a second factor first (needed within the last ${Math.round(maxAgeMs / 60_000)} minutes).`,
    );
  }
  return session;
}
