/**
 * Fuzzing every string of every ticket, account, login and recovery command with hostile text
 * (`hostile-text.ts`; the command tables in `test/input/command-tables.ts`, the seeded desks and
 * FUZZ_RUNS as in `harness.ts`). Whatever comes in:
 *   - a refused call throws a HelpdeskError and writes nothing (no record, no ticket number);
 *   - an accepted call stores only text every adapter keeps exactly (no U+0000, no lone
 *     surrogate, at any depth, keys included), and no queued mail has a line break in its subject.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableText } from '../../src/_lib/text.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Storage } from '../../src/ports/storage.js';
import { accountSuite, recoverySuite, ticketSuite } from '../input/command-tables.js';
import { jsonStrings } from '../helpers.js';
import { RUNS, seededOnce, type FuzzSuite } from './harness.js';
import { withHostileText } from './hostile-text.js';

/** Fewer runs than the harness's: every target here is also fuzzed there with any value. */
const HOSTILE_RUNS = Math.max(20, Math.floor(RUNS / 5));

async function storedStrings(storage: Storage, kinds: readonly string[]): Promise<string[]> {
  const parts: unknown[] = [];
  for (const kind of kinds) {
    for (const record of await storage.list(kind, { where: {}, limit: 100_000 })) {
      parts.push(record, await storage.history(kind, record.id));
    }
  }
  parts.push(await storage.listOutbox({ limit: 100_000 }));
  return jsonStrings(parts);
}

function fuzzWithHostileText<Seed>(title: string, suite: FuzzSuite<Seed>): void {
  const seeded = seededOnce(suite);
  describe(`${title} (${HOSTILE_RUNS} runs each)`, () => {
    for (const target of suite.targets) {
      it(
        `${target.name}: hostile text is refused cleanly, or stored as text every adapter keeps`,
        async () => {
          const { seed, kinds, fresh } = await seeded();
          let state = await fresh();
          await fc.assert(
            fc.asyncProperty(withHostileText(target.valid(seed)), async (arg) => {
              state.writes.length = 0;
              let error: unknown;
              let threw = false;
              try {
                await target.call(state.desk, arg);
              } catch (caught) {
                threw = true;
                error = caught;
              }
              const wrote = [...state.writes];
              const raw = state.raw;
              if (wrote.length > 0) state = await fresh();
              if (threw) {
                expect(isHelpdeskError(error), `not a HelpdeskError: ${String(error)}`).toBe(true);
                expect(wrote, 'a refused call wrote to the store').toEqual([]);
                return;
              }
              const strings = await storedStrings(raw, kinds);
              const broken = strings.filter((text) => !isStorableText(text));
              expect(broken, 'stored text with U+0000 or a lone surrogate').toEqual([]);
              for (const message of await raw.listOutbox({ limit: 100_000 })) {
                const subject = (message.payload as { subject?: unknown }).subject;
                if (typeof subject === 'string')
                  expect(subject, 'a mail subject').not.toMatch(/[\r\n\u0085\u2028\u2029]/);
              }
            }),
            { numRuns: HOSTILE_RUNS },
          );
        },
        Math.max(60_000, HOSTILE_RUNS * 100),
      );
    }
  });
}

fuzzWithHostileText('hostile text in ticket commands', ticketSuite);
fuzzWithHostileText('hostile text in account and login commands', accountSuite);
fuzzWithHostileText('hostile text in recovery commands', recoverySuite);
