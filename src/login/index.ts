// helpdesk-core/login — the public surface of the login module. What is not listed is internal:
// the factory (`createLoginService`, wired by `createHelpdesk`), record kinds and lockout internals
// stay behind it; tests import them from their source files.
export type { LoginService } from './login-service.js';
export type { LoginFlowView, LoginResult } from './types.js';
export { loginErrors, loginOutcomes, type LoginErrorCode } from './error-codes.js';
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
  type LoginEvent,
  type SmsSlot,
  type LoginEffect,
  type LoginLimits,
  type LoginMachineInput,
  type PasswordVerdict,
  type CodeOutcome,
} from './login-machine.js';
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
  chooseFactorSchema,
  type ChooseFactorInput,
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
export {
  startLoginWithDeviceSchema,
  submitCodeWithDeviceSchema,
  submitPasswordWithDeviceSchema,
  type StartLoginWithDeviceInput,
  type SubmitCodeWithDeviceInput,
  type SubmitPasswordWithDeviceInput,
} from '../sessions/login-inputs.js';
// The inputs of `desk.factors` and `desk.sessions`, the login's neighbours (no entry of their own).
export * from '../factors/schemas.js'; // the command inputs of `desk.factors`: every export there is public
export {
  revokeSessionSchema,
  forgetDeviceSchema,
  type RevokeSessionInput,
  type ForgetDeviceInput,
} from '../sessions/schemas.js';
// ── docs ──
export type { FactorChoice } from './login-machine.js';
export type { DeviceClaim } from '../sessions/devices.js';
