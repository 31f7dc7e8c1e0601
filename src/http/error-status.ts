/**
 * How one error code answers over HTTP: the status, the detail keys a caller may see, and a
 * hint for the client. A code whose rule has `internal: true` answers as `INTERNAL_ERROR`.
 */
export interface HttpErrorRule {
  /** The HTTP status. */
  readonly status: number;
  /**
   * Detail keys copied to the response body, when their value is a short vocabulary word, a
   * finite number, a boolean, or a list of words. Default: none. Never list a hash, another
   * person's id or login, or a key that holds raw input.
   */
  readonly details?: readonly string[];
  /** A fixed `details.hint` telling the client what to do next (`retry`, `step_up`). Default: none. */
  readonly hint?: string;
  /** True for configuration and storage faults: status 500, generic message, no details. */
  readonly internal?: true;
}

/** The public code of every 500 answer: the code and message of the original error stay on the server. */
export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR';

/** The message of every 500 answer. */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on our side; the request was not completed.';

const conflict = (details: readonly string[] = []): HttpErrorRule => ({ status: 409, details });
const notFound: HttpErrorRule = { status: 404 };
const internal: HttpErrorRule = { status: 500, internal: true };
const retryLater: HttpErrorRule = { status: 429, details: ['retryAfter'] };

/**
 * The HTTP answer of every code in `ERROR_CODES` (a test holds this table complete: a new code
 * without a rule fails it). The login outcome codes (WRONG_PASSWORD ... SMS_LIMIT) and the
 * TOKEN_* outcomes are normally returned in a view, not thrown; their rules are for a host
 * that chooses to answer an outcome as an error.
 *
 * Ids in details (`ticketId`, `caseId`, `flowId`, `login`, `slug`) are not copied: they are
 * either the caller's own input, echoed back, or someone else's. The one exception is `caseId` in
 * PRIVACY_RECOVERY_WAITING: the recovery case that holds the erasure, which its caller may list.
 */
export const HTTP_ERROR_RULES: Readonly<Record<string, HttpErrorRule>> = {
  // common
  INVALID_INPUT: { status: 400, details: ['issues'] },
  // A lost race is safe to retry as is: nothing was written.
  VERSION_CONFLICT: { status: 409, hint: 'retry' },
  TRANSITION_NOT_ALLOWED: conflict(['status', 'command', 'actor', 'reason']),
  NOT_FOUND: notFound,
  RATE_LIMITED: retryLater,
  NON_JSON_STATE: internal,
  CONFIGURATION_INVALID: internal,
  // tickets
  TICKET_NOT_FOUND: notFound,
  MERGE_NOT_ALLOWED: conflict(['reason']),
  // accounts
  ACCOUNT_NOT_FOUND: notFound,
  ORGANIZATION_NOT_FOUND: notFound,
  ORGANIZATION_EXISTS: conflict(),
  USERNAME_TAKEN: conflict(),
  PHONE_NOT_FOUND: notFound,
  PHONE_ALREADY_REGISTERED: conflict(),
  PERMISSION_DENIED: { status: 403, details: ['permission', 'missing'] },
  // 403, not 401: the session is valid and must be kept; a 401 makes clients drop it or
  // send the user to the login page, when what is needed is a fresh second factor (step-up).
  SECOND_FACTOR_REQUIRED: { status: 403, details: ['maxAgeMs', 'reason'], hint: 'step_up' },
  // The organisation must keep its main administrator: a conflict with its state.
  MAIN_ADMIN_REQUIRED: conflict(),
  TOKEN_EXPIRED: { status: 410 },
  TOKEN_USED: { status: 410 },
  TOKEN_INVALID: { status: 400 },
  // The code is spent: waiting does not help, a new code does.
  TOO_MANY_ATTEMPTS: { status: 410 },
  // login
  FLOW_NOT_FOUND: notFound,
  FLOW_EXPIRED: { status: 410 },
  STEP_NOT_ALLOWED: conflict(['state', 'step', 'reason']),
  // login outcomes (returned in the flow view; on main since the login merge)
  WRONG_PASSWORD: { status: 401 },
  WRONG_CODE: { status: 401 },
  CODE_EXPIRED: { status: 410 },
  ACCOUNT_NOT_ACTIVATED: { status: 403 },
  ACCOUNT_DISABLED: { status: 403 },
  TEMPORARY_PASSWORD_EXPIRED: { status: 403 },
  PHONE_REQUIRED: { status: 403 },
  LOCKED: retryLater,
  PASSWORD_REJECTED: { status: 400, details: ['reason'] },
  RESEND_TOO_SOON: retryLater,
  RESEND_LIMIT: { status: 429 },
  SMS_LIMIT: retryLater,
  // recovery
  RECOVERY_NOT_FOUND: notFound,
  RECOVERY_FORBIDDEN: { status: 403, details: ['role'] },
  // Four eyes: this agent may not approve; another agent may.
  SECOND_AGENT_REQUIRED: { status: 403, details: ['status', 'command'] },
  // sessions: one answer for forged, expired, revoked and unknown tokens
  SESSION_INVALID: { status: 401 },
  SESSION_NOT_FOUND: notFound,
  // privacy
  PRIVACY_RECOVERY_WAITING: { status: 409, details: ['caseId', 'waitingEndsAt'] },
  PRIVACY_STORE_MISSING: internal,
  // postgres
  SCHEMA_VERSION_MISMATCH: internal,
};
