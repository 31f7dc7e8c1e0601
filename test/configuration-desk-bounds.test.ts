/**
 * The bounds `desk.runDueTimers` and `desk.dispatchOutbox` take are exactly what their published
 * types (`SweepOptions`, `DispatchOptions`) say: whole numbers within the documented ranges, no
 * `Infinity` (to drain, leave `limit` out for the sweep, or call again while `more`), and no
 * `elapsed` clock (an engine hook, not a desk option).
 */
import { describe, expect, it } from 'vitest';
import type { DispatchOptions, SweepOptions } from '../src/index.js';
import { isHelpdeskError } from '../src/errors.js';
import { makeDesk } from './helpers.js';

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (isHelpdeskError(error)) return error.code;
    throw error;
  }
}

describe('the desk’s sweep and dispatch bounds match their types', () => {
  it('SweepOptions offers no `elapsed`: the desk refuses it, and the type does not offer it', async () => {
    const { desk } = makeDesk();
    // @ts-expect-error -- `elapsed` is not a desk option (the desk would refuse it)
    const withClock: SweepOptions = { elapsed: () => 0 };
    expect(await code(desk.runDueTimers(withClock))).toBe('INVALID_INPUT');
  });

  it('refuses Infinity, 0, fractions and values past the documented maximum, as the types document', async () => {
    const { desk } = makeDesk();
    const sweeps: SweepOptions[] = [
      { limit: Infinity },
      { limit: 0 },
      { limit: 1.5 },
      { limit: 1_000_001 },
      { budgetMs: Infinity },
      { budgetMs: 3_600_001 },
      { batchSize: 10_001 },
      { leaseMs: 999 },
    ];
    for (const sweep of sweeps)
      expect(await code(desk.runDueTimers(sweep)), JSON.stringify(sweep)).toBe('INVALID_INPUT');
    const dispatches: DispatchOptions[] = [{ limit: Infinity }, { limit: 0 }, { limit: 1_000_001 }, { budgetMs: -1 }];
    for (const bounds of dispatches) {
      expect(await code(desk.dispatchOutbox(bounds)), JSON.stringify(bounds)).toBe('INVALID_INPUT');
    }
  });

  it('accepts the documented ranges, and a sweep without limit drains', async () => {
    const { desk } = makeDesk();
    const sweeps: SweepOptions[] = [{}, { limit: 1, budgetMs: 0, batchSize: 1, leaseMs: 1_000 }, { limit: 1_000_000 }];
    for (const sweep of sweeps) expect(await code(desk.runDueTimers(sweep)), JSON.stringify(sweep)).toBe('accepted');
    const dispatches: DispatchOptions[] = [{}, { limit: 1, budgetMs: 0 }, { limit: 1_000_000, budgetMs: 3_600_000 }];
    for (const bounds of dispatches)
      expect(await code(desk.dispatchOutbox(bounds)), JSON.stringify(bounds)).toBe('accepted');
  });
});
