/**
 * The fuzzing harness shared by the `*.test.ts` files of this folder (DESIGN §1.5, §6): every
 * argument of every public command gets arbitrary JSON values, strings and other values, plus
 * near-valid inputs (a valid input with one field replaced, removed or given an unknown sibling).
 * Whatever comes in:
 *   - a command either resolves or throws a `HelpdeskError` — never a TypeError or a zod error;
 *   - a rejected call changes nothing: no storage write (commit, sequence number, claim, outbox
 *     mark), and every record, history and outbox message reads back the same.
 *
 * An answer that is a value is an accepted call, whatever it says: the login views with an
 * `error`, `{ ok: false, code }` of activate and resetPassword, and the uniform `{ accepted: true }`
 * of the requests that must not reveal whether an account exists. Accepted calls may write; the
 * next run then starts from a fresh copy of the seeded desk, so near-valid inputs keep hitting
 * live ids in the states the seed put them in.
 *
 * A fresh desk is not seeded again: the seed runs once per file through a storage that records
 * its writes, and every fresh desk is a new in-memory storage with those writes replayed (no
 * password hashing, no validation), plus the id counter where the seed left it.
 *
 * Runs per command: FUZZ_RUNS (default 300 in `npm test`; `.ci/package-checks.sh` and
 * `npm run test:fuzz` run 10,000).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { deepFreeze } from '../../src/_lib/json.js';
import { HelpdeskError, isHelpdeskError } from '../../src/errors.js';
import { createHelpdesk, type Helpdesk, type HelpdeskOptions } from '../../src/helpdesk.js';
import type { Storage } from '../../src/ports/storage.js';

export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
if (!Number.isInteger(RUNS) || RUNS < 1)
  throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);

export interface FuzzTarget<Seed> {
  /** As the host calls it, e.g. `desk.tickets.reply`. */
  name: string;
  /** A valid argument in the seeded desk; near-valid inputs are mutations of it. */
  valid: (seed: Seed) => unknown;
  call: (desk: Helpdesk, arg: unknown) => Promise<unknown>;
  /**
   * When the seed cannot put a record in the state the valid argument needs, the template is
   * refused with this code (checked) and the near-valid inputs still exercise the parsing.
   */
  templateRefusedWith?: { code: string; because: string };
  /**
   * A failure found by this fuzzer and not fixed yet, in a file this test does not own. The
   * property then runs as `it.fails`: the suite stays green, and the day the fix lands the
   * test fails, saying to delete this field.
   */
  knownIssue?: string;
}

export interface FuzzSuite<Seed> {
  /** Options of every desk of the suite, except `storage` and `ids` (the harness owns those). */
  options: () => Omit<HelpdeskOptions, 'storage' | 'ids'>;
  /** Builds the records the targets' valid arguments point at; runs once per file. */
  seed: (desk: Helpdesk) => Promise<Seed>;
  /** Record kinds to read back besides the ones the seed wrote. */
  kinds?: readonly string[];
  targets: FuzzTarget<Seed>[];
}

/** The storage calls that change something, and how to tell from their answer that they did. */
const MUTATING: Record<string, (result: unknown) => boolean> = {
  commit: (result) => result !== null,
  nextSequence: () => true,
  claimDue: (result) => (result as unknown[]).length > 0,
  claimOutbox: (result) => (result as unknown[]).length > 0,
  markDelivered: (result) => result === true,
  markFailed: (result) => result === true,
  markDead: (result) => result === true,
  // The privacy store's writers (an erasure's steps).
  deleteRecord: (result) => result === true,
  redactHistory: (result) => result === true,
  redactEvent: (result) => result === true,
  redactOutbox: (result) => result === true,
  deleteSettledOutbox: (result) => (result as number) > 0,
};

interface RecordedCall {
  method: string;
  args: readonly unknown[];
}

/**
 * Wraps a storage: `writes` names every mutating call that changed something, and when `record`
 * is given, those calls are appended to it (deep-copied and frozen) for a replay.
 */
function watched(inner: Storage, record?: RecordedCall[]) {
  const writes: string[] = [];
  const wrappers = new Map<PropertyKey, unknown>();
  const storage = new Proxy(inner, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(key);
      if (!wrapper) {
        const method = value as (...a: unknown[]) => Promise<unknown>;
        const changed = MUTATING[String(key)];
        wrapper = changed
          ? async (...args: unknown[]) => {
              const copy = record ? deepFreeze(structuredClone(args)) : null;
              const result = await method.apply(target, args);
              if (changed(result)) {
                writes.push(String(key));
                if (copy) record!.push({ method: String(key), args: copy });
              }
              return result;
            }
          : method.bind(target);
        wrappers.set(key, wrapper);
      }
      return wrapper;
    },
  });
  return { storage, writes };
}

/** Every record of `kinds` with its history, and the whole outbox, as one string. */
async function readBack(storage: Storage, kinds: readonly string[]): Promise<string> {
  const parts: unknown[] = [];
  for (const kind of kinds) {
    for (const record of await storage.list(kind, { where: {}, limit: 100_000 })) {
      parts.push(record, await storage.history(kind, record.id));
    }
  }
  parts.push(await storage.listOutbox({ limit: 100_000 }));
  return JSON.stringify(parts);
}

interface DeskState {
  desk: Helpdesk;
  /** The storage under the watch, for reading back without counting. */
  raw: Storage;
  writes: string[];
}

/** Seeds once; then hands out fresh copies of the seeded desk by replaying the seed's writes. */
async function seededFactory<Seed>(suite: FuzzSuite<Seed>) {
  const recorded: RecordedCall[] = [];
  let counter = 0;
  const build = (raw: Storage, log?: RecordedCall[]): DeskState => {
    const { storage, writes } = watched(raw, log);
    const desk = createHelpdesk({ ...suite.options(), storage, ids: { next: (prefix) => `${prefix}${++counter}` } });
    return { desk, raw, writes };
  };
  const original = build(createMemoryStorage(), recorded);
  const seed = await suite.seed(original.desk);
  const idsAfterSeed = counter;
  const kinds = [
    ...new Set([
      ...recorded.flatMap((call) =>
        call.method === 'commit' ? (call.args[0] as { writes: Array<{ kind: string }> }).writes.map((w) => w.kind) : [],
      ),
      ...(suite.kinds ?? []),
    ]),
  ].sort();

  const fresh = async (): Promise<DeskState> => {
    const raw = createMemoryStorage();
    for (const call of recorded) {
      const result: unknown = await (raw as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[
        call.method
      ]!(...call.args);
      if (!MUTATING[call.method]!(result)) throw new Error(`replaying the seed: ${call.method} changed nothing`);
    }
    counter = idsAfterSeed;
    return build(raw);
  };
  const seeded = await readBack(original.raw, kinds);
  // The replay must give back exactly what the seed built, or the runs would test something else.
  const replayed = await readBack((await fresh()).raw, kinds);
  if (replayed !== seeded) throw new Error('replaying the seed does not rebuild the seeded store');
  return { seed, kinds, seeded, fresh };
}

/** Any value, leaning on what JSON and forms send. */
const anyValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary' }),
  fc.anything({ withNullPrototype: true, withObjectString: true }),
  fc.constantFrom(null, undefined, '', ' ', 0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, true, [], {}),
);

type Path = Array<string | number>;

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

/** A copy of `value` with the thing at `path` replaced (or removed, or given an unknown sibling key). */
function mutate(value: unknown, path: Path, mode: 'replace' | 'remove' | 'extra', replacement: unknown): unknown {
  if (path.length === 0) return mode === 'replace' ? replacement : value;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mode === 'replace') parent[last] = replacement;
  else if (mode === 'remove') delete parent[last];
  else parent[`unknown_${String(last)}`] = replacement;
  return copy;
}

function argumentFor(template: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(template);
  const nearValid = fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom('replace', 'remove', 'extra') as fc.Arbitrary<'replace' | 'remove' | 'extra'>,
      anyValue,
    )
    .map(([path, mode, replacement]) => mutate(template, path, mode, replacement));
  return fc.oneof({ arbitrary: anyValue, weight: 1 }, { arbitrary: nearValid, weight: 2 });
}

type Seeded<Seed> = Awaited<ReturnType<typeof seededFactory<Seed>>>;

/** What one property saw. */
export interface FuzzStats {
  accepted: number;
  /** Refused calls by error code. */
  refused: Map<string, number>;
}

/**
 * Runs one target's property `runs` times on fresh copies of the seeded desk and checks its
 * template; throws (through fast-check, with the shrunk counterexample) on the first violation.
 */
export async function fuzzTarget<Seed>(seeded: Seeded<Seed>, target: FuzzTarget<Seed>, runs: number) {
  const { seed, kinds, seeded: before, fresh } = seeded;
  const template = target.valid(seed);
  let state = await fresh();
  const stats: FuzzStats = { accepted: 0, refused: new Map() };
  await fc.assert(
    fc.asyncProperty(argumentFor(template), async (arg) => {
      state.writes.length = 0;
      let threw = false;
      let error: unknown;
      try {
        await target.call(state.desk, arg);
      } catch (e) {
        threw = true;
        error = e;
      }
      if (!threw) {
        // Accepted (a near-valid input can be valid): the next run starts from a fresh desk.
        stats.accepted++;
        if (state.writes.length > 0) state = await fresh();
        return;
      }
      const wrote = [...state.writes];
      const after = await readBack(state.raw, kinds);
      // A failing run leaves the next ones (and the shrinking) a clean desk, too.
      if (wrote.length > 0 || after !== before) state = await fresh();
      expect(isHelpdeskError(error), `not a HelpdeskError: ${String(error)}`).toBe(true);
      expect(error).toBeInstanceOf(HelpdeskError);
      const code = (error as HelpdeskError).code;
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(wrote, 'a refused call wrote to the store').toEqual([]);
      expect(after === before, 'a refused call changed what the store reads back').toBe(true);
      stats.refused.set(code, (stats.refused.get(code) ?? 0) + 1);
    }),
    { numRuns: runs },
  );
  // The valid template must itself be accepted, or the near-valid inputs test nothing.
  const check = await fresh();
  const outcome = target.call(check.desk, target.valid(seed));
  if (target.templateRefusedWith) {
    await expect(outcome).rejects.toMatchObject({ code: target.templateRefusedWith.code });
  } else {
    await expect(outcome).resolves.toBeDefined();
  }
  return stats;
}

/** Seeds `suite` once, lazily, for every target that asks. */
export function seededOnce<Seed>(suite: FuzzSuite<Seed>): () => Promise<Seeded<Seed>> {
  let factory: Promise<Seeded<Seed>> | undefined;
  return () => (factory ??= seededFactory(suite));
}

/** One `describe` with one property per target. */
export function fuzzCommands<Seed>(title: string, suite: FuzzSuite<Seed>): void {
  const seeded = seededOnce(suite);
  describe(`${title} (${RUNS} runs each)`, () => {
    for (const target of suite.targets) {
      const test = target.knownIssue ? it.fails : it;
      const name = target.knownIssue
        ? `${target.name}: KNOWN ISSUE, expected to fail until fixed (then delete knownIssue): ${target.knownIssue}`
        : `${target.name}: only HelpdeskError comes back, and a refused call changes nothing`;
      test(
        name,
        async () => {
          const stats = await fuzzTarget(await seeded(), target, RUNS);
          if (RUNS >= 1_000) {
            const codes = [...stats.refused].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
            console.info(`${target.name}: ${stats.accepted} of ${RUNS} accepted; refused: ${codes.join(', ')}`);
          }
        },
        Math.max(60_000, RUNS * 50),
      );
    }
  });
}
