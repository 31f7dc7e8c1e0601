import type { Json } from '../ports/json.js';
import type { OutboxMessageInput } from '../ports/outbox-store.js';
import type { Commit, RecordWrite, Storage } from '../ports/storage.js';

// What the conformance case files share: the case and target shapes, assertions, unique ids and
// record builders. Internal: hosts reach the cases through `storageConformanceCases`.

/** One conformance check: a name and an async body that throws on failure. */
export interface ConformanceCase {
  name: string;
  run: () => Promise<void>;
}

/** How the suite gets a storage: a fresh, empty one per case (each case builds its own fixtures). */
export interface ConformanceTarget {
  /** Must return an empty storage. May be async (e.g. create a schema). */
  create: () => Storage | Promise<Storage>;
  /** Called after each case. */
  dispose?: (storage: Storage) => void | Promise<void>;
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

let counter = 0;
/** Unique ids per case so shared databases do not collide between cases. */
export function uid(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
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
    cases.push({
      name,
      run: async () => {
        const storage = await target.create();
        try {
          await body(storage);
        } finally {
          await target.dispose?.(storage);
        }
      },
    });
  };
}
