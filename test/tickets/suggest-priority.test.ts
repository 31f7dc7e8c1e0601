import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITIES, comparePriorities, type Priority } from '../../src/tickets/priorities.js';
import { impactFactsSchema, suggestPriority, type ImpactFacts } from '../../src/tickets/suggest-priority.js';

const nothing: ImpactFacts = {
  scope: 'none',
  blocksWork: false,
  centralSystem: false,
  coreResourcesUnreachable: false,
  causeKnown: false,
};

const scopes = ['none', 'single_user', 'few_workstations', 'all_workstations'] as const;

const factsArb: fc.Arbitrary<ImpactFacts> = fc.record(
  {
    scope: fc.constantFrom(...scopes),
    blocksWork: fc.boolean(),
    centralSystem: fc.boolean(),
    coreResourcesUnreachable: fc.boolean(),
    causeKnown: fc.boolean(),
    kind: fc.constantFrom('question', 'usage', 'malfunction'),
  },
  { requiredKeys: ['scope', 'blocksWork', 'centralSystem', 'coreResourcesUnreachable', 'causeKnown'] },
);

const atLeast = (actual: Priority, floor: Priority) => comparePriorities(actual, floor) >= 0;

describe('suggestPriority maps each Greek definition to its priority', () => {
  it('low: a general question of no particular importance', () => {
    expect(suggestPriority({ ...nothing, kind: 'question' })).toBe('low');
    expect(suggestPriority(nothing)).toBe('low');
  });

  it('normal: a question on using a program, system or network settings, or a new peripheral', () => {
    expect(suggestPriority({ ...nothing, scope: 'single_user', kind: 'usage' })).toBe('normal');
  });

  it('high: a function of the system, network or a peripheral fails and keeps the user from working', () => {
    expect(
      suggestPriority({ ...nothing, scope: 'single_user', blocksWork: true, causeKnown: true, kind: 'malfunction' }),
    ).toBe('high');
  });

  it('urgent: the mail server fails and stops productive work at a few workstations', () => {
    expect(
      suggestPriority({
        ...nothing,
        scope: 'few_workstations',
        blocksWork: true,
        centralSystem: true,
        kind: 'malfunction',
      }),
    ).toBe('urgent');
  });

  it('critical: core business resources are unreachable for all workstations and the cause is unknown', () => {
    expect(
      suggestPriority({
        ...nothing,
        scope: 'all_workstations',
        blocksWork: true,
        centralSystem: true,
        coreResourcesUnreachable: true,
        causeKnown: false,
      }),
    ).toBe('critical');
  });

  it('urgent, not critical: the critical picture with a known cause', () => {
    expect(
      suggestPriority({
        ...nothing,
        scope: 'all_workstations',
        blocksWork: true,
        coreResourcesUnreachable: true,
        causeKnown: true,
      }),
    ).toBe('urgent');
  });

  it('high, not urgent: a central system failure that stops only one user', () => {
    expect(suggestPriority({ ...nothing, scope: 'single_user', blocksWork: true, centralSystem: true })).toBe('high');
  });

  it('normal: a malfunction that still lets people work', () => {
    expect(suggestPriority({ ...nothing, scope: 'few_workstations', kind: 'malfunction' })).toBe('normal');
  });
});

describe('suggestPriority properties', () => {
  it('is total: any facts give a valid priority', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        expect(PRIORITIES).toContain(suggestPriority(facts));
        expect(impactFactsSchema.safeParse(facts).success).toBe(true);
      }),
    );
  });

  it('never puts all workstations with unreachable core resources and an unknown cause below urgent', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const priority = suggestPriority({
          ...facts,
          scope: 'all_workstations',
          coreResourcesUnreachable: true,
          causeKnown: false,
        });
        expect(atLeast(priority, 'urgent')).toBe(true);
        expect(priority).toBe('critical');
      }),
    );
  });

  it('never lowers the priority when the scope widens', () => {
    fc.assert(
      fc.property(factsArb, fc.nat(3), fc.nat(3), (facts, i, j) => {
        const [narrow, wide] = [scopes[Math.min(i, j)]!, scopes[Math.max(i, j)]!];
        expect(atLeast(suggestPriority({ ...facts, scope: wide }), suggestPriority({ ...facts, scope: narrow }))).toBe(
          true,
        );
      }),
    );
  });

  it('never lowers the priority when work is blocked, the part is central or core resources are unreachable', () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.constantFrom('blocksWork', 'centralSystem', 'coreResourcesUnreachable'),
        (facts, key) => {
          const without = suggestPriority({ ...facts, [key]: false });
          const withIt = suggestPriority({ ...facts, [key]: true });
          expect(atLeast(withIt, without)).toBe(true);
        },
      ),
    );
  });

  it('never raises the priority when the cause becomes known', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const unknown = suggestPriority({ ...facts, causeKnown: false });
        const known = suggestPriority({ ...facts, causeKnown: true });
        expect(atLeast(unknown, known)).toBe(true);
      }),
    );
  });

  it('puts anything that keeps someone from working at high or above', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        expect(atLeast(suggestPriority({ ...facts, blocksWork: true }), 'high')).toBe(true);
      }),
    );
  });
});

describe('impactFactsSchema', () => {
  it('refuses unknown keys and unknown scopes', () => {
    expect(impactFactsSchema.safeParse({ ...nothing, severity: 'max' }).success).toBe(false);
    expect(impactFactsSchema.safeParse({ ...nothing, scope: 'everyone' }).success).toBe(false);
  });
});
