import type { StoredRecord } from '../ports/record-store.js';
import type { RecoveryContext, RecoveryStatus } from './recovery-machine.js';

// How a case is stored: the machine snapshot plus the session-revocation bookkeeping, its
// indexes and its deadline; and the two views (agents see everything, the requester nothing
// that says whether the account exists).

/** The record kind recovery cases are stored under (id `rcv_…`). */
export const RECOVERY_CASE_KIND = 'recovery_case';

/**
 * Revoking the account's sessions happens after the completion is committed (a session
 * started in between must not survive): `pending` makes the case due again at once, and the
 * next sweep round calls the SessionRevoker port.
 */
export type SessionRevocation =
  | 'pending'
  | 'revoked'
  /** No SessionRevoker is configured, or it threw (the failure is in the account's history). */
  | 'not_revoked';

export interface StoredCase {
  value: RecoveryStatus;
  context: RecoveryContext;
  sessions: SessionRevocation | null;
}

/** The case as support sees it. Frozen. */
export interface RecoveryCaseView extends Omit<RecoveryContext, 'cancelTokenHashes'> {
  status: RecoveryStatus;
  /** False when no account has the login: reject the case (it can never be approved). */
  accountFound: boolean;
  /** Distinct agents who must vouch: 2 for a main administrator (reviewer + approver), else 1. */
  agentsRequired: 1 | 2;
  /** What happened to the account's sessions after completion; null before. */
  sessions: SessionRevocation | null;
  version: number;
}

/** The case as the requester sees it: the same for a login that exists and one that does not. Frozen. */
export interface RecoveryRequesterView {
  id: string;
  status: RecoveryStatus;
  ticketId: string;
  ticketNumber: number;
  lostFactor: RecoveryContext['lostFactor'];
  openedAt: number;
  evidenceDueAt: number | null;
  evidenceCount: number;
  waitingEndsAt: number | null;
  endedAt: number | null;
}

export function toCaseView(record: StoredRecord): RecoveryCaseView {
  const stored = record.state as unknown as StoredCase;
  const { cancelTokenHashes: _hashes, ...context } = stored.context;
  return Object.freeze({
    ...structuredClone(context),
    status: stored.value,
    accountFound: context.accountId !== null,
    agentsRequired: context.accountIsMainAdmin ? 2 : 1,
    sessions: stored.sessions,
    version: record.version,
  });
}

export function toRequesterView(record: StoredRecord): RecoveryRequesterView {
  const { value, context } = record.state as unknown as StoredCase;
  return Object.freeze({
    id: context.id,
    status: value,
    ticketId: context.ticketId,
    ticketNumber: context.ticketNumber,
    lostFactor: context.lostFactor,
    openedAt: context.openedAt,
    evidenceDueAt: context.evidenceDueAt,
    evidenceCount: context.evidence.length,
    waitingEndsAt: value === 'approved' ? context.waitingEndsAt : null,
    endedAt: context.endedAt,
  });
}

/** The case's next deadline: evidence expiry, the end of the waiting period, or a pending session revocation. */
export function nextDueAt(stored: StoredCase): number | null {
  const { value, context } = stored;
  if (value === 'awaiting_evidence') return context.evidenceDueAt;
  if (value === 'approved') return context.waitingEndsAt;
  if (value === 'completed' && stored.sessions === 'pending') return context.endedAt;
  return null;
}

export function indexesOf(stored: StoredCase): Record<string, string> {
  const indexes: Record<string, string> = { status: stored.value, ticket: stored.context.ticketId };
  if (stored.context.accountId !== null) indexes.account = stored.context.accountId;
  return indexes;
}
