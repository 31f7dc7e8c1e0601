import type { Json } from '../ports/json.js';

/**
 * A record kind whose records end: `endedAt(state)` must say since when a record is spent and
 * must return null while it is live (a live record is never deleted).
 */
export interface RetentionRule {
  kind: string;
  /** Which period of the policy applies. */
  period: 'loginFlows' | 'spentSecrets' | 'sessions' | 'lockouts' | 'expired';
  /** Must return the instant (epoch ms) the record in `state` ended, or null while it is live. */
  endedAt(state: Json): number | null;
}
