// helpdesk-core/login — the public surface of the login module. What is not listed is internal.
export {
  createLoginService,
  loginFlowView,
  LOGIN_FLOW_KIND,
  LOGIN_RECORD_KINDS,
  LOGIN_CODE_PURPOSE,
  type LoginService,
  type LoginServiceOptions,
} from './service.js';
export type { LoginFlowView, LoginResult } from './types.js';
export { loginErrors } from './error-codes.js';
export { defaultLoginPolicy, loginPolicySchema, type LoginPolicy, type LoginPolicyOverrides } from './policy.js';
export {
  loginMachine,
  loginEvents,
  LOGIN_FLOW_STATES,
  FINAL_LOGIN_STATES,
  type LoginFlowState,
  type LoginFlowKind,
  type LoginFlowContext,
  type LoginFlowError,
  type LoginErrorCode,
  type LoginEvent,
  type SmsSlot,
  type LoginEffect,
  type LoginLimits,
  type LoginMachineInput,
  type PasswordVerdict,
  type CodeOutcome,
} from './login-machine.js';
export {
  LOCKOUT_KIND,
  recordFailure,
  recordSuccess,
  lockedUntil,
  type LockoutState,
  type LockoutRules,
} from '../security/lockout.js';
export {
  flowIdSchema,
  identifierSchema,
  loginCodeSchema,
  submitIdentifierSchema,
  submitPasswordSchema,
  submitCodeSchema,
  resendCodeSchema,
  changePasswordSchema,
  startPhoneLoginSchema,
  startStepUpSchema,
  enrolPhoneSchema,
  type SubmitIdentifierInput,
  type SubmitPasswordInput,
  type SubmitCodeInput,
  type ResendCodeInput,
  type ChangePasswordInput,
  type StartPhoneLoginInput,
  type StartStepUpInput,
  type EnrolPhoneInput,
} from './schemas.js';
export type { AuthContext, AuthMethod, Principal } from '../accounts/principal.js';
