import { z } from 'zod';
import { parseConfiguration } from '../_lib/parse-configuration.js';

/** Bounds a worker passes to every call it makes. */
export interface WorkerBounds {
  /** Most records or messages the call may claim. */
  limit: number;
  /** Milliseconds after which the call must not claim a new round. */
  budgetMs: number;
}

/** One bounded call of a loop: resolves with `more: true` when it stopped while more was due. */
export type BoundedCall = (bounds: WorkerBounds) => Promise<{ more: boolean }>;

/** The calls a worker runs, one loop each; a missing call means no loop. */
export interface WorkerTasks {
  /** Fires due deadlines (e.g. `(bounds) => desk.runDueTimers(bounds)`). */
  runDueTimers?: BoundedCall;
  /** Delivers the outbox; must be one long-lived dispatcher, so a failed acknowledgement is remembered. */
  dispatchOutbox?: BoundedCall;
  /** Delivers the event feed to webhooks; must be one long-lived event delivery (it remembers what it sent). */
  deliverEvents?: BoundedCall;
}

/** The loops, in start order: a new loop (e.g. events) is one more row and one more task. */
export const WORKER_LOOPS = [
  { loop: 'timers', task: 'runDueTimers' },
  { loop: 'outbox', task: 'dispatchOutbox' },
  { loop: 'events', task: 'deliverEvents' },
] as const satisfies ReadonlyArray<{ loop: string; task: keyof WorkerTasks }>;

/** The name of a worker loop, as passed to `onError`. */
export type WorkerLoopName = (typeof WORKER_LOOPS)[number]['loop'];

/** What `onError` learns besides the error. */
export interface WorkerErrorInfo {
  loop: WorkerLoopName;
  /** Consecutive failures of this loop, this one included. */
  failures: number;
  /** How long the loop waits before its next call. */
  retryInMs: number;
}

/** The default `onError`: one line on the console, so a failing loop is never silent. */
function logByDefault(error: unknown, { loop, failures, retryInMs }: WorkerErrorInfo): void {
  console.error(
    `[helpdesk-core] worker loop "${loop}" failed (${failures} in a row; next try in ${retryInMs} ms; pass onError to log it your way):`,
    error,
  );
}

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** Stops the worker: no new call starts, the calls in hand finish. Default: runs until `stop()`. */
  signal?: AbortSignal;
  /**
   * Pause of a loop whose last call found nothing more due, in whole ms from 0 to a day. Default 1,000.
   * 0 polls again as soon as the event loop has turned once (busy; meant for tests).
   */
  interval?: number;
  /** `limit` passed to every call: a whole number from 1 to 1,000,000. Default 500. */
  limit?: number;
  /** `budgetMs` passed to every call: whole ms from 0 to an hour. Default 5,000. */
  budgetMs?: number;
  /**
   * Wait after a loop's first consecutive failure, doubling with each further one, in whole ms from
   * 1 to a day. Default 1,000.
   */
  backoffBaseMs?: number;
  /** Longest wait after failures, in whole ms from 1 to a day. Default 60,000. */
  backoffMaxMs?: number;
  /**
   * Called with every error a call rejects with. Must not rely on being awaited; what it throws is
   * ignored. Default: `console.error`, at the 1st, 2nd, 4th, 8th, ... failure in a row of a loop
   * (so a loop failing for hours logs a few lines, not thousands); every error is counted in `stats()`.
   * Pass your logger, or `() => {}` for silence.
   */
  onError?: (error: unknown, info: WorkerErrorInfo) => void;
  /**
   * Must resolve after `ms`, or at once when `signal` aborts, and leave no timer behind either way.
   * Default: a `setTimeout` cleared on abort.
   */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Counters of one loop. */
export interface WorkerLoopStats {
  calls: number;
  errors: number;
  /** Failures since the last call that resolved. */
  consecutiveErrors: number;
}

/** A running worker. */
export interface RunningWorker {
  /**
   * Resolves (never rejects) once every loop has ended after a stop, and no timer is left. A call in
   * hand is waited for, but a send in it cannot hold it for ever: the dispatcher and the event
   * delivery give up on a send after their policy's `sendTimeoutMs` (default 30 s, or half a shorter lease).
   */
  readonly stopped: Promise<void>;
  /** Stops the worker, like aborting `signal`; returns `stopped`. */
  stop(): Promise<void>;
  /** Counters per running loop. */
  stats(): Partial<Record<WorkerLoopName, WorkerLoopStats>>;
}

/** Longest pause the worker takes: a day (a setTimeout beyond 2^31 - 1 ms fires at once, so it would spin). */
const MAX_PAUSE_MS = 86_400_000;

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** An AbortSignal, or anything shaped like one: the worker reads `aborted` and listens for `abort`. */
function isAbortSignalLike(value: unknown): boolean {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === 'object' &&
    signal !== null &&
    typeof signal.aborted === 'boolean' &&
    isFunction(signal.addEventListener) &&
    isFunction(signal.removeEventListener)
  );
}

/**
 * {@link WorkerOptions}, checked when the worker is created: a pause that is not a number made the
 * loop spin on settled promises and starve the host's timers. `limit` and `budgetMs` have the
 * ranges `runDueTimers` and `dispatchOutbox` accept, so no call is refused on every round.
 */
const workerOptionsSchema = z.strictObject({
  signal: z.custom<AbortSignal>(isAbortSignalLike, { message: 'Expected an AbortSignal' }).optional(),
  interval: z.number().int().min(0).max(MAX_PAUSE_MS).optional(),
  limit: z.number().int().min(1).max(1_000_000).optional(),
  budgetMs: z.number().int().min(0).max(3_600_000).optional(),
  backoffBaseMs: z.number().int().min(1).max(MAX_PAUSE_MS).optional(),
  backoffMaxMs: z.number().int().min(1).max(MAX_PAUSE_MS).optional(),
  onError: z.custom(isFunction, { message: 'Expected a function (error, info) => void' }).optional(),
  sleep: z.custom(isFunction, { message: 'Expected a function (ms, signal) => Promise<void>' }).optional(),
});

/** Exponential backoff of a loop after `failures` consecutive failures. */
export function workerBackoff(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs each task as its own loop: a call bounded by `limit` and `budgetMs`, again at once when it
 * answered `more: true`, else after `interval`. A loop never overlaps itself, and a slow loop never
 * holds up another. Every rejection is caught, reported to `onError` and retried after an
 * exponential backoff, so the worker never causes an unhandled rejection. Between two calls a loop
 * always lets the event loop turn, so no pause or `sleep` starves the host's timers and I/O.
 * Refuses bad options with CONFIGURATION_INVALID naming the field (e.g. `worker.interval`).
 */
export function createWorker(tasks: WorkerTasks, options: WorkerOptions = {}): RunningWorker {
  parseConfiguration(
    workerOptionsSchema,
    options,
    'worker',
    'interval and budgetMs whole ms from 0, limit, backoffBaseMs and backoffMaxMs whole numbers from 1; ' +
      'signal an AbortSignal, onError and sleep functions',
  );
  const interval = options.interval ?? 1_000;
  const bounds: WorkerBounds = { limit: options.limit ?? 500, budgetMs: options.budgetMs ?? 5_000 };
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const backoffMaxMs = options.backoffMaxMs ?? 60_000;
  const sleep = options.sleep ?? abortableSleep;

  // One internal signal, so stop() and the caller's signal end the loops the same way.
  const controller = new AbortController();
  const signal = controller.signal;
  const external = options.signal;
  const forward = () => controller.abort();
  if (external?.aborted) controller.abort();
  else external?.addEventListener('abort', forward, { once: true });

  const stats: Partial<Record<WorkerLoopName, WorkerLoopStats>> = {};

  async function runLoop(loop: WorkerLoopName, call: BoundedCall, counters: WorkerLoopStats): Promise<void> {
    while (!signal.aborted) {
      let wait: number;
      try {
        counters.calls++;
        const { more } = await call({ ...bounds });
        counters.consecutiveErrors = 0;
        wait = more ? 0 : interval;
      } catch (error) {
        counters.errors++;
        counters.consecutiveErrors++;
        wait = workerBackoff(counters.consecutiveErrors, backoffBaseMs, backoffMaxMs);
        report(error, { loop, failures: counters.consecutiveErrors, retryInMs: wait });
      }
      if (wait > 0 && !signal.aborted) {
        try {
          await sleep(wait, signal);
        } catch {
          // an injected sleep that rejects only shortens the pause
        }
      }
      // A pause of 0 (more: true, interval 0) or a sleep that settled at once would chain
      // microtasks forever and starve every timer of the host (its own stop timer too).
      if (!signal.aborted) await nextTurn();
    }
  }

  function report(error: unknown, info: WorkerErrorInfo): void {
    try {
      if (options.onError) options.onError(error, info);
      else if ((info.failures & (info.failures - 1)) === 0) logByDefault(error, info);
    } catch {
      // the reporter's own failure must not end the loop
    }
  }

  const loops: Promise<void>[] = [];
  for (const { loop, task } of WORKER_LOOPS) {
    const call = tasks[task];
    if (!call) continue;
    const counters: WorkerLoopStats = { calls: 0, errors: 0, consecutiveErrors: 0 };
    stats[loop] = counters;
    loops.push(runLoop(loop, call, counters).catch(() => undefined));
  }

  const stopped = Promise.all(loops).then(() => {
    external?.removeEventListener('abort', forward);
  });

  return {
    stopped,
    stop() {
      controller.abort();
      return stopped;
    },
    stats() {
      const copy: Partial<Record<WorkerLoopName, WorkerLoopStats>> = {};
      for (const [loop, counters] of Object.entries(stats) as Array<[WorkerLoopName, WorkerLoopStats]>) {
        copy[loop] = { ...counters };
      }
      return copy;
    },
  };
}

/** Resolves on the next turn of the event loop (a macrotask): after pending timers and I/O had their turn. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Resolves after `ms`, or at once on abort; clears its timer and listener either way. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
