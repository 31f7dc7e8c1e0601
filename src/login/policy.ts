import { z } from 'zod';
import { parseInput } from '../engine/validate.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Login rules a host may override through `createHelpdesk({ policy: { login } })`. Durations in ms. */
export interface LoginPolicy {
  /** Lifetime of a login flow from `start`. Default 15 min. */
  flowTtl: number;
  /** Lifetime of the SMS login code. Default 5 min (NIST 800-63B 5.1.3.2). */
  codeTtl: number;
  /** Digits of the SMS login code. Default 6. */
  codeDigits: number;
  /** Wrong codes per flow in total; a resend does not restore them (better-auth 11162). Default 5. */
  maxCodeAttempts: number;
  /** Wait between two sends of the code ("Nem kaptam meg az SMS-t"). Default 30 s. */
  resendCooldown: number;
  /** Resends per flow. Default 3. */
  maxResends: number;
  /**
   * Login SMS per bucket within `smsWindow`, the first code included. Default 10. The buckets:
   * `phone-login:<e164>` for anonymous phone-number logins (known and unknown numbers alike), and
   * `account:<id>` for codes sent after a verified password, for a step-up or an enrolment — so
   * anonymous requests cannot spend an account's login SMS.
   */
  smsPerNumber: number;
  /**
   * Login SMS per phone number within `smsWindow`, across all buckets (several accounts may
   * share a number). Default 3 × `smsPerNumber` (30).
   */
  smsPerNumberCeiling: number;
  /** Default 24 h (rolling). */
  smsWindow: number;
  /**
   * Consecutive failures (wrong password or wrong code) that lock the account — or, when the host
   * gives a client key, that client on the account. Default 5.
   */
  lockoutThreshold: number;
  /**
   * Failures from clients with a key, across all of them, that lock the account for every client
   * that never completed a login on it (the ceiling against an attacker rotating keys; NIST
   * 800-63B 5.2.2 allows up to 100). Known clients pass it. Default 20.
   */
  lockoutAccountThreshold: number;
  /** The first wait; every further failure doubles it. Default 1 min. */
  lockoutBaseWait: number;
  /** The longest wait. Default 15 min (Keycloak brute-force detection). */
  lockoutMaxWait: number;
}

/** The defaults (docs/login.md, "Defaults"; docs/security.md gives their sources). */
export const defaultLoginPolicy: Readonly<LoginPolicy> = Object.freeze({
  flowTtl: 15 * MINUTE,
  codeTtl: 5 * MINUTE,
  codeDigits: 6,
  maxCodeAttempts: 5,
  resendCooldown: 30 * SECOND,
  maxResends: 3,
  smsPerNumber: 10,
  smsPerNumberCeiling: 30,
  smsWindow: 24 * HOUR,
  lockoutThreshold: 5,
  lockoutAccountThreshold: 20,
  lockoutBaseWait: MINUTE,
  lockoutMaxWait: 15 * MINUTE,
});

const duration = z
  .number()
  .int()
  .positive()
  .max(7 * 24 * HOUR);

/** The overrides a host may give for `LoginPolicy`: every field is optional; an absent one keeps `defaultLoginPolicy`'s. */
export const loginPolicySchema = z
  .strictObject({
    flowTtl: duration.optional(),
    codeTtl: duration.optional(),
    codeDigits: z.number().int().min(6).max(10).optional(),
    maxCodeAttempts: z.number().int().min(1).max(10).optional(),
    resendCooldown: duration.optional(),
    maxResends: z.number().int().min(0).max(20).optional(),
    smsPerNumber: z.number().int().min(1).max(1000).optional(),
    smsPerNumberCeiling: z.number().int().min(1).max(10_000).optional(),
    smsWindow: duration.optional(),
    lockoutThreshold: z.number().int().min(1).max(100).optional(),
    lockoutAccountThreshold: z.number().int().min(1).max(100).optional(),
    lockoutBaseWait: duration.optional(),
    lockoutMaxWait: duration.optional(),
  })
  .refine((p) => (p.lockoutBaseWait ?? MINUTE) <= (p.lockoutMaxWait ?? 15 * MINUTE), {
    error: 'lockoutBaseWait must not exceed lockoutMaxWait.',
  })
  .refine((p) => p.smsPerNumberCeiling === undefined || p.smsPerNumberCeiling >= (p.smsPerNumber ?? 10), {
    error: 'smsPerNumberCeiling must not be below smsPerNumber.',
  });

/** The input of `resolveLoginPolicy`: what a host may pass (see `loginPolicySchema`). */
export type LoginPolicyOverrides = z.input<typeof loginPolicySchema>;

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveLoginPolicy(overrides: unknown = {}): LoginPolicy {
  const parsed = parseInput(loginPolicySchema, overrides ?? {}, 'login policy');
  const merged: LoginPolicy = { ...defaultLoginPolicy };
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) Object.assign(merged, { [key]: value });
  if (parsed.smsPerNumberCeiling === undefined) merged.smsPerNumberCeiling = 3 * merged.smsPerNumber;
  return merged;
}
