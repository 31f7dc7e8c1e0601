import type { OutboxClaim } from '../../ports/outbox-store.js';

/** Runs one statement and returns its rows (the storage's checked `query`). */
export type SettlementQuery = (text: string, params: unknown[]) => Promise<any[]>;

/** The outbox settlement statements of the storage: `markDelivered`, `markFailed` and `markDead`. */
export interface OutboxSettlement {
  markDelivered(id: string, at: number, claim?: OutboxClaim): Promise<boolean>;
  markFailed(id: string, retryAt: number, error: string, claim?: OutboxClaim): Promise<boolean>;
  markDead(id: string, error: string, at?: number, claim?: OutboxClaim): Promise<boolean>;
}

/** The settlement statements over `query`, for the outbox table of schema `s` (quoted). */
export function outboxSettlementOf(query: SettlementQuery, s: string): OutboxSettlement {
  /**
   * Settles a claimed message. With `claim`, only while `attempts` is still the claim's (the fencing
   * token: every claim adds one), so a dispatcher whose lease lapsed cannot settle a later claim.
   */
  async function settle(
    id: string,
    assignments: string,
    params: unknown[],
    claim: OutboxClaim | undefined,
  ): Promise<boolean> {
    const fence = params.length + 2;
    const rows = await query(
      `UPDATE ${s}.outbox SET ${assignments}
       WHERE id = $1 AND status = 'claimed' AND ($${fence}::int IS NULL OR attempts = $${fence}::int)
       RETURNING 1 AS settled`,
      [id, ...params, claimTokenOf(claim)],
    );
    return rows.length > 0;
  }

  return {
    markDelivered(id, at, claim) {
      return settle(id, `status = 'delivered', claimed_until = NULL, delivered_at = $2`, [at], claim);
    },

    markFailed(id, retryAt, error, claim) {
      return settle(
        id,
        `status = 'pending', claimed_until = NULL, available_at = $2, last_error = $3`,
        [retryAt, error],
        claim,
      );
    },

    markDead(id, error, at, claim) {
      return settle(
        id,
        `status = 'dead', claimed_until = NULL, last_error = $2, available_at = COALESCE($3::bigint, available_at)`,
        [error, at ?? null],
        claim,
      );
    },
  };
}

/** The claim's `attempts` as a statement parameter: null (no fence) without a claim, -1 (matches no claim) for one that is no integer column value. */
function claimTokenOf(claim: OutboxClaim | undefined): number | null {
  if (claim === undefined) return null;
  const attempts = claim.attempts;
  return Number.isInteger(attempts) && attempts >= 0 && attempts <= 2 ** 31 - 1 ? attempts : -1;
}
