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

export interface SweepOptions {
  /** Records claimed per round. Default 200. */
  batchSize?: number;
  /** How long a claim holds before another sweeper may take the record. Default 60 s. */
  leaseMs?: number;
}

export interface SweepResult {
  fired: FiredTimer[];
  /** Records whose handler threw; their claim lapses and a later sweep tries again. */
  failed: Array<{ kind: string; id: string; error: unknown }>;
}

/** Claims every due record and runs its kind's handler. Safe to run from many workers at once. */
export async function sweepDueTimers(
  storage: Storage,
  now: number,
  handlers: Readonly<Record<string, DueHandler>>,
  options: SweepOptions = {},
): Promise<SweepResult> {
  const batchSize = options.batchSize ?? 200;
  const leaseMs = options.leaseMs ?? 60_000;
  const result: SweepResult = { fired: [], failed: [] };
  for (;;) {
    const due = await storage.claimDue(now, now + leaseMs, batchSize);
    if (due.length === 0) return result;
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
  }
}
