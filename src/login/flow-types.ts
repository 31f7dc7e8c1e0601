import type { LoginPolicy } from './policy.js';
import type { RateSlot } from '../security/rate-limiter.js';
import type { LoginErrorCode } from './error-codes.js';
import type { DeviceClaim } from '../sessions/devices.js';

// The login flow's vocabulary (states, context, events, effects), apart from the machine that
// runs it (login-machine.ts re-exports all of it, so importers need not know the split).

/** Whether one more login SMS may go out now; if not, when the budget frees a slot. */
export type SmsSlot = RateSlot;

/** The states of a login flow. `authenticated`, `failed`, `expired` and `locked` are final. */
export const LOGIN_FLOW_STATES = [
  'awaiting_identifier',
  'awaiting_password',
  'awaiting_code',
  /** The account has several second factors: the user picks one (`chooseFactor`) before the code step. */
  'awaiting_factor',
  'awaiting_new_password',
  /** After a lost-factor recovery: the right password was given; a new phone must be enrolled. */
  'awaiting_enrolment',
  'authenticated',
  'failed',
  'expired',
  'locked',
] as const;
/** One of `LOGIN_FLOW_STATES`: where a login flow stands. */
export type LoginFlowState = (typeof LOGIN_FLOW_STATES)[number];

/** The states a flow never leaves: it has ended, and no timer is due for it. */
export const FINAL_LOGIN_STATES: ReadonlySet<LoginFlowState> = new Set([
  'authenticated',
  'failed',
  'expired',
  'locked',
]);

export type { LoginErrorCode };

/** Why the last step of a flow failed; null on the context when it did not. */
export interface LoginFlowError {
  code: LoginErrorCode;
  /** Epoch ms when trying again makes sense (`LOCKED`, `RESEND_TOO_SOON`, `SMS_LIMIT`). */
  retryAfter?: number;
  /** For `PASSWORD_REJECTED`: `too_short`, `too_long`, `equals_identifier`, `too_common`, `equals_temporary`. */
  reason?: string;
}

/** The limits a flow runs under, copied from the policy when it starts. */
export type LoginLimits = Pick<
  LoginPolicy,
  'flowTtl' | 'codeTtl' | 'maxCodeAttempts' | 'maxResends' | 'resendCooldown'
>;

/** A second factor a login may use, as the flow offers it: never its secret. */
export interface FactorChoice {
  id: string;
  type: 'sms' | 'email' | 'totp' | 'backup_codes';
  label: string;
  /** Where a code goes (`sms`, `email`), masked; null for an app or backup codes. */
  maskedAddress: string | null;
}

/** Password login, phone-number login, or a step-up confirmation of a signed-in account. */
export type LoginFlowKind = 'password' | 'phone' | 'step_up';

/** Everything a login flow remembers between steps (it is stored with the flow; never a secret). */
export interface LoginFlowContext {
  flowId: string;
  kind: LoginFlowKind;
  createdAt: number;
  updatedAt: number;
  /** The flow ends `expired` at this instant (exclusive). */
  expiresAt: number;
  limits: LoginLimits;
  /** False for an unknown identifier or number: the flow looks the same but can never succeed. */
  subjectKnown: boolean;
  accountId: string | null;
  /** Key of the lockout record: `account:<id>`, `identifier:<hmac>` or `phone:<e164>`. */
  lockoutKey: string | null;
  /** HMAC of the host's client key for this flow, or null: known clients pass the account's lock. */
  clientKey: string | null;
  organizationId: string | null;
  /** E.164 the code goes to; null until a code step is reached. */
  phone: string | null;
  maskedPhone: string | null;
  /** What the flow requires, decided at the password step (or at the start of a phone or step-up flow). */
  codeRequired: boolean;
  newPasswordRequired: boolean;
  /** Factors completed so far. */
  passwordVerified: boolean;
  codeVerified: boolean;
  passwordChanged: boolean;
  /** True while the code goes to a phone being enrolled (after a recovery); it is stored when the login completes. */
  enrolling: boolean;
  /** The second factors offered at `awaiting_factor` (SMS first: the default for business logins). Absent on older flows: none. */
  factors?: FactorChoice[];
  /**
   * A remembered-device token given to `start`, or the live one the password step was given: its
   * device id and secret's MAC (never the token). Absent: none.
   */
  deviceClaim?: DeviceClaim;
  /**
   * The account's credential epoch when the password step passed (`AccountRecord.credentialEpoch`):
   * a reset, a password change, a reissued temporary password or a completed recovery moves it,
   * and the flow then cannot finish. Absent on phone and step-up flows (and on older flows: 0).
   */
  credentialEpoch?: number;
  /** The factor chosen for the code step; absent or null: the SMS to `phone`. */
  factor?: FactorChoice | null;
  /** Until when the last code is valid; null when none was sent. */
  codeExpiresAt: number | null;
  codeAttemptsLeft: number;
  resendsLeft: number;
  resendAvailableAt: number | null;
  error: LoginFlowError | null;
  authenticatedAt: number | null;
  endedAt: number | null;
}

/** What a login machine must be started with; `clientKey` and `deviceClaim` default to none. */
export type LoginMachineInput = {
  flowId: string;
  createdAt: number;
  limits: LoginLimits;
  /** HMAC of the host's client key (a hash of the device or browser), when the host gave one. */
  clientKey?: string | null;
  /** A remembered-device token given before the account is known (`start`), as a claim. */
  deviceClaim?: DeviceClaim | null;
};

/** What the service found out about the password (the machine never sees the password). */
export type PasswordVerdict =
  | { result: 'wrong' }
  | { result: 'locked'; retryAfter: number }
  | { result: 'not_activated' }
  | { result: 'disabled' }
  | { result: 'temporary_expired' }
  | { result: 'phone_required' }
  | {
      result: 'ok';
      /** A temporary password: the only way on is a new password. */
      temporary: boolean;
      codeRequired: boolean;
      organizationId: string | null;
      phone: string | null;
      maskedPhone: string | null;
      sms: SmsSlot;
      /** A lost-factor recovery removed the factor: a new phone must be enrolled before the login completes. */
      enrolmentRequired?: boolean;
      /** The account's usable second factors when it has more than its phone: the flow asks which one. */
      factors?: FactorChoice[];
      /** The account's credential epoch the password was checked against (see `LoginFlowContext.credentialEpoch`). Absent: 0. */
      credentialEpoch?: number;
      /**
       * The live remembered device of the account the step spoke for (it skipped the second factor):
       * the flow keeps it, so its later steps and its completion count on the device's own lockout
       * record. Absent: none.
       */
      deviceClaim?: DeviceClaim;
    };

/** What the service found out about a code typed at `awaiting_code` (the machine never sees the code). */
export type CodeOutcome =
  | { result: 'accepted' }
  | { result: 'wrong' }
  | { result: 'expired' }
  | { result: 'locked'; retryAfter: number }
  /** The credentials the password step proved changed since (a reset, a reissue, a recovery): the flow ends. */
  | { result: 'stale' };

/** The events a login machine takes; each carries `at` (epoch ms), the service's clock at the step. */
export type LoginEvent =
  | { type: 'identify'; at: number; subjectKnown: boolean; accountId: string | null; lockoutKey: string }
  | { type: 'password'; at: number; verdict: PasswordVerdict }
  | { type: 'code'; at: number; outcome: CodeOutcome }
  | {
      type: 'resend';
      at: number;
      sms: SmsSlot;
      /** The flow's credentials changed since its password step: it ends `failed`, nothing is sent. Absent: false. */
      stale?: boolean;
    }
  | {
      type: 'newPassword';
      at: number;
      /** `stale`: the temporary password is no longer this flow's (reissued, or a password was set since): the flow ends. */
      outcome: { result: 'changed' } | { result: 'rejected'; reason: string } | { result: 'stale' };
    }
  | {
      type: 'phone';
      at: number;
      subjectKnown: boolean;
      organizationId: string | null;
      phone: string;
      maskedPhone: string;
      lockoutKey: string;
      /** The number is locked out until then (consecutive failures); null when not. */
      lockedUntil: number | null;
      sms: SmsSlot;
    }
  | {
      type: 'stepUp';
      at: number;
      accountId: string;
      organizationId: string | null;
      /** The phone the code goes to when `factor` is the SMS; null for the other factors. */
      phone: string | null;
      maskedPhone: string | null;
      lockoutKey: string;
      lockedUntil: number | null;
      /** The sending slot of the code (always allowed for an app or backup codes: nothing is sent). */
      sms: SmsSlot;
      /** The factor that confirms the step-up (absent on older events: the SMS to `phone`). */
      factor?: FactorChoice;
    }
  /** `stale`: as for `resend`. */
  | { type: 'enrol'; at: number; phone: string; maskedPhone: string; sms: SmsSlot; stale?: boolean }
  /**
   * The factor picked at `awaiting_factor`; `sms` is the sending slot of the code (always allowed
   * for an app or backup codes); `stale`: as for `resend`.
   */
  | { type: 'chooseFactor'; at: number; factorId: string; sms: SmsSlot; stale?: boolean }
  | { type: 'expire'; at: number };

/** The effects a transition asks for; the service carries them out in the same commit. */
export type LoginEffect =
  /** Issue a code and queue the SMS; `deliver: false` when the SMS budget is spent (nothing is issued or sent). */
  | { type: 'sendCode'; params: { deliver: boolean } }
  /** Invalidate the flow's live code. */
  | { type: 'revokeCode'; params: undefined }
  /** Build the login result and reset the lockout. */
  | { type: 'authenticated'; params: undefined }
  /** The lockout record already holds the lock: audit it on the account. */
  | { type: 'lockedOut'; params: undefined };
