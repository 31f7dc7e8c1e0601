import type { Json } from '../ports/json.js';
import type { OutboxMessageInput } from '../ports/outbox-store.js';
import type { Commit, RecordWrite, Storage } from '../ports/storage.js';

// What the conformance case files share: the case and target shapes, assertions, unique ids and
// record builders. Internal: hosts reach the cases through `storageConformanceCases`.

/** One conformance check: a name and an async body that throws on failure. */
export interface ConformanceCase {
  name: string;
  /** Runs the check; it must reject when the storage breaks the rule named by `name`. */
  run: () => Promise<void>;
}

/** How the suite gets a storage: a fresh, empty one per case (each case builds its own fixtures). */
export interface ConformanceTarget {
  /** Must return an empty storage. May be async (e.g. create a schema). */
  create: () => Storage | Promise<Storage>;
  /** Called after each case. */
  dispose?: (storage: Storage) => void | Promise<void>;
  /**
   * Seed of the suite's pseudo-random choices (times, id suffixes). Default: drawn once per process
   * and printed with every failure, so `{ seed }` reproduces a failing run.
   */
  seed?: number;
}

/** A broken storage contract (as opposed to a crash of the case itself). */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';
}

/** Fails the case with `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** Fails the case unless both values serialise to the same JSON. */
export function same(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ConformanceFailure(`${message}: expected ${e}, got ${a}`);
}

/** A small seeded generator (mulberry32): the suite's choices repeat for the same seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed used when a target gives none: one per process, printed with every failure. */
const processSeed = Math.floor(Math.random() * 2 ** 31);
let draw = seeded(processSeed);
let counter = 0;
// Run-unique, and not a choice of the suite: it only keeps ids apart in a shared database.
const runNonce = Date.now().toString(36);

/** A pseudo-random number in [0, 1) from the case's seeded generator. */
export function random(): number {
  return draw();
}

/** Unique ids per case so shared databases do not collide between cases (or between runs). */
export function uid(prefix: string): string {
  counter++;
  return `${prefix}-${runNonce}-${counter.toString(36)}-${Math.floor(draw() * 2 ** 31).toString(36)}`;
}

/** A fixed instant far in the future of any real clock, so cases never depend on the date they run. */
export const T0 = 1_800_000_000_000;

/** A record write with no deadline unless `extra` gives one. */
export function write(
  kind: string,
  id: string,
  expectedVersion: number,
  state: Json,
  extra: Partial<RecordWrite> = {},
): RecordWrite {
  return { kind, id, expectedVersion, state, nextDueAt: null, ...extra };
}

/** A commit with empty parts except those given. */
export function commitOf(parts: Partial<Commit>): Commit {
  return { writes: [], history: [], outbox: [], idempotency: [], ...parts };
}

/** An outbox email due at {@link T0} unless `extra` says otherwise. */
export function message(id: string, extra: Partial<OutboxMessageInput> = {}): OutboxMessageInput {
  return {
    id,
    channel: 'email',
    payload: { to: 'a@example.test', subject: 's', text: 't' },
    idempotencyKey: `idem-${id}`,
    availableAt: T0,
    ...extra,
  };
}

/**
 * Returns `add(name, body)`, which appends a case to `cases` that runs `body` on a fresh storage
 * from `target` and always disposes of it.
 */
export function caseAdder(target: ConformanceTarget, cases: ConformanceCase[]) {
  return (name: string, body: (s: Storage) => Promise<void>): void => {
    const index = cases.length;
    cases.push({
      name,
      run: async () => {
        // Each case draws from its own generator (suite seed + case position), so one case
        // reproduces alone, whatever ran before it.
        const seed = (target.seed ?? processSeed) >>> 0;
        draw = seeded(seed + index);
        const storage = await target.create();
        try {
          await body(storage);
        } catch (error) {
          if (error instanceof Error)
            error.message += ` (conformance seed ${seed}: pass { seed: ${seed} } to reproduce)`;
          throw error;
        } finally {
          await target.dispose?.(storage);
        }
      },
    });
  };
}
