import type { CoreDeps } from '../engine/deps.js';
import type { TokenFailure } from '../accounts/error-codes.js';
import { createEmailChange, type EmailChangeStarted } from './email-change.js';
import { createFactorCommands, type ConfirmFactorResult, type EnrolFactorResult } from './factor-commands.js';
import { createFactorKit, type FactorServiceOptions } from './factor-kit.js';
import { createLoginFactors, type LoginFactors } from './login-factors.js';
import type {
  ChangeEmailInput,
  ConfirmEmailChangeInput,
  ConfirmFactorInput,
  EnrolFactorInput,
  ListFactorsInput,
  RemoveFactorInput,
  RenameFactorInput,
  SetOrganizationFactorsInput,
} from './schemas.js';
import type { FactorType } from './factor-record.js';
import type { FactorView } from './views.js';

/**
 * `desk.factors`: the caller's own second factors. Every command must be called with the caller's
 * `auth` showing a second factor within `policy.factors.stepUpMaxAge` (SECOND_FACTOR_REQUIRED
 * otherwise), and every change is mailed to the account's address on record.
 */
export interface FactorService {
  /**
   * Starts enrolling a factor. `totp` answers the secret and otpauth URI once (CONFIGURATION_INVALID
   * without `secrets.encryptionKey`); `email` and `sms` send a code to the address or phone on record;
   * `backup_codes` answers 10 codes once and is active at once (replacing any earlier set).
   * PERMISSION_DENIED when the organisation does not allow the type.
   */
  enrol(input: EnrolFactorInput): Promise<EnrolFactorResult>;
  /**
   * Activates a pending factor with its first code (5 wrong codes burn it). A confirmed factor
   * replaces an active one of the same type. A refused code is an outcome, not an exception.
   */
  confirm(input: ConfirmFactorInput): Promise<ConfirmFactorResult>;
  /** The account's factors: active ones (the phone on record counts as `sms`) and pending ones. */
  list(input: ListFactorsInput): Promise<FactorView[]>;
  /** Renames a factor (INVALID_INPUT for a factor id not on the account). */
  rename(input: RenameFactorInput): Promise<FactorView>;
  /**
   * Removes a factor and answers the active ones left. PERMISSION_DENIED (`last_factor`) for the last
   * active factor when the organisation requires a second factor.
   */
  remove(input: RemoveFactorInput): Promise<FactorView[]>;
  /**
   * The main administrator chooses which factors the organisation's users may use and whether a
   * second factor is required at login (this also sets `smsCodeForLogin`, its older name).
   */
  setOrganizationFactors(
    input: SetOrganizationFactorsInput,
  ): Promise<{ allowedFactors: FactorType[]; secondFactorRequired: boolean }>;
  /**
   * Starts changing the account's email: a code goes to the new address (nothing changes until it
   * is confirmed). INVALID_INPUT when the address belongs to another personal account.
   */
  changeEmail(input: ChangeEmailInput): Promise<EmailChangeStarted>;
  /**
   * Confirms the new address with its code: it becomes the account's verified address, and the old
   * address is told. A refused code is an outcome.
   */
  confirmEmailChange(input: ConfirmEmailChangeInput): Promise<{ ok: true; email: string } | TokenFailure>;
}

/** Builds `desk.factors`, and the side of it the login flow uses (`login`). */
export function createFactorService(
  deps: CoreDeps,
  options: FactorServiceOptions,
): { service: FactorService; login: LoginFactors } {
  const kit = createFactorKit(deps, options);
  return { service: { ...createFactorCommands(kit), ...createEmailChange(kit) }, login: createLoginFactors(kit) };
}
