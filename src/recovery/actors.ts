import type { AccountRepository } from '../accounts/account-repository.js';
import type { UnitOfWork } from '../engine/unit-of-work.js';
import type { Json } from '../ports/json.js';
import { constantTimeEqual } from '../security/constant-time.js';
import { liveSessionOf } from '../sessions/session-record.js';
import { recoveryErrors } from './error-codes.js';
import type { RecoveryActor, RecoveryContext } from './recovery-machine.js';
import type { ParsedRecoveryActor } from './schemas.js';

// Who acts on a case. The machine only sees a role (its guards decide what each role may do);
// the identity behind the role is checked here, before any step.

/** An actor as a step needs it: the role the machine sees, and who it was for the history. */
export interface CaseActor {
  machine: RecoveryActor;
  /** Written to the case's history entry. Never a token. */
  audit: Json;
}

/** The sweep, firing a deadline. */
export const SYSTEM_ACTOR: CaseActor = { machine: { role: 'system' }, audit: { role: 'system' } };

const CANCEL_PURPOSE = 'recovery_cancel';

/** How actors are checked; built once per service. */
export interface CaseActors {
  /**
   * The HMAC of a cancel link's token, bound to its case (the case stores only this). Must be
   * called with the pepper configured: CONFIGURATION_INVALID otherwise.
   */
  cancelTokenHash(caseId: string, token: string): Promise<string>;
  /**
   * Checks who acts: an agent by id (the host vouches for agents); the requester by the case's
   * ticket; the owner by a cancel link sent to an address on record, or by a live stored session
   * of the account (`auth.sessionId`; a revoked or ended one counts for nothing). RECOVERY_FORBIDDEN otherwise, and the same answer for a case whose login
   * has no account (so the owner role cannot probe for accounts).
   */
  resolve(uow: UnitOfWork, ctx: RecoveryContext, input: ParsedRecoveryActor): Promise<CaseActor>;
}

/** The actor checks of the recovery service, over the account gateway's pepper-keyed HMAC. */
export function createCaseActors(accounts: AccountRepository): CaseActors {
  const cancelTokenHash = (caseId: string, token: string) => accounts.lookupKey(CANCEL_PURPOSE, `${caseId}:${token}`);

  /** True when `token` is one of the case's cancel links; compares every hash, in constant time. */
  async function knownCancelToken(ctx: RecoveryContext, token: string): Promise<boolean> {
    const hash = await cancelTokenHash(ctx.id, token);
    let matches = false;
    for (const known of ctx.cancelTokenHashes) matches = constantTimeEqual(hash, known) || matches;
    return matches;
  }

  return {
    cancelTokenHash,
    async resolve(uow, ctx, input): Promise<CaseActor> {
      const forbidden = () => recoveryErrors.raise('RECOVERY_FORBIDDEN', { caseId: ctx.id, role: input.role });
      switch (input.role) {
        case 'agent':
          return { machine: { role: 'agent', id: input.id }, audit: { role: 'agent', id: input.id } };
        case 'requester':
          if (input.ticketId !== ctx.ticketId) throw forbidden();
          return { machine: { role: 'requester' }, audit: { role: 'requester', ticketId: ctx.ticketId } };
        case 'owner': {
          if ('token' in input) {
            if (!(await knownCancelToken(ctx, input.token)) || ctx.accountId === null) throw forbidden();
            return {
              machine: { role: 'owner' },
              audit: { role: 'owner', accountId: ctx.accountId, via: 'cancel_link' },
            };
          }
          const principal = input.auth.principal;
          if (ctx.accountId === null || principal.type !== 'account' || principal.accountId !== ctx.accountId)
            throw forbidden();
          // The session as stored now: a context the host kept after a logout or a revocation is no owner.
          const session = await liveSessionOf(uow, input.auth);
          if (session === null) throw forbidden();
          return {
            machine: { role: 'owner' },
            audit: { role: 'owner', accountId: ctx.accountId, via: 'session', sessionId: session.id },
          };
        }
      }
    },
  };
}
