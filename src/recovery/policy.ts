import { z } from 'zod';
import { parseInput } from '../engine/validate.js';
import type { RecoveryTimingPolicy } from './recovery-machine.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Recovery rules a host may override through `createHelpdesk({ policy: { recovery } })`. */
export interface RecoveryPolicy extends RecoveryTimingPolicy {
  /**
   * How many cases one login may have open at once; a further request joins the newest open
   * one (no new ticket, no new notice to the account). Default 1.
   */
  maxOpenCasesPerAccount: number;
  /** How many cases one login may open per {@link RecoveryPolicy.openWindow}; beyond it nothing is sent. Default 3. */
  opensPerWindow: number;
  /** The window of {@link RecoveryPolicy.opensPerWindow}, in milliseconds. Default 24 h. */
  openWindow: number;
}

/**
 * The defaults of docs/recovery.md (a 24 h waiting period after approval, 14 days for evidence) and
 * the abuse budget of issue 15: one open case per login, at most 3 opened per 24 h.
 */
export const defaultRecoveryPolicy: Readonly<RecoveryPolicy> = Object.freeze({
  waitingPeriod: 24 * HOUR,
  evidenceTtl: 14 * DAY,
  maxOpenCasesPerAccount: 1,
  opensPerWindow: 3,
  openWindow: 24 * HOUR,
});

const duration = z
  .number()
  .int()
  .positive()
  .max(365 * DAY);

/** Overrides of the recovery policy: durations in milliseconds, at most a year. */
export const recoveryPolicySchema = z.strictObject({
  waitingPeriod: duration.optional(),
  evidenceTtl: duration.optional(),
  maxOpenCasesPerAccount: z.number().int().min(1).max(100).optional(),
  opensPerWindow: z.number().int().min(1).max(1000).optional(),
  openWindow: duration.optional(),
});
/** What `createHelpdesk({ policy: { recovery } })` accepts; every field defaults to {@link defaultRecoveryPolicy}. */
export type RecoveryPolicyOverrides = z.input<typeof recoveryPolicySchema>;

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveRecoveryPolicy(overrides: unknown = {}): RecoveryPolicy {
  const parsed = parseInput(recoveryPolicySchema, overrides, 'recovery policy');
  return {
    waitingPeriod: parsed.waitingPeriod ?? defaultRecoveryPolicy.waitingPeriod,
    evidenceTtl: parsed.evidenceTtl ?? defaultRecoveryPolicy.evidenceTtl,
    maxOpenCasesPerAccount: parsed.maxOpenCasesPerAccount ?? defaultRecoveryPolicy.maxOpenCasesPerAccount,
    opensPerWindow: parsed.opensPerWindow ?? defaultRecoveryPolicy.opensPerWindow,
    openWindow: parsed.openWindow ?? defaultRecoveryPolicy.openWindow,
  };
}
