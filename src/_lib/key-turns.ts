/**
 * Turns per key within one process: `inTurn(keys, task)` runs `task` once every earlier task that
 * named one of `keys` has ended, first come first served. Every key of a task is claimed at the
 * same moment, so no two tasks can wait on each other (no deadlock, whatever the keys' order).
 *
 * A wait is bounded by `maxWaitMs`: the turns only spare work (commits that would lose a race to
 * their neighbour in the same process); correctness stays with the caller's guards, so a task
 * that waited that long goes ahead rather than wait on a neighbour stuck on something outside.
 */
export function keyTurns(maxWaitMs: number): <T>(keys: readonly string[], task: () => Promise<T>) => Promise<T> {
  const last = new Map<string, Turn>();
  return async function inTurn<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const turn: Turn = { ended: false, waiters: null };
    let before: Turn[] | null = null;
    for (const key of keys) {
      const previous = last.get(key);
      if (previous === turn) continue; // a key named twice
      if (previous !== undefined) (before ??= []).push(previous);
      last.set(key, turn);
    }
    try {
      // Uncontended (the usual case): no promise, no timer.
      if (before !== null) await waitAtMost(before, maxWaitMs);
      return await task();
    } finally {
      turn.ended = true;
      if (turn.waiters !== null) for (const wake of turn.waiters) wake();
      for (const key of keys) if (last.get(key) === turn) last.delete(key);
    }
  };
}

interface Turn {
  ended: boolean;
  /** Who waits for this turn to end; created by the first waiter. */
  waiters: (() => void)[] | null;
}

function waitAtMost(turns: readonly Turn[], ms: number): Promise<void> {
  const open = turns.filter((turn) => !turn.ended);
  if (open.length === 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let left = open.length;
    const timer = setTimeout(resolve, ms);
    const one = () => {
      if (--left === 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const turn of open) (turn.waiters ??= []).push(one);
  });
}
