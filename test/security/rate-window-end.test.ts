import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { addHit, clearHits, RATE_WINDOW_KIND } from '../../src/security/rate-limiter.js';

const T0 = 1_800_000_000_000;
const HOUR = 3_600_000;

describe('a rate window knows when it is over', () => {
  it('ends one window after its last hit, and a shorter window never pulls the end back', async () => {
    const storage = createMemoryStorage();
    const hit = (at: number, windowMs: number) =>
      runCommand(
        storage,
        () => at,
        (uow) => addHit(uow, 'k', windowMs),
      );
    const until = async () => ((await storage.load(RATE_WINDOW_KIND, 'k'))!.state as { until: number }).until;
    await hit(T0, 24 * HOUR);
    expect(await until()).toBe(T0 + 24 * HOUR);
    await hit(T0 + HOUR, 24 * HOUR);
    expect(await until()).toBe(T0 + 25 * HOUR);
    await hit(T0 + 2 * HOUR, HOUR); // a caller with a shorter window: the longer end stays
    expect(await until()).toBe(T0 + 25 * HOUR);
  });

  it('a cleared window is over at once', async () => {
    const storage = createMemoryStorage();
    await runCommand(
      storage,
      () => T0,
      (uow) => addHit(uow, 'k', HOUR),
    );
    await runCommand(
      storage,
      () => T0 + 5,
      (uow) => clearHits(uow, 'k'),
    );
    expect((await storage.load(RATE_WINDOW_KIND, 'k'))!.state).toEqual({ hits: [], until: T0 + 5 });
  });
});
