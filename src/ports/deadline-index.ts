/** A record whose deadline is due, as claimed by a sweeper. */
export interface DueRecord {
  kind: string;
  id: string;
  dueAt: number;
}

/** Index of `nextDueAt` over all records. */
export interface DeadlineIndex {
  /**
   * Must claim up to `limit` records whose `nextDueAt <= now` and that are not under an unexpired
   * claim, lease them until `leaseUntil`, and return them earliest first. Two concurrent sweeps must
   * never return the same record while its lease holds. A commit to the record ends the lease.
   * Must cost in proportion to the due records, not to all records.
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<DueRecord[]>;
}
