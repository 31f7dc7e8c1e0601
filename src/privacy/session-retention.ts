import type { Json } from '../ports/json.js';
import { DEVICE_KIND, SESSION_KIND, STEP_UP_LINK_KIND } from '../sessions/index.js';
import type { RetentionRule } from './retention-rule.js';

type Ended = {
  value?: unknown;
  context?: { endedAt?: unknown; idleExpiresAt?: unknown; absoluteExpiresAt?: unknown };
  endedAt?: unknown;
  expiresAt?: unknown;
};
const numberOr = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * When an ended record ended: its `endedAt`, or its expiry if that came first. A record that
 * lapsed ended at its expiry, whenever a sweep got round to marking it, so a late sweep does
 * not push its deletion back by its own delay.
 */
const endedBy = (endedAt: unknown, ...expiries: unknown[]): number | null => {
  const ended = numberOr(endedAt);
  if (ended === null) return null;
  return Math.min(ended, ...expiries.map(numberOr).filter((at): at is number => at !== null));
};

/**
 * A session ends when it is revoked or expired (its `endedAt`); an `active` one never counts as
 * ended here, even past its expiry, until the timer sweep marks it expired, so a live session is
 * never deleted whatever the clocks say.
 */
const sessionEndedAt = (state: Json): number | null => {
  const snapshot = state as Ended;
  const ctx = snapshot.context;
  return snapshot.value === 'active' ? null : endedBy(ctx?.endedAt, ctx?.idleExpiresAt, ctx?.absoluteExpiresAt);
};

/** A remembered device or step-up link ends when revoked, expired or completed (`endedAt`). */
const linkEndedAt = (state: Json): number | null => endedBy((state as Ended).endedAt, (state as Ended).expiresAt);

/**
 * The retention rules of the sessions module's kinds: ended `session`, `remembered_device` and
 * `session_step_up` records are deleted `policy.retention.sessions` after they ended (default 7 days).
 */
export const SESSION_RETENTION_RULES: readonly RetentionRule[] = [
  { kind: SESSION_KIND, period: 'sessions', endedAt: sessionEndedAt },
  { kind: DEVICE_KIND, period: 'sessions', endedAt: linkEndedAt },
  { kind: STEP_UP_LINK_KIND, period: 'sessions', endedAt: linkEndedAt },
];
