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

/** Options of {@link createWorker}. */
export interface WorkerOptions {
  /** Stops the worker: no new call starts, the calls in hand finish. Default: runs until `stop()`. */
  signal?: AbortSignal;
  /** Pause of a loop whose last call found nothing more due, in ms. Default 1,000. */
  interval?: number;
  /** `limit` passed to every call. Default 500. */
  limit?: number;
  /** `budgetMs` passed to every call. Default 5,000. */
  budgetMs?: number;
  /** Wait after a loop's first consecutive failure, doubling with each further one, in ms. Default 1,000. */
  backoffBaseMs?: number;
  /** Longest wait after failures, in ms. Default 60,000. */
  backoffMaxMs?: number;
  /**
   * Called with every error a call rejects with. Must not rely on being awaited; what it throws is
   * ignored. Default: nothing is called, the error is only counted in `stats()`.
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
  /** Resolves (never rejects) once every loop has ended after a stop, and no timer is left. */
  readonly stopped: Promise<void>;
  /** Stops the worker, like aborting `signal`; returns `stopped`. */
  stop(): Promise<void>;
  /** Counters per running loop. */
  stats(): Partial<Record<WorkerLoopName, WorkerLoopStats>>;
}

/** Exponential backoff of a loop after `failures` consecutive failures. */
export function workerBackoff(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * Runs each task as its own loop: a call bounded by `limit` and `budgetMs`, again at once when it
 * answered `more: true`, else after `interval`. A loop never overlaps itself, and a slow loop never
 * holds up another. Every rejection is caught, reported to `onError` and retried after an
 * exponential backoff, so the worker never causes an unhandled rejection.
 */
export function createWorker(tasks: WorkerTasks, options: WorkerOptions = {}): RunningWorker {
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
    }
  }

  function report(error: unknown, info: WorkerErrorInfo): void {
    try {
      options.onError?.(error, info);
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
