import type { HistoryEntry } from '../ports/history-store.js';
import type {
  ChangePasswordInput,
  EnrolPhoneInput,
  ResendCodeInput,
  StartPhoneLoginInput,
  StartStepUpInput,
  SubmitIdentifierInput,
} from './schemas.js';
import type {
  StartLoginWithDeviceInput,
  SubmitCodeWithDeviceInput,
  SubmitPasswordWithDeviceInput,
} from '../sessions/login-inputs.js';
import type { ChooseFactorInput } from './schemas.js';
import type { LoginFlowView } from './types.js';

/**
 * `desk.login`: password login with the SMS code, the forced password change, phone-number
 * login, step-up, and the enrolment of a new phone after a lost-factor recovery. Every call
 * runs one command on the flow record, so concurrent calls on one flow are ordered by its
 * version; every accepted step writes one history entry on the flow. Every call answers the
 * flow's view: a wrong password, a wrong or expired code, a lockout or a refused resend is
 * `state` and `error` of the view (codes from `loginOutcomes`), never thrown. Thrown: INVALID_INPUT,
 * CONFIGURATION_INVALID (no pepper), FLOW_NOT_FOUND, FLOW_EXPIRED, STEP_NOT_ALLOWED.
 */
export interface LoginService {
  /**
   * Opens a login flow (15 min by default): the identifier page. `clientKey` (optional, the host's
   * hash of the device or browser) lets the owner's known clients through while the account is
   * locked by someone else's failures; unknown clients stay throttled. `deviceToken` (optional):
   * a remembered-device token read from the device's cookie, with the same effect as the one
   * `submitPassword` takes (a right password of its account skips the second factor); when both
   * calls carry one, `submitPassword`'s wins. Only its MAC is kept with the flow.
   */
  start(input?: StartLoginWithDeviceInput): Promise<LoginFlowView>;

  /**
   * The identifier page's "Tovább". Any well-formed identifier moves on to the password
   * page, whether or not an account has it; a malformed one is INVALID_INPUT.
   */
  submitIdentifier(input: SubmitIdentifierInput): Promise<LoginFlowView>;

  /**
   * The password page's "Tovább". Wrong: the view says `WRONG_PASSWORD` (and `LOCKED` after
   * the 5th consecutive failure). Right: the SMS code step, the new-password step, or straight
   * `authenticated` when the organisation switched the SMS code off. Hashes at most once per call.
   * `deviceToken` (optional): a remembered-device token of the same account skips the SMS code
   * (amr stays `['password']`); an unknown, forged, expired or forgotten one is ignored, alike.
   * `deviceLabel` names the session this call may open.
   */
  submitPassword(input: SubmitPasswordWithDeviceInput): Promise<LoginFlowView>;

  /**
   * The code page's "Belépek". 5 wrong codes per flow in total; a wrong code also counts toward the lockout.
   * `rememberDevice: true` (default false): when this code completes the login, the view also
   * carries `device: { token, expiresAt }` (30 days by default) for later `submitPassword` calls.
   */
  submitCode(input: SubmitCodeWithDeviceInput): Promise<LoginFlowView>;

  /**
   * "Nem kaptam meg az SMS-t": a new code (the earlier one stops working) after a 30 s
   * cooldown, at most 3 per flow and 10 SMS per bucket per 24 h (the account's, or the number's
   * phone-login bucket; 30 per number in all). It never restores wrong-code attempts. A refused
   * resend is an `error` in the view (`RESEND_TOO_SOON`, `RESEND_LIMIT`, `SMS_LIMIT`), not an exception.
   */
  resendCode(input: ResendCodeInput): Promise<LoginFlowView>;

  /**
   * The forced change after a temporary password (and the SMS code, when required). A new
   * password that breaks the rules is `PASSWORD_REJECTED` in the view with its `reason`
   * (`equals_temporary` for the temporary password itself); afterwards the temporary
   * password no longer works. The new password and the completed flow are one commit,
   * guarded by the flow's version: of two concurrent calls on one flow exactly one sets its
   * password and completes, the other answers STEP_NOT_ALLOWED and changes nothing.
   */
  changePassword(input: ChangePasswordInput): Promise<LoginFlowView>;

  /**
   * After a lost-factor recovery (`awaiting_enrolment`): the new phone number. A code goes to
   * it (same lifetime, attempts, resend limits and SMS budget as the login code); the login
   * completes with the right code, and only then is the number stored on the account, the
   * enrolment requirement cleared and the owner mailed (`factor.enrolled`).
   */
  enrolPhone(input: EnrolPhoneInput): Promise<LoginFlowView>;

  /**
   * At `awaiting_factor` (an account with more second factors than its phone): the factor the
   * code step uses, one of the view's `factors`. An SMS or email code is sent at once (same
   * lifetime, attempts, resend limits and sending budget as the SMS code); an app or backup
   * code is read from what the user holds. STEP_NOT_ALLOWED for a factor not offered.
   */
  chooseFactor(input: ChooseFactorInput): Promise<LoginFlowView>;

  /**
   * Phone-number login (the number page's "Kérem az SMS-t"): a flow straight at the code
   * step. A registered number gets a code by SMS; an unknown one gets the same view and flow
   * shape, and nothing is sent. The login carries only the number's grant (`amr: ['phone']`).
   */
  startPhoneLogin(input: StartPhoneLoginInput): Promise<LoginFlowView>;

  /**
   * Step-up: a signed-in account confirms a second factor again on its live session (`auth`
   * must name one, else SESSION_INVALID). `method` picks the factor: `sms`, `email` (a code is
   * sent), `totp` or `backup_codes` (read from what the user holds; a backup code is spent);
   * default the first the account holds and its organisation allows, in that order. The view's
   * `factor` says which. On the right code the session's `amr` becomes its password plus the method and its
   * `authenticatedAt` becomes now — what factor commands and `setOrganizationSettings` read; it
   * never opens a session. STEP_NOT_ALLOWED for a phone principal, an account that is not
   * active, or a factor it does not hold or may not use (`details.reason`: `no_phone`,
   * `sms_not_allowed`, `factor_not_enrolled`, `factor_not_allowed`, `no_factor`).
   */
  startStepUp(input: StartStepUpInput): Promise<LoginFlowView>;

  /** The flow's view now (a flow past its lifetime reads `expired`); FLOW_NOT_FOUND for an unknown id. Never the result. */
  get(flowId: string): Promise<LoginFlowView>;

  /**
   * The flow's audit trail, for operators (support staff, audit tooling) — do not show it to
   * whoever holds the flow id. One entry per step, never a password, code or identifier; the
   * account id appears only from the step that verified the password on, so the entries of a
   * known and an unknown identifier look alike until then.
   */
  history(flowId: string): Promise<HistoryEntry[]>;
}
