/**
 * Waits a random 0–`ms` milliseconds (not security-relevant): spreads writers that lost a race,
 * so they do not collide again in step (a command's re-runs, the PostgreSQL adapter's re-sends).
 */
export const jitter = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * ms));
