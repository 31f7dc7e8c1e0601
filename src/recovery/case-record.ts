import type { SnapshotFrom } from 'xstate';
import { defineAggregate } from '../engine/aggregate.js';
import { commonErrors, type HelpdeskError } from '../errors.js';
import type { StoredRecord } from '../ports/record-store.js';
import { recoveryErrors } from './error-codes.js';
import {
  recoveryMachine,
  type LostFactor,
  type RecoveryContext,
  type RecoveryEffect,
  type RecoveryEvent,
  type RecoveryEvidence,
  type RecoveryStatus,
} from './recovery-machine.js';

// The `recovery_case` record: the machine snapshot plus the session-revocation bookkeeping, its
// indexes, its deadline and its refusals; and the two views (agents see everything but the
// cancel-link hashes, the requester nothing that says whether the account exists).

/** The record kind recovery cases are stored under (id `rcv_…`). Internal: not exported to hosts. */
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

/** What a case stores beside the machine snapshot. */
export type CaseExtra = { sessions: SessionRevocation | null };

type CaseSnapshot = SnapshotFrom<typeof recoveryMachine>;

/** The stored form of a case (what views are built from, without restoring the machine). */
interface StoredCase extends CaseExtra {
  value: RecoveryStatus;
  context: RecoveryContext;
}

/** History entry types, by machine event (`recovery.opened` is written by `open`). */
export const CASE_HISTORY_TYPE: Readonly<Record<RecoveryEvent['type'], string>> = {
  addEvidence: 'recovery.evidence_added',
  review: 'recovery.reviewed',
  approve: 'recovery.approved',
  reject: 'recovery.rejected',
  cancel: 'recovery.cancelled',
  'timer.expireEvidence': 'recovery.expired',
  'timer.complete': 'recovery.completed',
};

/**
 * Why the machine refused an event: SECOND_AGENT_REQUIRED when the reviewer of a main
 * administrator's case tries to approve it; otherwise TRANSITION_NOT_ALLOWED naming the status,
 * the command, the actor's role and, for an agent's approval, the missing precondition
 * (`not_reviewed`, `account_not_found`). Mirrors the `approvalAllowed` guard.
 */
function refusal(snapshot: CaseSnapshot, event: RecoveryEvent): HelpdeskError {
  const ctx = snapshot.context;
  const status = snapshot.value as RecoveryStatus;
  const role = 'actor' in event ? event.actor.role : 'system';
  let reason: string | undefined;
  if (event.type === 'approve' && status === 'under_review' && event.actor.role === 'agent') {
    if (ctx.accountIsMainAdmin && ctx.review?.agentId === event.actor.id) {
      return recoveryErrors.raise('SECOND_AGENT_REQUIRED', { caseId: ctx.id, status, command: event.type });
    }
    reason = ctx.review === null ? 'not_reviewed' : ctx.accountId === null ? 'account_not_found' : undefined;
  }
  return commonErrors.raise(
    'TRANSITION_NOT_ALLOWED',
    { caseId: ctx.id, status, command: event.type, actor: role, ...(reason ? { reason } : {}) },
    `Cannot ${event.type} recovery case ${ctx.id} as ${role}: it is ${status}` +
      (reason ? ` (${reason.replaceAll('_', ' ')}).` : '.'),
  );
}

/** RECOVERY_NOT_FOUND for `caseId`. */
export function caseNotFound(caseId: string): HelpdeskError {
  return recoveryErrors.raise('RECOVERY_NOT_FOUND', { caseId }, `No recovery case with id "${caseId}".`);
}

/**
 * The recovery case aggregate: load, step, save and history of `recovery_case` records in the
 * caller's unit of work. Transitions stay pure (the machine returns effects; the service
 * carries them out in the same commit), and deadlines are data: `nextDueAt` is the evidence
 * expiry, the end of the waiting period, or "now" while the sessions wait to be revoked.
 */
export const recoveryCases = defineAggregate<typeof recoveryMachine, CaseExtra, RecoveryEffect>({
  kind: RECOVERY_CASE_KIND,
  machine: recoveryMachine,
  idOf: (context) => context.id,
  indexes({ value, context }) {
    const indexes: Record<string, string> = { status: value as RecoveryStatus, ticket: context.ticketId };
    if (context.accountId !== null) indexes.account = context.accountId;
    return indexes;
  },
  nextDueAt({ value, context }, { sessions }) {
    if (value === 'awaiting_evidence') return context.evidenceDueAt;
    if (value === 'approved') return context.waitingEndsAt;
    if (value === 'completed' && sessions === 'pending') return context.endedAt;
    return null;
  },
  notFound: caseNotFound,
  refusal,
  initialExtra: { sessions: null },
});

/** The case as support sees it. Frozen; a copy, so a host cannot change what is stored. */
export interface RecoveryCaseView {
  /** The case id (`rcv_…`). */
  id: string;
  status: RecoveryStatus;
  /** The helpdesk ticket the case is filed under, and its number. */
  ticketId: string;
  ticketNumber: number;
  /** How the request came in (`web`, `email`, `sales`, `contact_form`, ...). */
  channel: RecoveryContext['channel'];
  lostFactor: LostFactor;
  /** The login the requester named, canonicalised. */
  login: string;
  /** The account with that login; null when none has it. */
  accountId: string | null;
  /** False when no account has the login: reject the case (it can never be approved). */
  accountFound: boolean;
  accountIsMainAdmin: boolean;
  /** Distinct agents who must vouch: 2 for a main administrator (reviewer + approver), else 1. */
  agentsRequired: 1 | 2;
  /** Where replies to the requester go. */
  requesterEmail: string;
  requesterName: string | null;
  /** The requester's locale. */
  locale: string;
  openedAt: number;
  updatedAt: number;
  /** While awaiting evidence: the case expires at this instant. */
  evidenceDueAt: number | null;
  evidence: RecoveryEvidence[];
  /** The agent who accepted the evidence. */
  review: { agentId: string; at: number; note: string | null } | null;
  approval: { agentId: string; at: number } | null;
  /** After approval: the factor is removed at this instant unless someone cancels. */
  waitingEndsAt: number | null;
  endedAt: number | null;
  rejectReason: string | null;
  cancelledBy: 'requester' | 'owner' | 'agent' | null;
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
  lostFactor: LostFactor;
  openedAt: number;
  evidenceDueAt: number | null;
  evidenceCount: number;
  /** Only while approved: when the waiting period ends. */
  waitingEndsAt: number | null;
  endedAt: number | null;
}

/** The agents' view of a stored case. Lists its fields: the cancel-link hashes never leave. */
export function toCaseView(record: StoredRecord): RecoveryCaseView {
  const { value, context: c, sessions } = record.state as unknown as StoredCase;
  return Object.freeze({
    id: c.id,
    ticketId: c.ticketId,
    ticketNumber: c.ticketNumber,
    channel: c.channel,
    lostFactor: c.lostFactor,
    login: c.login,
    accountId: c.accountId,
    accountIsMainAdmin: c.accountIsMainAdmin,
    requesterEmail: c.requesterEmail,
    requesterName: c.requesterName,
    locale: c.locale,
    openedAt: c.openedAt,
    updatedAt: c.updatedAt,
    evidenceDueAt: c.evidenceDueAt,
    evidence: structuredClone(c.evidence),
    review: c.review && { ...c.review },
    approval: c.approval && { ...c.approval },
    waitingEndsAt: c.waitingEndsAt,
    endedAt: c.endedAt,
    rejectReason: c.rejectReason,
    cancelledBy: c.cancelledBy,
    status: value,
    accountFound: c.accountId !== null,
    agentsRequired: c.accountIsMainAdmin ? 2 : 1,
    sessions,
    version: record.version,
  });
}

/** The requester's view of a stored case. */
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
