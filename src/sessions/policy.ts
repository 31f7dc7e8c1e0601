import { z } from 'zod';
import { parseInput } from '../engine/validate.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Session and remembered-device rules, overridable through `createHelpdesk({ policy: { sessions } })`. Durations in ms. */
export interface SessionPolicy {
  /**
   * A session unused this long ends. Default 12 h: a helpdesk portal is open through a working
   * day, and ASVS 3.3 asks for an idle limit besides the absolute one.
   */
  idle: number;
  /** A session ends this long after its login, used or not. Default 30 days (ASVS 3.3.1). */
  absolute: number;
  /** `verify` writes `lastSeenAt` at most once per this interval, so a request is not a write. Default 1 min. */
  touchInterval: number;
  /** How long a remembered device skips the second factor. Default 30 days. */
  deviceTtl: number;
  /**
   * Live sessions one subject may hold; a login beyond it ends the least recently used one
   * (`session.ended`, reason `cap`). Default 50. Keycloak's session limiter defaults to no limit
   * and better-auth caps only accounts per browser (5), so neither gives a number: 50 lets a
   * person keep a session on every browser and device they use (sessions end after 12 h unused)
   * while bounding what a leaked password can pile up and what `list` and `revokeOthers` read.
   * `null`: no cap (Keycloak's default).
   */
  maxPerSubject: number | null;
}

/** The defaults. */
export const defaultSessionPolicy: SessionPolicy = {
  idle: 12 * HOUR,
  absolute: 30 * DAY,
  touchInterval: MINUTE,
  deviceTtl: 30 * DAY,
  maxPerSubject: 50,
};

/** Overrides of {@link SessionPolicy}; every field optional. */
export type SessionPolicyOverrides = Partial<SessionPolicy>;

const duration = z
  .number()
  .int()
  .min(1_000)
  .max(365 * DAY);
const overridesSchema = z
  .strictObject({
    idle: duration.optional(),
    absolute: duration.optional(),
    touchInterval: z.number().int().min(0).max(HOUR).optional(),
    deviceTtl: duration.optional(),
    maxPerSubject: z.number().int().min(1).max(10_000).nullable().optional(),
  })
  .refine((p) => (p.idle ?? defaultSessionPolicy.idle) <= (p.absolute ?? defaultSessionPolicy.absolute), {
    error: 'Expected sessions.idle to be at most sessions.absolute.',
  });

/** The policy in force: defaults with the overrides applied (INVALID_INPUT for a bad override). */
export function resolveSessionPolicy(overrides: SessionPolicyOverrides = {}): SessionPolicy {
  const parsed = parseInput(overridesSchema, overrides, 'session policy');
  const set = Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined));
  return { ...defaultSessionPolicy, ...set };
}
