import { z } from 'zod';
import { parseInput } from '../engine/validate.js';
import type { RecoveryTimingPolicy } from './recovery-machine.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Recovery rules a host may override through `createHelpdesk({ policy: { recovery } })`. */
export type RecoveryPolicy = RecoveryTimingPolicy;

/** The defaults of DESIGN §4: a 24 h waiting period after approval, 14 days for evidence. */
export const defaultRecoveryPolicy: Readonly<RecoveryPolicy> = Object.freeze({
  waitingPeriod: 24 * HOUR,
  evidenceTtl: 14 * DAY,
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
});
/** What `createHelpdesk({ policy: { recovery } })` accepts; every field defaults to {@link defaultRecoveryPolicy}. */
export type RecoveryPolicyOverrides = z.input<typeof recoveryPolicySchema>;

/** Merges overrides over the defaults; bad values are `INVALID_INPUT`. */
export function resolveRecoveryPolicy(overrides: unknown = {}): RecoveryPolicy {
  const parsed = parseInput(recoveryPolicySchema, overrides, 'recovery policy');
  return {
    waitingPeriod: parsed.waitingPeriod ?? defaultRecoveryPolicy.waitingPeriod,
    evidenceTtl: parsed.evidenceTtl ?? defaultRecoveryPolicy.evidenceTtl,
  };
}
