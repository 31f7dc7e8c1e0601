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
  const last = new Map<string, Promise<void>>();
  return async function inTurn<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before: Promise<void>[] = [];
    for (const key of unique) {
      const previous = last.get(key);
      if (previous !== undefined) before.push(previous);
    }
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    for (const key of unique) last.set(key, ended);
    try {
      if (before.length > 0) await waitAtMost(Promise.all(before), maxWaitMs);
      return await task();
    } finally {
      end();
      for (const key of unique) if (last.get(key) === ended) last.delete(key);
    }
  };
}

async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
