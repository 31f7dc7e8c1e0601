/** Gap-tolerant numeric sequences (ticket numbers). */
export interface SequenceStore {
  /** Must atomically return the next value of the named sequence, starting at 1, never repeating. */
  nextSequence(name: string): Promise<number>;
}
