import { z } from 'zod';
import { parseInput } from '../engine/validate.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Account rules a host may override through `createHelpdesk({ policy: { accounts } })`. Durations in ms. */
export interface AccountPolicy {
  /** Lifetime of the activation link. Default 24 h (docs/security.md). */
  activationTtl: number;
  /** Lifetime of a password-reset link. Default 1 h. */
  resetLinkTtl: number;
  /** Lifetime of a password-reset code. Default 5 min (NIST 800-63B 5.1.3.2). */
  resetCodeTtl: number;
  /** Digits of a one-time code. Default 6. */
  codeDigits: number;
  /** Wrong codes before a code is burned. Default 5. */
  codeMaxAttempts: number;
  /** Lifetime of a business user's temporary password. Default 72 h. */
  temporaryPasswordTtl: number;
  /** Length of a temporary password. Default 20 (at least 16). */
  temporaryPasswordLength: number;
  /**
   * Requests per account (reset, activation re-send) or per address (username reminder)
   * within `requestWindow`; more are dropped silently, the answer stays the same. Default 5.
   */
  requestsPerWindow: number;
  /** Default 1 h. */
  requestWindow: number;
  /**
   * Wrong password-reset codes per account within `resetCodeFailureWindow` (rolling), across
   * requests; only a successful reset clears the count. At the cap no reset code is issued:
   * an email request gets the reset link instead, an SMS request gets nothing. Default 10.
   */
  resetCodeMaxFailures: number;
  /** Default 24 h (rolling). */
  resetCodeFailureWindow: number;
  /** Password-reset SMS per phone number (E.164) within `resetSmsWindow`, across accounts. Default 10. */
  resetSmsPerNumber: number;
  /** Default 24 h (rolling). */
  resetSmsWindow: number;
  /** How recent the SMS second factor must be for `setOrganizationSettings`. Default 15 min. */
  secondFactorMaxAge: number;
  /** Password length bounds in code points after NFKC. Default 8–128 (NIST 5.1.1.2). */
  passwordMinLength: number;
  /** At least 64 (NIST 5.1.1.2: verifiers SHOULD permit at least 64). Default 128. */
  passwordMaxLength: number;
  /**
   * The host's own expected words a new password may not be (its name, its product, its city),
   * compared after NFKC and ignoring case, besides the built-in list of common passwords.
   * Default none.
   */
  passwordBlocklist: readonly string[];
}

/** The defaults (docs/accounts.md, "Defaults"; docs/security.md gives their sources). */
export const defaultAccountPolicy: Readonly<AccountPolicy> = Object.freeze({
  activationTtl: 24 * HOUR,
  resetLinkTtl: HOUR,
  resetCodeTtl: 5 * MINUTE,
  codeDigits: 6,
  codeMaxAttempts: 5,
  temporaryPasswordTtl: 72 * HOUR,
  temporaryPasswordLength: 20,
  requestsPerWindow: 5,
  requestWindow: HOUR,
  resetCodeMaxFailures: 10,
  resetCodeFailureWindow: 24 * HOUR,
  resetSmsPerNumber: 10,
  resetSmsWindow: 24 * HOUR,
  secondFactorMaxAge: 15 * MINUTE,
  passwordMinLength: 8,
  passwordMaxLength: 128,
  passwordBlocklist: Object.freeze([]),
});

const duration = z
  .number()
  .int()
  .positive()
  .max(366 * 24 * HOUR);

/** Parses `policy.accounts` overrides: every field optional, each falls back to its default in {@link AccountPolicy}. */
export const accountPolicySchema = z
  .strictObject({
    activationTtl: duration.optional(),
    resetLinkTtl: duration.optional(),
    resetCodeTtl: duration.optional(),
    codeDigits: z.number().int().min(6).max(10).optional(),
    codeMaxAttempts: z.number().int().min(1).max(10).optional(),
    temporaryPasswordTtl: duration.optional(),
    temporaryPasswordLength: z.number().int().min(16).max(128).optional(),
    requestsPerWindow: z.number().int().min(1).max(1000).optional(),
    requestWindow: duration.optional(),
    resetCodeMaxFailures: z.number().int().min(1).max(1000).optional(),
    resetCodeFailureWindow: duration.optional(),
    resetSmsPerNumber: z.number().int().min(1).max(1000).optional(),
    resetSmsWindow: duration.optional(),
    secondFactorMaxAge: duration.optional(),
    passwordMinLength: z.number().int().min(8).max(128).optional(),
    passwordMaxLength: z.number().int().min(64).max(1024).optional(),
    passwordBlocklist: z.array(z.string().min(1).max(1024)).max(100_000).readonly().optional(),
  })
  .refine((p) => (p.passwordMinLength ?? 8) <= (p.passwordMaxLength ?? 128), {
    error: 'passwordMinLength must not exceed passwordMaxLength.',
  });

/** `createHelpdesk({ policy: { accounts } })`: the account rules to change; anything left out keeps its default. */
export type AccountPolicyOverrides = z.input<typeof accountPolicySchema>;

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveAccountPolicy(overrides: unknown = {}): AccountPolicy {
  const parsed = parseInput(accountPolicySchema, overrides ?? {}, 'account policy');
  const merged: AccountPolicy = { ...defaultAccountPolicy };
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) Object.assign(merged, { [key]: value });
  merged.passwordBlocklist = Object.freeze([...merged.passwordBlocklist]); // the host's array may change later
  return merged;
}
