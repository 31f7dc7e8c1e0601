import { describe, expect, it, vi } from 'vitest';
import { createWorker, type WorkerOptions } from '../../src/engine/worker.js';
import { isHelpdeskError } from '../../src/errors.js';
import { makeDesk } from '../helpers.js';

/** The `field` of the CONFIGURATION_INVALID that `run` throws; null when it throws nothing. */
function refusedField(run: () => unknown): unknown {
  try {
    const worker = run() as { stop(): Promise<void> } | undefined;
    void worker?.stop();
    return null;
  } catch (error) {
    if (isHelpdeskError(error, 'CONFIGURATION_INVALID')) return (error.details as { field?: unknown }).field;
    throw error;
  }
}

const idle = { runDueTimers: async () => ({ more: false }) };

const badOptions: Array<[string, unknown, string]> = [
  ['options null', null, 'worker'],
  ['options a string', 'fast', 'worker'],
  ['options a list', [], 'worker'],
  ['an unknown option (a typo)', { intervalMs: 100 }, 'worker.intervalMs'],
  ['interval NaN', { interval: Number.NaN }, 'worker.interval'],
  ['interval negative', { interval: -1 }, 'worker.interval'],
  ['interval Infinity', { interval: Infinity }, 'worker.interval'],
  ['interval beyond what a timer can wait', { interval: 2 ** 31 }, 'worker.interval'],
  ['interval a string', { interval: '1000' }, 'worker.interval'],
  ['limit 0', { limit: 0 }, 'worker.limit'],
  ['limit fractional', { limit: 2.5 }, 'worker.limit'],
  ['limit NaN', { limit: Number.NaN }, 'worker.limit'],
  ['budgetMs negative', { budgetMs: -1 }, 'worker.budgetMs'],
  ['budgetMs Infinity', { budgetMs: Infinity }, 'worker.budgetMs'],
  ['backoffBaseMs 0 (a failing call retried at once, forever)', { backoffBaseMs: 0 }, 'worker.backoffBaseMs'],
  ['backoffBaseMs NaN', { backoffBaseMs: Number.NaN }, 'worker.backoffBaseMs'],
  ['backoffMaxMs 0', { backoffMaxMs: 0 }, 'worker.backoffMaxMs'],
  ['backoffMaxMs negative', { backoffMaxMs: -5 }, 'worker.backoffMaxMs'],
  ['signal a string', { signal: 'x' }, 'worker.signal'],
  ['signal an object without addEventListener', { signal: {} }, 'worker.signal'],
  ['signal null', { signal: null }, 'worker.signal'],
  ['sleep not a function', { sleep: 5 }, 'worker.sleep'],
  ['onError not a function', { onError: 'console.error' }, 'worker.onError'],
];

describe('worker options are checked when the worker is created', () => {
  it.each(badOptions)(
    'refuses %s with CONFIGURATION_INVALID naming the field (createWorker)',
    (_name, options, field) => {
      expect(refusedField(() => createWorker(idle, options as WorkerOptions))).toBe(field);
    },
  );

  it.each(badOptions)(
    'refuses %s with CONFIGURATION_INVALID naming the field (desk.worker)',
    (_name, options, field) => {
      const { desk } = makeDesk();
      expect(refusedField(() => desk.worker(options as WorkerOptions))).toBe(field);
    },
  );

  it('refuses a pair that would retry a failing call at once with no pause (limit 0, backoffBaseMs 0)', () => {
    const { desk } = makeDesk();
    expect(refusedField(() => desk.worker({ limit: 0, backoffBaseMs: 0 }))).toMatch(/^worker\.(limit|backoffBaseMs)$/);
  });

  it('starts no loop when its options are refused', async () => {
    let calls = 0;
    const count = async () => {
      calls++;
      return { more: false };
    };
    expect(refusedField(() => createWorker({ runDueTimers: count }, { interval: -1 }))).toBe('worker.interval');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBe(0);
  });

  it('accepts the options the docs and examples use, and none at all', async () => {
    const controller = new AbortController();
    const good: WorkerOptions[] = [
      {},
      { interval: 0 },
      { interval: 250, limit: 500, budgetMs: 0 },
      { interval: 5, limit: 100, backoffBaseMs: 5, backoffMaxMs: 50, onError: () => {} },
      { signal: controller.signal, sleep: async () => {}, interval: undefined },
      { interval: 25, limit: 50, budgetMs: 1_000, backoffBaseMs: 20, backoffMaxMs: 300 },
    ];
    for (const options of good) {
      const worker = createWorker(idle, options);
      await worker.stop();
    }
    const { desk } = makeDesk();
    await desk.worker().stop();
    await desk.worker(undefined).stop();
  });
});

/**
 * Runs a worker whose `runDueTimers` answers at once, and a `setTimeout(…, 50)` that stops it.
 * The task stops the worker itself after many calls, so a loop that starves the host's timers
 * makes the test fail instead of hanging the process.
 */
async function timerFiresWhileWorkerRuns(
  options: WorkerOptions,
  answer: () => Promise<{ more: boolean }>,
): Promise<{ timerFired: boolean; calls: number }> {
  const controller = new AbortController();
  let calls = 0;
  let timerFired = false;
  const worker = createWorker(
    {
      runDueTimers: () => {
        calls++;
        if (calls >= 200_000) controller.abort(); // starved: give up
        return answer();
      },
    },
    { ...options, signal: controller.signal },
  );
  setTimeout(() => {
    timerFired = !controller.signal.aborted;
    controller.abort();
  }, 50);
  await worker.stopped;
  return { timerFired, calls };
}

describe('no option value or sleep lets the worker starve the host', () => {
  it('a custom sleep that throws does not starve a setTimeout, and stop() resolves', async () => {
    const controller = new AbortController();
    let calls = 0;
    const worker = createWorker(
      {
        runDueTimers: async () => {
          calls++;
          if (calls >= 200_000) controller.abort(); // starved: give up
          return { more: false };
        },
      },
      {
        signal: controller.signal,
        sleep: () => {
          throw new Error('no timers in this runtime');
        },
      },
    );
    const fired = await new Promise<boolean>((resolve) => {
      setTimeout(() => resolve(!controller.signal.aborted), 50);
    });
    expect(fired).toBe(true);
    await expect(worker.stop()).resolves.toBeUndefined();
    expect(calls).toBeGreaterThan(0);
  });

  it('a custom sleep that rejects or resolves at once does not starve a setTimeout', async () => {
    const rejecting = await timerFiresWhileWorkerRuns({ sleep: () => Promise.reject(new Error('no')) }, async () => ({
      more: false,
    }));
    expect(rejecting.timerFired).toBe(true);
    const instant = await timerFiresWhileWorkerRuns({ sleep: async () => {} }, async () => ({ more: false }));
    expect(instant.timerFired).toBe(true);
  });

  it('an interval of 0 polls again only after the event loop has turned', async () => {
    const result = await timerFiresWhileWorkerRuns({ interval: 0 }, async () => ({ more: false }));
    expect(result.timerFired).toBe(true);
  });

  it('a call that always answers more: true does not starve a setTimeout', async () => {
    const result = await timerFiresWhileWorkerRuns({}, async () => ({ more: true }));
    expect(result.timerFired).toBe(true);
    expect(result.calls).toBeGreaterThan(1);
  });
});

describe('a failing loop is never silent', () => {
  async function failingWorker(onError?: WorkerOptions['onError']) {
    let calls = 0;
    const worker = createWorker(
      {
        runDueTimers: async () => {
          calls++;
          throw new Error('storage down');
        },
      },
      { interval: 1, backoffBaseMs: 1, backoffMaxMs: 1, ...(onError ? { onError } : {}) },
    );
    while (calls < 9) await new Promise((resolve) => setTimeout(resolve, 2));
    await worker.stop();
    return calls;
  }

  it('without onError, logs to console.error at the 1st, 2nd, 4th and 8th failure in a row, naming the loop', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const calls = await failingWorker();
      const logged = spy.mock.calls.map((args) => String(args[0]));
      const expected = [1, 2, 4, 8, 16, 32].filter((n) => n <= calls).length;
      expect(logged).toHaveLength(expected);
      expect(logged[0]).toContain('worker loop "timers" failed (1 in a row');
      expect(spy.mock.calls[0]![1]).toEqual(new Error('storage down'));
    } finally {
      spy.mockRestore();
    }
  });

  it('with onError, calls it for every failure and logs nothing itself', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: number[] = [];
    try {
      const calls = await failingWorker((_error, info) => seen.push(info.failures));
      expect(seen).toHaveLength(calls);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
