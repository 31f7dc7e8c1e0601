import type { Permission } from '../accounts/permissions.js';
import type { AuthContext, AuthMethod, Principal } from '../accounts/principal.js';
import type { DeviceGrant } from '../sessions/devices.js';
import type { SessionGrant } from '../sessions/issuer.js';
import type { FactorChoice, LoginFlowError, LoginFlowState } from './login-machine.js';

/**
 * The result of a completed login: who, in which organisation, with which permissions in
 * force, and how (`amr`). `auth` is the same as an {@link AuthContext}, to pass as `auth` to
 * the accounts admin calls (`desk.accounts.createBusinessUser({ auth: result.auth, ... })`).
 */
export interface LoginResult {
  principal: Principal;
  /** Null for a personal account. */
  organizationId: string | null;
  /** The permissions in force now (every one for the main administrator; the number's grant for a phone). */
  permissions: Permission[];
  /** `['password']`, `['password', 'sms']` or `['phone']`. */
  amr: AuthMethod[];
  authenticatedAt: number;
  /** Carries `sessionId`: the stored session that step-up checks read. */
  auth: AuthContext;
  /** Internal hand-over to the view (moved to {@link LoginFlowView.session}); never in `view.result`. */
  session?: SessionGrant;
  /** Internal hand-over to the view (moved to {@link LoginFlowView.device}); never in `view.result`. */
  device?: DeviceGrant;
}

/**
 * What every `desk.login.*` call returns; the host renders its pages from it. Frozen.
 * Known and unknown identifiers and numbers produce the same views.
 */
export interface LoginFlowView {
  flowId: string;
  state: LoginFlowState;
  /** Wrong codes this flow still allows, while a code is expected; null otherwise. */
  attemptsLeft: number | null;
  /** When "Nem kaptam meg az SMS-t" may be used, while a code is expected; null otherwise. */
  resendAvailableAt: number | null;
  /** Resends this flow still allows, while a code is expected; null otherwise. */
  resendsLeft: number | null;
  /** Where the code went, e.g. `+36 30 *** **67`; null before the code step. */
  maskedPhone: string | null;
  /** The flow ends `expired` at this instant. */
  expiresAt: number;
  /** Why the last step did not move on (or why the flow ended); null after a step that did. */
  error: LoginFlowError | null;
  /** At `awaiting_factor`: the second factors to choose from (`desk.login.chooseFactor`), SMS first. */
  factors?: FactorChoice[];
  /** Once a factor was chosen: which one the code step expects. */
  factor?: FactorChoice;
  /** Only in the answer of the call that completed the login; `get` never returns it. */
  result?: LoginResult;
  /**
   * The session token of a completed login, once, with its absolute expiry: store it in an
   * HttpOnly, Secure, SameSite=Lax cookie and turn it back into an AuthContext with
   * `desk.sessions.verify(token)` (docs/sessions.md). Absent on a step-up that refreshed the
   * caller's session (its token stays the same).
   */
  session?: SessionGrant;
  /** The remembered-device token, once, when the code step asked for `rememberDevice: true`. */
  device?: DeviceGrant;
}
