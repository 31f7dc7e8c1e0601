import type { LoginFlowView } from '../login/types.js';
import type { RecoveryCaseView, RecoveryRequesterView } from '../recovery/case-record.js';

/**
 * A login flow as the browser may see it. No `result` (the `auth` it carries must stay on the
 * server, in the host's session) and no `flowId` (keep it in an HttpOnly cookie or the server
 * session, so a page script cannot hand the flow to someone else).
 */
export interface BrowserLoginFlowView {
  state: LoginFlowView['state'];
  /** Wrong codes still allowed, while a code is expected; null otherwise. */
  attemptsLeft: number | null;
  /** When "didn't get the SMS" may be used, while a code is expected; null otherwise. */
  resendAvailableAt: number | null;
  /** Where the code went, e.g. `+36 30 *** **67`; null before the code step. */
  maskedPhone: string | null;
  /** Why the last step did not move on: `code`, and `retryAfter` or `reason` where the flow has one. */
  error: BrowserLoginFlowError | null;
  /** Only while `awaiting_factor`: the second factors to offer, SMS first; send the pick's `id` to `desk.login.chooseFactor`. */
  factors?: BrowserLoginFactor[];
  /** Only while `awaiting_code` for a chosen factor (or a step-up): which one the code comes from. */
  factor?: BrowserLoginFactor;
}

/** A second factor of a {@link BrowserLoginFlowView}: never a secret, never the account. */
export interface BrowserLoginFactor {
  /** The `factorId` to pass to `desk.login.chooseFactor`. */
  id: string;
  type: NonNullable<LoginFlowView['factor']>['type'];
  label: string;
  /** Where a code goes (`sms`, `email`), masked; null for an app or backup codes. */
  maskedAddress: string | null;
}

/** The error of a {@link BrowserLoginFlowView}. */
export interface BrowserLoginFlowError {
  code: NonNullable<LoginFlowView['error']>['code'];
  retryAfter?: number;
  reason?: string;
}

// Field by field, like the view itself: a field added to the server's choice stays on the server.
const browserFactor = (f: BrowserLoginFactor): BrowserLoginFactor => ({
  id: f.id,
  type: f.type,
  label: f.label,
  maskedAddress: f.maskedAddress,
});

/** The browser's view of a login flow (see {@link BrowserLoginFlowView}). */
export function browserLoginFlowView(flow: LoginFlowView): BrowserLoginFlowView {
  const error = flow.error;
  const view: BrowserLoginFlowView = {
    state: flow.state,
    attemptsLeft: flow.attemptsLeft,
    resendAvailableAt: flow.resendAvailableAt,
    maskedPhone: flow.maskedPhone,
    error:
      error === null
        ? null
        : {
            code: error.code,
            ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
            ...(error.reason !== undefined ? { reason: error.reason } : {}),
          },
  };
  if (flow.state === 'awaiting_factor' && flow.factors) view.factors = flow.factors.map(browserFactor);
  if (flow.state === 'awaiting_code' && flow.factor) view.factor = browserFactor(flow.factor);
  return view;
}

/**
 * A recovery case as its requester may see it: the same for a login that exists and one that
 * does not (no account id, no login, no agent, no evidence contents).
 */
export interface RequesterCaseView {
  id: string;
  status: RecoveryRequesterView['status'];
  ticketId: string;
  ticketNumber: number;
  lostFactor: RecoveryRequesterView['lostFactor'];
  openedAt: number;
  evidenceDueAt: number | null;
  evidenceCount: number;
  /** Only while approved: when the waiting period ends. */
  waitingEndsAt: number | null;
  endedAt: number | null;
}

/** The requester's view of a case, from `desk.recovery.getForRequester`. */
export function requesterCaseView(view: RecoveryRequesterView): RequesterCaseView {
  return {
    id: view.id,
    status: view.status,
    ticketId: view.ticketId,
    ticketNumber: view.ticketNumber,
    lostFactor: view.lostFactor,
    openedAt: view.openedAt,
    evidenceDueAt: view.evidenceDueAt,
    evidenceCount: view.evidenceCount,
    waitingEndsAt: view.waitingEndsAt,
    endedAt: view.endedAt,
  };
}

/** A recovery case as an agent's browser may see it: the fields listed here, as plain JSON. */
export interface AgentCaseView {
  id: string;
  status: RecoveryCaseView['status'];
  ticketId: string;
  ticketNumber: number;
  channel: RecoveryCaseView['channel'];
  lostFactor: RecoveryCaseView['lostFactor'];
  login: string;
  accountId: string | null;
  accountFound: boolean;
  accountIsMainAdmin: boolean;
  agentsRequired: 1 | 2;
  requesterEmail: string;
  requesterName: string | null;
  locale: string;
  openedAt: number;
  updatedAt: number;
  evidenceDueAt: number | null;
  evidence: RecoveryCaseView['evidence'];
  review: { agentId: string; at: number; note: string | null } | null;
  approval: { agentId: string; at: number } | null;
  waitingEndsAt: number | null;
  endedAt: number | null;
  rejectReason: string | null;
  cancelledBy: RecoveryCaseView['cancelledBy'];
  sessions: RecoveryCaseView['sessions'];
  /** Send it back with a change to detect a concurrent edit. */
  version: number;
}

/** An agent's view of a case, from `desk.recovery.get`. The cancel-link hashes never left the core. */
export function agentCaseView(view: RecoveryCaseView): AgentCaseView {
  return {
    id: view.id,
    status: view.status,
    ticketId: view.ticketId,
    ticketNumber: view.ticketNumber,
    channel: view.channel,
    lostFactor: view.lostFactor,
    login: view.login,
    accountId: view.accountId,
    accountFound: view.accountFound,
    accountIsMainAdmin: view.accountIsMainAdmin,
    agentsRequired: view.agentsRequired,
    requesterEmail: view.requesterEmail,
    requesterName: view.requesterName,
    locale: view.locale,
    openedAt: view.openedAt,
    updatedAt: view.updatedAt,
    evidenceDueAt: view.evidenceDueAt,
    evidence: view.evidence.map((item) => ({
      id: item.id,
      kind: item.kind,
      description: item.description,
      attachments: item.attachments.map((file) => ({
        name: file.name,
        contentType: file.contentType,
        size: file.size,
      })),
      addedAt: item.addedAt,
      addedBy: item.addedBy,
    })),
    review: view.review && { agentId: view.review.agentId, at: view.review.at, note: view.review.note },
    approval: view.approval && { agentId: view.approval.agentId, at: view.approval.at },
    waitingEndsAt: view.waitingEndsAt,
    endedAt: view.endedAt,
    rejectReason: view.rejectReason,
    cancelledBy: view.cancelledBy,
    sessions: view.sessions,
    version: view.version,
  };
}
