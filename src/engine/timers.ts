import type { Json } from '../ports/json.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { Storage } from '../ports/storage.js';
import { runCommand, type UnitOfWork } from './unit-of-work.js';

/** A timer event that a sweep sent to a record. */
export interface FiredTimer {
  kind: string;
  id: string;
  /** The timer event type, e.g. `timer.autoResolve`. */
  event: string;
  /** When it was due. */
  dueAt: number;
  /** Detail of the event, e.g. `{ metric: 'firstResponse' }` for an SLA warning or breach. */
  data?: Record<string, Json>;
}

/**
 * Handles one due record inside a unit of work: sends the guarded timer events
 * that are due at `uow.now`, writes the record back (which ends the claim and
 * stores its next deadline) and returns what fired.
 */
export type DueHandler = (uow: UnitOfWork, record: StoredRecord) => Promise<FiredTimer[]>;

/**
 * Bounds of `desk.runDueTimers` (and of the worker's timer loop): whole numbers within the ranges
 * below; anything else (`Infinity`, 0, a fraction, an unknown key) is refused with INVALID_INPUT.
 */
export interface SweepOptions {
  /** Records claimed per round, 1 to 10,000. Default 200. */
  batchSize?: number;
  /** How long a claim holds before another sweeper may take the record, 1,000 ms to a day. Default 60 s. */
  leaseMs?: number;
  /**
   * Most records this call claims, 1 to 1,000,000. Left out, the call drains every due record,
   * because one-off callers (a cron, the 10,000-deadline server test, the sweep benchmark) expect
   * one call to fire everything due; a loop must pass a bound (the worker passes 500).
   */
  limit?: number;
  /**
   * Milliseconds, 0 to 3,600,000, after which no new round is claimed; the round in hand is always
   * finished, and the first round is always claimed. Measured on a monotonic clock
   * (`performance.now()`). Left out, no time bound.
   */
  budgetMs?: number;
}

/** Options of the engine's `sweepDueTimers`: the desk's {@link SweepOptions} and a clock for tests. */
export interface SweepRunOptions extends SweepOptions {
  /** A monotonic millisecond clock for `budgetMs`. Default `performance.now()`. */
  elapsed?: () => number;
}

/** What one sweep call did. */
export interface SweepResult {
  fired: FiredTimer[];
  /** Records whose handler threw; their claim lapses and a later sweep tries again. */
  failed: Array<{ kind: string; id: string; error: unknown }>;
  /**
   * True when the call stopped because of `limit` or `budgetMs`, so more may be due: call again at
   * once. False when a round found nothing due.
   */
  more: boolean;
}

/**
 * Claims due records, within `options.limit` and `options.budgetMs`, and runs each kind's handler.
 * Safe to run from many workers at once. Rejects when a claim fails (the records already handled
 * stay handled); a handler that throws is reported in `failed`.
 */
export async function sweepDueTimers(
  storage: Storage,
  now: number,
  handlers: Readonly<Record<string, DueHandler>>,
  options: SweepRunOptions = {},
): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 200;
  const leaseMs = options.leaseMs ?? 60_000;
  const limit = Math.max(1, Math.floor(options.limit ?? Number.POSITIVE_INFINITY));
  const budgetMs = options.budgetMs ?? Number.POSITIVE_INFINITY;
  const elapsed = options.elapsed ?? (() => performance.now());
  const started = elapsed();
  const result: SweepResult = { fired: [], failed: [], more: false };
  let claimed = 0;
  for (;;) {
    const size = Math.min(batchSize, limit - claimed);
    const due = await storage.claimDue(now, now + leaseMs, size);
    // Only an empty round ends a drain: a handler may have stored a next deadline that is already due.
    if (due.length === 0) return result;
    claimed += due.length;
    for (const item of due) {
      const handler = handlers[item.kind];
      if (!handler) continue; // not ours: the claim lapses
      try {
        const fired = await runCommand(
          storage,
          () => now,
          async (uow) => {
            const record = await uow.load(item.kind, item.id);
            return record ? handler(uow, record) : [];
          },
        );
        result.fired.push(...fired);
      } catch (error) {
        result.failed.push({ kind: item.kind, id: item.id, error });
      }
    }
    if (claimed >= limit || elapsed() - started >= budgetMs) {
      result.more = true;
      return result;
    }
  }
}
