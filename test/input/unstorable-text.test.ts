/**
 * Issue 13: a NUL byte or a lone UTF-16 surrogate in any string of any public command stops at
 * the schema (INVALID_INPUT) and writes nothing — no record, no history, no outbox message, and no
 * ticket number drawn — on a desk built by createHelpdesk() over memory storage. Every string of
 * each command's valid argument is tried in turn (see `command-tables.ts`).
 */
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { seededOnce, type FuzzSuite } from '../fuzz/harness.js';
import { accountSuite, changeString, insertMiddle, recoverySuite, stringPaths, ticketSuite } from './command-tables.js';

const UNSTORABLE: ReadonlyArray<[what: string, fragment: string]> = [
  ['a NUL byte', '\u0000'],
  ['a lone high surrogate', '\uD800'],
  ['a lone low surrogate', '\uDC00'],
];

function refusesUnstorableText<Seed>(title: string, suite: FuzzSuite<Seed>): void {
  const seeded = seededOnce(suite);
  describe(title, () => {
    for (const target of suite.targets) {
      it(`${target.name}: NUL or a lone surrogate in any string is INVALID_INPUT and writes nothing`, async () => {
        const { seed, fresh } = await seeded();
        const template = target.valid(seed);
        const paths = stringPaths(template);
        expect(paths.length, 'the template has strings to spoil').toBeGreaterThan(0);
        for (const path of paths) {
          for (const [what, fragment] of UNSTORABLE) {
            const desk = await fresh();
            const arg = changeString(template, path, (text) => insertMiddle(text, fragment));
            const error = await target.call(desk.desk, arg).then(
              () => undefined,
              (e: unknown) => e,
            );
            const where = `${what} in ${path.join('.') || '(the argument)'}`;
            expect(isHelpdeskError(error, 'INVALID_INPUT'), `${where}: ${String(error)}`).toBe(true);
            expect(desk.writes, `${where} wrote to the store`).toEqual([]);
          }
        }
      });
    }
  });
}

refusesUnstorableText('ticket commands refuse text that storage cannot keep', ticketSuite);
refusesUnstorableText('account and login commands refuse text that storage cannot keep', accountSuite);
refusesUnstorableText('recovery commands refuse text that storage cannot keep', recoverySuite);
