/** Makes record ids. */
export interface IdGenerator {
  /**
   * Must return a new id, unique across the store, starting with `prefix` (e.g. `tkt_`).
   * Ids should sort by creation time: lists page in id order.
   */
  next(prefix: string): string;
}
