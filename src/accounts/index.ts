// helpdesk-core/accounts — the public surface of the accounts module. What is not listed is internal
// (store.ts and account-repository.ts are for the login and recovery modules).
export { createAccountService, type AccountService, type AccountServiceOptions } from './service.js';
export type { AccountLinks, AccountView, OrganizationView, PhonePrincipalView } from './context.js';
export type { AcceptedResponse, ActivateResult, ResetPasswordResult } from './self-service.js';
export type { CreateOrganizationResult } from './organizations.js';
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
} from './permissions.js';
export { principalSchema, authContextSchema, type Principal, type AuthContext, type AuthMethod } from './principal.js';
export { ACCOUNT_STATUSES, accountStatusMachine, type AccountStatus } from './account-machine.js';
export { secretMachine, type SecretOutcome } from '../security/secret-machine.js';
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
export { normalizeHungarianMobile, hungarianMobileSchema, maskPhone } from './phone.js';
export type { SessionRevoker, SessionRevocationReason } from '../ports/session-revoker.js';
export type { PasswordHasher } from '../ports/password-hasher.js';
export { createPbkdf2Hasher } from '../security/pbkdf2-hasher.js';
