import type { HistoryEntry } from '../ports/history-store.js';
import type { RecoveryCaseView, RecoveryRequesterView } from './case-record.js';
import type {
  AddEvidenceInput,
  ApproveInput,
  CancelInput,
  ListRecoveryInput,
  OpenRecoveryInput,
  RejectInput,
  RequesterViewInput,
  ReviewInput,
} from './schemas.js';

/**
 * The answer of `open`: the same shape and kind of values whether or not the login belongs to
 * an account, so the requester learns nothing about that.
 */
export interface OpenRecoveryResult {
  caseId: string;
  ticketId: string;
  ticketNumber: number;
  status: 'awaiting_evidence';
  /** The case expires at this instant unless evidence arrives. */
  evidenceDueAt: number;
  /** False when an earlier open with the same idempotency key already made this case. */
  created: boolean;
}

/** One page of {@link RecoveryService.list}. */
export interface RecoveryPage {
  cases: RecoveryCaseView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/**
 * `desk.recovery`: lost-factor recovery cases filed under helpdesk tickets (docs/recovery.md). Every
 * command parses its input (INVALID_INPUT), checks who acts (RECOVERY_FORBIDDEN), and either
 * commits one step of the case with one history entry and its notices, or changes nothing
 * (RECOVERY_NOT_FOUND, TRANSITION_NOT_ALLOWED naming status and command, SECOND_AGENT_REQUIRED).
 * Every command needs the pepper (`secrets.pepper`): CONFIGURATION_INVALID without it, before
 * any write. Deadlines (evidence expiry, the end of the waiting period, the session revocation
 * after a completion) fire through `desk.runDueTimers()`.
 */
export interface RecoveryService {
  /**
   * Opens a recovery case under a helpdesk ticket: `ticketId` links an existing one, otherwise
   * one is opened on the request's channel (priority `high`). The answer must have the same
   * shape whether or not the login exists; only an existing account's email and phone on record
   * are told, with a cancel link. The requester is mailed the ticket number. Evidence is due
   * within the policy's `evidenceTtl` (default 14 days). A repeated `idempotencyKey` (per
   * requester address) returns the first case with `created: false`.
   *
   * Abuse limits, counted per login whether or not an account has it (so they answer alike):
   * while the login has `maxOpenCasesPerAccount` open cases (default 1), a request joins the
   * newest: no ticket, no notice to the account. An agent filing for the requester is answered
   * that case (`created: false`); any other request gets RATE_LIMITED and never the case or its
   * ticket, even when it names the requester's address (anyone may type it); a request from that
   * address has the ticket number mailed there again. Beyond `opensPerWindow` openings per
   * `openWindow` (default 3 per 24 h) nothing is sent or written, and the answer is the same.
   *
   * `filedBy` says an agent files the request: the host must set it only for agents it has
   * authenticated, and strip it from public input (a contact form must never pass it through).
   */
  open(input: OpenRecoveryInput): Promise<OpenRecoveryResult>;
  /**
   * Proof of ownership, from the requester (by the case's ticket) or an agent entering what
   * came in through the ticket. Metadata only. The first evidence moves the case to review and
   * stops its expiry. An agent is answered the agents' view; the requester the requester's view
   * ({@link RecoveryRequesterView}), which never says whether the login belongs to an account.
   */
  addEvidence(input: AddEvidenceInput & { actor: { role: 'agent' } }): Promise<RecoveryCaseView>;
  /** Evidence from the requester (or an actor not known to be an agent): the requester's view, or the agents' view for an agent. */
  addEvidence(input: AddEvidenceInput): Promise<RecoveryCaseView | RecoveryRequesterView>;
  /**
   * An agent's review of the evidence: `accept` (the evidence proves ownership; an approval may
   * follow) or `request_more` (back to awaiting evidence, with a new evidence deadline).
   */
  review(input: ReviewInput): Promise<RecoveryCaseView>;
  /**
   * Approves reviewed evidence: the waiting period (default 24 h) starts and every address on
   * record is told when it ends, with a new cancel link. For a main administrator the approver
   * must be a second agent, not the reviewer (SECOND_AGENT_REQUIRED). A login without an
   * account can never be approved (TRANSITION_NOT_ALLOWED, reason `account_not_found`).
   */
  approve(input: ApproveInput): Promise<RecoveryCaseView>;
  /** An agent rejects the case (any time before completion), with a reason kept on the case. */
  reject(input: RejectInput): Promise<RecoveryCaseView>;
  /**
   * Cancels the case before completion: the owner (cancel link or signed-in session), the
   * requester, or an agent. During the waiting period nothing has changed on the account yet.
   * An agent is answered the agents' view; the requester and the owner the requester's view.
   */
  cancel(input: CancelInput & { actor: { role: 'agent' } }): Promise<RecoveryCaseView>;
  /** A cancel by the requester or the owner (or an actor not known to be an agent): the requester's view, or the agents' view for an agent. */
  cancel(input: CancelInput): Promise<RecoveryCaseView | RecoveryRequesterView>;
  /** The case as support sees it (whether the account exists, the evidence, who vouched); RECOVERY_NOT_FOUND when none. */
  get(caseId: string): Promise<RecoveryCaseView>;
  /**
   * The case as the requester sees it, by case and ticket: nothing that tells whether the
   * account exists. RECOVERY_NOT_FOUND for an unknown case, RECOVERY_FORBIDDEN for another ticket.
   */
  getForRequester(input: RequesterViewInput): Promise<RecoveryRequesterView>;
  /** Cases by status, ticket and/or account, oldest first, with cursor paging (default 50 a page). */
  list(query?: ListRecoveryInput): Promise<RecoveryPage>;
  /** The case's audit trail: one entry per accepted command and fired deadline; never a token. RECOVERY_NOT_FOUND when none. */
  history(caseId: string): Promise<HistoryEntry[]>;
}
