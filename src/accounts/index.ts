// helpdesk-core/accounts — the public surface of the accounts module: the service's declared
// type, its views and results, schemas, permissions and can(), the machine, the policy and the
// error codes. What is not listed is internal: the service factory (hosts get `desk.accounts`
// from createHelpdesk), the account gateway for login and recovery, and the storage layout.
export type { AccountService } from './account-service.js';
export type { AccountLinks } from './context.js';
export type { AccountView, OrganizationView, PhonePrincipalView } from './views.js';
export type { AcceptedResponse, ActivateResult, ResetPasswordResult, CreateOrganizationResult } from './results.js';
export { accountErrors, type TokenFailure, type TokenFailureCode } from './error-codes.js';
export {
  defaultAccountPolicy,
  accountPolicySchema,
  type AccountPolicy,
  type AccountPolicyOverrides,
} from './policy.js';
export {
  PERMISSIONS,
  PHONE_GRANTABLE_PERMISSIONS,
  permissionSchema,
  can,
  effectivePermissions,
  type Permission,
  type PermissionHolder,
} from './permissions.js';
export { principalSchema, authContextSchema, type Principal, type AuthContext, type AuthMethod } from './principal.js';
export {
  ACCOUNT_STATUSES,
  accountStatusMachine,
  type AccountStatus,
  type AccountStatusEvent,
  type AccountStatusEffect,
} from './account-machine.js';
export { secretMachine, type SecretOutcome } from '../security/secret-machine.js';
// Referenced by the machines' types above: exported so the API reference can show them.
export type { SecretContext } from '../security/secret-machine.js';
export type { AccountStatusContext } from './account-machine.js';
export {
  registerSchema,
  activateSchema,
  resendActivationSchema,
  requestPasswordResetSchema,
  resetPasswordSchema,
  usernameReminderSchema,
  createOrganizationSchema,
  createBusinessUserSchema,
  setPermissionsSchema,
  setUserStatusSchema,
  reissueTemporaryPasswordSchema,
  setOrganizationSettingsSchema,
  registerPhoneNumberSchema,
  setPhonePermissionsSchema,
  type RegisterInput,
  type ActivateInput,
  type ResendActivationInput,
  type RequestPasswordResetInput,
  type ResetPasswordInput,
  type UsernameReminderInput,
  type CreateOrganizationInput,
  type CreateBusinessUserInput,
  type SetPermissionsInput,
  type SetUserStatusInput,
  type ReissueTemporaryPasswordInput,
  type SetOrganizationSettingsInput,
  type RegisterPhoneNumberInput,
  type SetPhonePermissionsInput,
} from './schemas.js';
export { canonicalIdentifier, usernameSchema, companySlugSchema, emailSchema } from './identifiers.js';
export { normalizeHungarianMobile, hungarianMobileSchema, maskPhone, type PhoneRejection } from './phone.js';
export type { SessionRevoker, SessionRevocationReason } from '../ports/session-revoker.js';
export type { PasswordHasher } from '../ports/password-hasher.js';
export { createPbkdf2Hasher } from '../security/pbkdf2-hasher.js';
