/** The source of "now". Rules never read the system clock directly. */
export interface Clock {
  /** Must return the current time as epoch milliseconds (UTC). Must never go backwards within one call chain. */
  now(): number;
}

/** Default clock: the system clock. */
export const systemClock: Clock = { now: () => Date.now() };
