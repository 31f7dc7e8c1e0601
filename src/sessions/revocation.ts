import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import type { SessionEndReason } from './session-machine.js';
import { accountSubject, activeSessionsOf, isLive, sessions } from './session-record.js';

/**
 * Ends every active session of `subject` (but `exceptId`) in the caller's unit of work, so a
 * password reset or a completed recovery and the end of the sessions commit together: no
 * request between the two can still pass. Returns how many live sessions ended.
 */
export async function revokeSubjectSessions(
  uow: UnitOfWork,
  subject: string,
  reason: SessionEndReason,
  actor: Json = { role: 'system' },
  exceptId?: string,
): Promise<number> {
  let ended = 0;
  for (const loaded of await activeSessionsOf(uow, subject)) {
    // One already past its expiry is not counted as revoked: the sweep marks it expired.
    if (loaded.snapshot.context.id === exceptId || !isLive(loaded, uow.now)) continue;
    sessions.apply(
      uow,
      loaded,
      { type: 'revoke', at: uow.now, reason },
      {
        history: { type: 'session.revoked', actor, data: { reason } },
      },
    );
    ended += 1;
  }
  return ended;
}

/** Ends every session of an account (see {@link revokeSubjectSessions}). */
export const revokeAccountSessions = (uow: UnitOfWork, accountId: string, reason: SessionEndReason) =>
  revokeSubjectSessions(uow, accountSubject(accountId), reason);
