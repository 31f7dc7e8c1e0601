// DESIGN: "Every public input: fuzzed; only HelpdeskError comes back." The pure ticket helpers of
// `helpdesk-core/tickets` answer INVALID_INPUT for anything outside their declared type, and keep
// answering valid input exactly as before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { LOCALES } from '../../src/messages/locales.js';
import {
  PRIORITIES,
  TICKET_STATUSES,
  parseTicketReference,
  priorityChannelAdvice,
  statusDefinition,
  statusLabel,
  suggestPriority,
  type ImpactFacts,
} from '../../src/tickets/index.js';

/** What a call gives back: `ok`, `INVALID_INPUT`, or the raw error that escaped. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return isHelpdeskError(error, 'INVALID_INPUT') ? 'INVALID_INPUT' : `raw ${String(error)}`;
  }
}

/** A value of any shape, prototype keys and hostile objects included. */
const anything = fc.oneof(
  fc.anything(),
  fc.constantFrom<unknown>(
    undefined,
    null,
    '__proto__',
    'toString',
    'constructor',
    'hasOwnProperty',
    Symbol('x'),
    Object.create(null),
    [],
    () => 'x',
  ),
);

const allBroken: ImpactFacts = {
  scope: 'all_workstations',
  blocksWork: true,
  centralSystem: true,
  coreResourcesUnreachable: true,
  causeKnown: false,
};

describe('parseTicketReference answers INVALID_INPUT for a subject that is not a string', () => {
  it.each([undefined, null, 123, {}, ['[#1]'], Symbol('s')])('refuses %s', (subject) => {
    expect(outcome(() => parseTicketReference(subject as never))).toBe('INVALID_INPUT');
  });

  it('still reads a reference out of any string, and null when there is none', () => {
    expect(parseTicketReference('Re: [#10042] Printer on fire')).toBe(10042);
    expect(parseTicketReference('no reference')).toBeNull();
  });
});

describe('suggestPriority parses its facts with impactFactsSchema', () => {
  it('refuses null, an empty object and facts of the wrong types instead of guessing a priority', () => {
    expect(outcome(() => suggestPriority(null as never))).toBe('INVALID_INPUT');
    expect(outcome(() => suggestPriority({} as never))).toBe('INVALID_INPUT');
    expect(
      outcome(() =>
        suggestPriority({ scope: 'all_workstations', blocksWork: 'yes', coreResourcesUnreachable: 1 } as never),
      ),
    ).toBe('INVALID_INPUT');
    expect(outcome(() => suggestPriority({ ...allBroken, extra: true } as never))).toBe('INVALID_INPUT');
  });

  it('names the offending facts in details.issues', () => {
    try {
      suggestPriority({ ...allBroken, blocksWork: 'yes' } as never);
      expect.unreachable();
    } catch (error) {
      expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
      const issues = (error as { details: { issues: Array<{ path: unknown[] }> } }).details.issues;
      expect(issues.map((issue) => issue.path)).toEqual([['blocksWork']]);
    }
  });

  it('still answers the Greek critical picture with critical', () => {
    expect(suggestPriority(allBroken)).toBe('critical');
  });
});

describe('priorityChannelAdvice answers INVALID_INPUT for anything but a priority', () => {
  it.each(['bogus', '__proto__', 'toString', undefined, null, 3])('refuses %s', (priority) => {
    expect(outcome(() => priorityChannelAdvice(priority as never))).toBe('INVALID_INPUT');
  });

  it('still advises the phone for urgent and critical and an online ticket otherwise', () => {
    expect(PRIORITIES.map(priorityChannelAdvice)).toEqual(['online', 'online', 'online', 'phone', 'phone']);
  });
});

describe('statusLabel and statusDefinition answer INVALID_INPUT for an unknown status or locale', () => {
  it.each([
    ['bogus', 'nl'],
    ['__proto__', 'nl'],
    ['toString', 'en'],
    ['open', 'xx'],
    ['open', '__proto__'],
    ['open', 'toString'],
    [undefined, 'en'],
    ['open', undefined],
  ])('refuses (%s, %s)', (status, locale) => {
    expect(outcome(() => statusLabel(status as never, locale as never))).toBe('INVALID_INPUT');
    expect(outcome(() => statusDefinition(status as never, locale as never))).toBe('INVALID_INPUT');
  });

  it('still names every status in every locale', () => {
    expect(statusLabel('pending', 'nl')).toBe('In behandeling');
    for (const status of TICKET_STATUSES) {
      for (const locale of LOCALES) {
        expect(typeof statusLabel(status, locale)).toBe('string');
        expect(typeof statusDefinition(status, locale)).toBe('string');
      }
    }
  });
});

describe('fuzzed: the pure ticket helpers return or throw INVALID_INPUT, never a raw error', () => {
  it('parseTicketReference, suggestPriority, priorityChannelAdvice, statusLabel, statusDefinition', () => {
    fc.assert(
      fc.property(anything, anything, (a, b) => {
        for (const run of [
          () => parseTicketReference(a as never),
          () => suggestPriority(a as never),
          () => priorityChannelAdvice(a as never),
          () => statusLabel(a as never, b as never),
          () => statusDefinition(a as never, b as never),
          () => statusLabel('open', b as never),
        ]) {
          expect(['ok', 'INVALID_INPUT']).toContain(outcome(run));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('comparePriorities on hostile input', () => {
  it('answers INVALID_INPUT for a value that is no priority, and orders real ones', async () => {
    const { comparePriorities } = await import('../../src/tickets/priorities.js');
    for (const bad of ['x', '__proto__', 'toString', undefined, null, 3]) {
      let caught: unknown = null;
      try {
        comparePriorities(bad as never, 'low');
      } catch (error) {
        caught = error;
      }
      expect(isHelpdeskError(caught, 'INVALID_INPUT')).toBe(true);
    }
    expect(comparePriorities('critical', 'low')).not.toBe(0);
    expect(Math.sign(comparePriorities('low', 'critical'))).toBe(-Math.sign(comparePriorities('critical', 'low')));
  });
});
